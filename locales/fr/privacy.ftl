privacy-title = Politique de confidentialité
privacy-intro = Cette politique dit ce que People First fait des données des personnes qui signent, et pourquoi. Elle décrit ce que fait réellement le logiciel de signature.
privacy-what-heading = Ce que nous conservons
privacy-what = Votre nom, votre adresse e-mail, votre pays, la langue dans laquelle vous avez signé, si vous avez demandé à être tenu·e informé·e, l’organisation partenaire ou le canal par lequel vous avez signé le cas échéant, si vous avez accepté de recevoir des nouvelles de cette organisation, la date de votre signature et celle de votre confirmation, et la version de cette politique qui vous a été présentée. Nous notons aussi chez quel grand fournisseur de messagerie se trouve votre adresse (Gmail, Outlook, Yandex, Mail.ru, Proton ou un autre), pour voir où nos e-mails n’arrivent pas ; cette mention ne contient aucun autre élément de l’adresse et est conservée après son effacement. Nous ne conservons pas votre adresse IP.
privacy-why-heading = Pourquoi
privacy-why = Pour nous assurer qu’une vraie personne a signé (c’est le rôle de l’e-mail de confirmation), pour compter les signatures par pays et pour remettre les noms et les pays à celles et ceux qui négocient la libération des détenus. Nous ne vous écrivons au sujet de la campagne que si vous avez coché cette case.
privacy-how-long-heading = Pour combien de temps
privacy-how-long = Une signature non confirmée est supprimée automatiquement { $days } jours après le dernier e-mail envoyé pour elle. Dès que vous confirmez, nous oublions votre adresse e-mail, sauf si vous avez demandé à être tenu·e informé·e ; nous n’en gardons qu’une empreinte calculée avec une clé secrète, pour qu’une même adresse ne puisse pas signer deux fois. Pour qu’aucune boîte de messagerie ne reçoive plus de trois de nos e-mails par jour, nous gardons aussi jusqu’au lendemain une autre empreinte de l’adresse, calculée de la même façon, avec le nombre d’e-mails qui lui ont été envoyés. Si un e-mail nous revient parce que l’adresse n’existe pas, nous le notons sur la signature non confirmée et n’écrivons plus à cette adresse. Votre nom et votre pays sont conservés jusqu’à la fin de la campagne.
privacy-backups-heading = Sauvegardes
privacy-backups = Pour qu’aucune erreur ne puisse faire perdre de signatures, la table des signatures est sauvegardée en continu et chaque sauvegarde est conservée { $backup_days } jours. Une signature effacée, ou expirée, disparaît des sauvegardes au bout de ces { $backup_days } jours.
privacy-emails-heading = Les e-mails que nous envoyons
privacy-emails = Outre l’e-mail de confirmation, nous envoyons un seul rappel un jour plus tard si la signature n’est toujours pas confirmée, et rien de plus à son sujet. Si vous avez demandé à être tenu·e informé·e, nous vous envoyons les nouvelles de la campagne, rédigées par la campagne ; chaque e-mail porte un lien qui les arrête en un clic, et le bouton de désabonnement de votre messagerie fait de même. Nos e-mails ne contiennent ni pixel de suivi ni liens réécrits : nous ne savons pas si vous les ouvrez ni quels liens vous suivez. Quand nous vous envoyons des nouvelles, nous le notons pendant une semaine avec l’empreinte de votre adresse calculée avec une clé secrète, pour que personne ne les reçoive deux fois. Si votre boîte de messagerie refuse nos nouvelles, ou si vous les signalez comme spam, nous ne vous en envoyons plus.
privacy-partners-heading = Organisations partenaires
privacy-partners = Si vous signez par un lien ou sur une page d’une organisation qui soutient la campagne, ou par un lien partagé sur une messagerie ou un réseau social, nous notons cette organisation ou ce canal avec votre signature, jamais la personne qui vous a transmis le lien, pour compter les signatures que chacun a apportées. Un formulaire sur la page d’un partenaire fonctionne sur notre site, dans un cadre : le partenaire ne peut pas voir ce que vous saisissez. Si vous cochez la case demandant à recevoir aussi des nouvelles de cette organisation, nous conservons votre accord avec sa date et la version de cette politique ; une fois votre signature confirmée, nous transmettons à cette organisation votre nom, votre adresse e-mail, votre pays, votre langue et la date de votre accord, et rien d’autre, pour qu’elle puisse vous écrire selon sa propre politique de confidentialité. Cet accord est distinct des nouvelles de la campagne et de votre signature : le lien de nos e-mails vous permet de retirer l’un ou l’autre à tout moment sans effacer votre signature. Si l’organisation a déjà reçu votre adresse, notre prochain envoi lui indique que vous avez retiré votre accord, et elle doit cesser de vous écrire ; nous ne gardons votre adresse que pour cet envoi. Il en va de même si vous effacez votre signature : jusqu’à cet envoi, nous ne gardons alors que votre adresse, l’organisation et les dates de votre accord et de l’effacement.
privacy-who-heading = Qui traite vos données
privacy-who = Les organisateurs de la campagne. Les signatures sont conservées, et les e-mails envoyés, sur Amazon Web Services (DynamoDB et Simple Email Service), qui les traite uniquement pour le compte de la campagne. Les noms ne sont jamais publiés.
privacy-rights-heading = Vos droits
privacy-rights = Chaque e-mail que nous vous envoyons contient un lien pour effacer vous-même votre signature, immédiatement : votre nom, votre adresse et votre pays sont supprimés et le compteur baisse d’une unité ; vous pourrez signer à nouveau plus tard. Vous pouvez aussi demander à tout moment à consulter, corriger ou effacer votre signature en écrivant à { $contact }.
privacy-version = Version du { $version }
privacy-third-parties = Le site ne dépose aucun cookie et ne charge rien depuis une autre entreprise.
privacy-challenge = Le site ne dépose aucun cookie. Tant que de fausses signatures inondent le formulaire, il affiche une vérification qui distingue les personnes des robots : { $provider }, exploité par { $company }, qui reçoit alors votre adresse IP et des informations sur votre navigateur selon sa propre politique de confidentialité. Nous ne gardons rien de cette vérification.
# The policy's date, as the language writes a date: $month is 1 to 12.
policy-date = { $day ->
        [1] 1er
       *[other] { $day }
    } { $month ->
         [1] janvier
         [2] février
         [3] mars
         [4] avril
         [5] mai
         [6] juin
         [7] juillet
         [8] août
         [9] septembre
         [10] octobre
         [11] novembre
        *[12] décembre
    } { $year }
