counter-signatures = { $count ->
    [one] { $formatted } Unterschrift
   *[other] { $formatted } Unterschriften
}
counter-goal = Ziel: { $goal }
counter-here = davon { $formatted } hier
counter-unavailable = Die Zahl ist gerade nicht verfügbar.
embed-title = Zeigen Sie den Zähler auf Ihrer Website
embed-intro = Partnerorganisationen können die Zahl der Unterschriften live auf ihren eigenen Seiten zeigen, mit einem Balken bis zum Ziel der Kampagne. Fügen Sie diese zwei Zeilen dort ein, wo der Zähler erscheinen soll.
embed-options = Setzen Sie data-lang auf fr, en, uk, ru oder de und data-goal auf die Zahl, zu der der Balken führt. Eine Organisation auf der Unterstützerliste kann data-source mit ihrem Code ergänzen, um neben der Gesamtzahl die über sie geleisteten Unterschriften anzuzeigen, in Zehnerschritten.
embed-style = Der Zähler übernimmt Schrift und Farben Ihrer Seite. Um sie zu ändern, setzen Sie am Element die CSS-Eigenschaften --people-first-accent, --people-first-track und --people-first-text.
embed-privacy = Das Skript lädt nichts weiter, setzt kein Cookie und sendet nichts über Ihre Besucher: Es liest nur die Zahl, alle paar Sekunden, solange die Seite sichtbar ist.
embed-form-title = Binden Sie das Unterschriftsformular in Ihre Website ein
embed-form-intro = Organisationen auf der Unterstützerliste können ihre Leserinnen und Leser unterschreiben lassen, ohne dass diese ihre Seiten verlassen. Fügen Sie den Rahmen dort ein, wo das Formular erscheinen soll, ersetzen Sie darin CODE durch den Code Ihrer Organisation (aus der E-Mail, mit der wir Ihnen die Aufnahme mitgeteilt haben) und setzen Sie nach lang fr, en, uk, ru oder de ein. Das optionale Skript darunter passt die Höhe des Rahmens an das Formular an.
embed-form-privacy = Das Formular läuft auf der Website der Kampagne, innerhalb des Rahmens: Ihre Seite und deren Skripte können nicht lesen, was Ihre Leserinnen und Leser eingeben. Der Rahmen teilt Ihrer Seite nur seine Höhe mit. Nur die Website Ihrer Organisation kann ihn anzeigen; um ihn auf einer anderen Ihrer Websites zu zeigen, schreiben Sie an { $contact }. Jede Unterschrift, die darin geleistet wird, wird Ihrer Organisation zugerechnet.
