counter-signatures = { $count ->
    [one] { $formatted } Unterschrift
   *[other] { $formatted } Unterschriften
}
counter-goal = Ziel: { $goal }
counter-here = davon { $formatted } hier
counter-unavailable = Die Zahl ist gerade nicht verfügbar.
embed-title = Zeigen Sie den Zähler auf Ihrer Website
embed-intro = Partnerorganisationen können die Zahl der Unterschriften live auf ihren eigenen Seiten zeigen, mit einem Balken bis zum Ziel der Kampagne. Fügen Sie diese zwei Zeilen dort ein, wo der Zähler erscheinen soll.
embed-options = Setzen Sie data-lang auf fr, en, uk, ru oder de und data-goal auf die Zahl, zu der der Balken führt.
embed-style = Der Zähler übernimmt Schrift und Farben Ihrer Seite. Um sie zu ändern, setzen Sie am Element die CSS-Eigenschaften --people-first-accent, --people-first-track und --people-first-text.
embed-privacy = Das Skript lädt nichts weiter, setzt kein Cookie und sendet nichts über Ihre Besucher: Es liest nur die Zahl, alle paar Sekunden, solange die Seite sichtbar ist.
