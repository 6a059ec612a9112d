privacy-title = Datenschutzerklärung
privacy-intro = Diese Erklärung sagt, was People First mit den Daten der Unterzeichnenden tut, und warum. Sie beschreibt, was die Software zum Unterzeichnen tatsächlich tut.
privacy-what-heading = Was wir speichern
privacy-what = Ihren Namen, Ihre E-Mail-Adresse, Ihr Land, die Sprache, in der Sie unterzeichnet haben, ob Sie informiert werden möchten, gegebenenfalls die Partnerorganisation oder den Kanal, über den Sie unterzeichnet haben, ob Sie Nachrichten dieser Organisation erhalten möchten, wann Sie unterzeichnet und wann Sie bestätigt haben und welche Fassung dieser Erklärung Ihnen gezeigt wurde. Außerdem vermerken wir, bei welchem großen E-Mail-Anbieter Ihre Adresse liegt (Gmail, Outlook, Yandex, Mail.ru, Proton oder ein anderer), um zu sehen, wo unsere E-Mails nicht ankommen; dieser Vermerk enthält keine weiteren Teile der Adresse und bleibt nach deren Löschung erhalten. Ihre IP-Adresse speichern wir nicht.
privacy-why-heading = Warum
privacy-why = Um sicherzugehen, dass ein echter Mensch unterzeichnet hat (dafür ist die Bestätigungs-E-Mail da), um die Unterschriften nach Ländern zu zählen und um die Namen und Länder denen zu übergeben, die über die Freilassung der Festgehaltenen verhandeln. Wir schreiben Ihnen über die Kampagne nur, wenn Sie das entsprechende Feld angekreuzt haben.
privacy-how-long-heading = Wie lange
privacy-how-long = Eine nicht bestätigte Unterschrift wird { $days } Tage nach der letzten dafür gesendeten E-Mail automatisch gelöscht. Sobald Sie bestätigen, vergessen wir Ihre E-Mail-Adresse, es sei denn, Sie möchten informiert werden; wir behalten nur einen mit einem geheimen Schlüssel gebildeten Fingerabdruck davon, damit dieselbe Adresse nicht zweimal unterzeichnen kann. Damit kein Postfach mehr als drei E-Mails am Tag von uns erhält, behalten wir außerdem bis zum nächsten Tag einen weiteren, ebenso gebildeten Fingerabdruck der Adresse mit der Zahl der an sie gesendeten E-Mails. Kommt eine E-Mail zurück, weil die Adresse nicht existiert, vermerken wir das bei der nicht bestätigten Unterschrift und schreiben nicht mehr an diese Adresse. Ihr Name und Ihr Land werden bis zum Ende der Kampagne aufbewahrt.
privacy-backups-heading = Sicherungen
privacy-backups = Damit durch einen Fehler keine Unterschriften verloren gehen, wird die Tabelle der Unterschriften laufend gesichert, und jede Sicherung wird { $backup_days } Tage lang aufbewahrt. Eine gelöschte oder abgelaufene Unterschrift verschwindet nach diesen { $backup_days } Tagen auch aus den Sicherungen.
privacy-emails-heading = Die E-Mails, die wir senden
privacy-emails = Außer der Bestätigungs-E-Mail senden wir einen Tag später eine einzige Erinnerung, wenn die Unterschrift noch nicht bestätigt ist, und sonst nichts dazu. Wenn Sie informiert werden möchten, senden wir Ihnen die Neuigkeiten der Kampagne, von der Kampagne selbst geschrieben; jede dieser E-Mails enthält einen Link, der sie mit einem Klick abbestellt, und die Abmelde-Schaltfläche Ihres E-Mail-Programms tut dasselbe. Unsere E-Mails enthalten weder Zählpixel noch umgeschriebene Links: Wir wissen nicht, ob Sie sie öffnen oder welchen Links Sie folgen. Wenn wir Ihnen Neuigkeiten senden, vermerken wir das eine Woche lang beim mit einem geheimen Schlüssel gebildeten Fingerabdruck Ihrer Adresse, damit niemand sie zweimal erhält. Weist Ihr Postfach unsere Neuigkeiten zurück oder melden Sie sie als Spam, senden wir Ihnen keine mehr.
privacy-partners-heading = Partnerorganisationen
privacy-partners = Wenn Sie über einen Link oder auf einer Seite einer Organisation unterzeichnen, die die Kampagne unterstützt, oder über einen Link, der in einem Messenger oder sozialen Netzwerk geteilt wurde, vermerken wir bei Ihrer Unterschrift diese Organisation oder diesen Kanal – nie die Person, die Ihnen den Link geschickt hat –, um zu zählen, wer wie viele Unterschriften gebracht hat. Ein Formular auf der Seite eines Partners läuft auf unserer Website, in einem Rahmen: Der Partner kann nicht sehen, was Sie eingeben. Wenn Sie „Ich möchte auch von der Organisation … informiert werden“ ankreuzen, speichern wir Ihre Einwilligung mit ihrem Zeitpunkt und der Fassung dieser Erklärung; sobald Sie bestätigen, übermitteln wir dieser Organisation Ihren Namen, Ihre E-Mail-Adresse, Ihr Land, Ihre Sprache und den Zeitpunkt Ihrer Einwilligung, sonst nichts, damit sie Ihnen nach ihrer eigenen Datenschutzerklärung schreiben kann. Diese Einwilligung ist von den Nachrichten der Kampagne und von Ihrer Unterschrift getrennt: Über den Link in unseren E-Mails können Sie jede davon jederzeit widerrufen, ohne Ihre Unterschrift zu löschen. Hat die Organisation Ihre Adresse bereits erhalten, teilt ihr unsere nächste Übermittlung mit, dass Sie widerrufen haben, und sie darf Ihnen nicht mehr schreiben; Ihre Adresse bewahren wir nur für diese Übermittlung auf. Das gilt auch, wenn Sie Ihre Unterschrift löschen: Bis zu dieser Übermittlung bewahren wir dann nur Ihre Adresse, die Organisation und die Daten Ihrer Einwilligung und der Löschung auf.
privacy-who-heading = Wer Ihre Daten verarbeitet
privacy-who = Die Organisatorinnen und Organisatoren der Kampagne. Die Unterschriften werden bei Amazon Web Services (DynamoDB und Simple Email Service) gespeichert und die E-Mails dort versendet; diese verarbeiten sie nur im Auftrag der Kampagne. Namen werden nie veröffentlicht.
privacy-rights-heading = Ihre Rechte
privacy-rights = Jede E-Mail, die wir Ihnen schicken, enthält einen Link, mit dem Sie Ihre Unterschrift sofort selbst löschen können: Name, Adresse und Land werden gelöscht, und der Zähler sinkt um eins; Sie können später erneut unterzeichnen. Sie können außerdem jederzeit verlangen, Ihre Unterschrift einzusehen, zu berichtigen oder zu löschen, indem Sie an { $contact } schreiben.
privacy-version = Fassung vom { $version }
privacy-third-parties = Die Website setzt kein Cookie und lädt nichts von anderen Unternehmen.
privacy-challenge = Die Website setzt kein Cookie. Solange gefälschte Unterschriften das Formular fluten, zeigt sie eine Prüfung, die Menschen von Bots unterscheidet: { $provider }, betrieben von { $company }; der Dienst erhält dabei Ihre IP-Adresse und Angaben zu Ihrem Browser gemäß seiner eigenen Datenschutzerklärung. Von dieser Prüfung behalten wir nichts.
# The policy's date, as the language writes a date: $month is 1 to 12.
policy-date = { $day }. { $month ->
         [1] Januar
         [2] Februar
         [3] März
         [4] April
         [5] Mai
         [6] Juni
         [7] Juli
         [8] August
         [9] September
         [10] Oktober
         [11] November
        *[12] Dezember
    } { $year }
