email-subject = Bestätigen Sie Ihre Unterschrift für People First
email-greeting = Hallo { $name },
email-intro = Danke, dass Sie den Aufruf von People First für die Freilassung aller Menschen unterzeichnet haben, die infolge des russischen Einmarsches in die Ukraine festgehalten werden.
email-action = Um Ihre Unterschrift zu bestätigen, öffnen Sie diesen Link:
email-button = Meine Unterschrift bestätigen
email-expiry = Der Link gilt { $days } Tage.
email-ignore = Wenn Sie nicht unterzeichnet haben, ignorieren Sie diese E-Mail: Ohne Bestätigung werden Ihre Daten automatisch gelöscht.
email-footer = People First (#People1st). Sie erhalten diese E-Mail, weil diese Adresse im Unterschriftenformular der Kampagne eingegeben wurde.
