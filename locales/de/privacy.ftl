privacy-title = Datenschutzerklärung
privacy-intro = Diese Erklärung sagt, was People First mit den Daten der Unterzeichnenden tut, und warum. Sie beschreibt, was die Software zum Unterzeichnen tatsächlich tut.
privacy-what-heading = Was wir speichern
privacy-what = Ihren Namen, Ihre E-Mail-Adresse, Ihr Land, die Sprache, in der Sie unterzeichnet haben, ob Sie informiert werden möchten, wann Sie unterzeichnet und wann Sie bestätigt haben und welche Fassung dieser Erklärung Ihnen gezeigt wurde. Ihre IP-Adresse speichern wir nicht.
privacy-why-heading = Warum
privacy-why = Um sicherzugehen, dass ein echter Mensch unterzeichnet hat (dafür ist die Bestätigungs-E-Mail da), um die Unterschriften nach Ländern zu zählen und um die Namen und Länder denen zu übergeben, die über die Freilassung der Festgehaltenen verhandeln. Wir schreiben Ihnen über die Kampagne nur, wenn Sie das entsprechende Feld angekreuzt haben.
privacy-how-long-heading = Wie lange
privacy-how-long = Eine nicht bestätigte Unterschrift wird { $days } Tage nach der letzten dafür gesendeten E-Mail automatisch gelöscht. Sobald Sie bestätigen, vergessen wir Ihre E-Mail-Adresse, es sei denn, Sie möchten informiert werden; wir behalten nur einen mit einem geheimen Schlüssel gebildeten Fingerabdruck davon, damit dieselbe Adresse nicht zweimal unterzeichnen kann. Damit kein Postfach mehr als drei E-Mails am Tag von uns erhält, behalten wir außerdem bis zum nächsten Tag einen weiteren, ebenso gebildeten Fingerabdruck der Adresse mit der Zahl der an sie gesendeten E-Mails. Kommt eine E-Mail zurück, weil die Adresse nicht existiert, vermerken wir das bei der nicht bestätigten Unterschrift und schreiben nicht mehr an diese Adresse. Ihr Name und Ihr Land werden bis zum Ende der Kampagne aufbewahrt.
privacy-backups-heading = Sicherungen
privacy-backups = Damit durch einen Fehler keine Unterschriften verloren gehen, wird die Tabelle der Unterschriften laufend gesichert, und jede Sicherung wird { $backup_days } Tage lang aufbewahrt. Eine gelöschte oder abgelaufene Unterschrift verschwindet nach diesen { $backup_days } Tagen auch aus den Sicherungen.
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
