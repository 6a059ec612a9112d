email-subject = Confirmez votre signature pour People First
email-greeting = Bonjour { $name },
email-intro = Merci d’avoir signé l’appel People First pour la libération de toutes les personnes détenues à la suite de l’invasion de l’Ukraine par la Russie.
email-action = Pour confirmer votre signature, ouvrez ce lien :
email-button = Confirmer ma signature
email-expiry = Le lien est valable { $days } jours.
email-ignore = Si vous n’avez pas signé, ignorez cet e-mail : sans confirmation, vos données sont supprimées automatiquement.
email-footer = People First (#People1st). Vous recevez cet e-mail parce que cette adresse a été saisie dans le formulaire de signature de la campagne.
