email-subject = Confirm your signature for People First
email-greeting = Hello { $name },
email-intro = Thank you for signing the People First appeal for the release of all people detained as a result of Russia’s invasion of Ukraine.
email-action = To confirm your signature, open this link:
email-button = Confirm my signature
email-expiry = The link works for { $days } days.
email-ignore = If you did not sign, ignore this email: without confirmation, your data is deleted automatically.
email-footer = People First (#People1st). You receive this email because this address was entered on the campaign’s signing form.
