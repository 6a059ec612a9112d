counter-signatures = { $count ->
    [one] { $formatted } signature
   *[other] { $formatted } signatures
}
counter-goal = Objectif : { $goal }
counter-here = dont { $formatted } ici
counter-unavailable = Le décompte n’est pas disponible pour le moment.
embed-title = Afficher le décompte sur votre site
embed-intro = Les organisations partenaires peuvent afficher le nombre de signatures en direct, avec une barre vers l’objectif de la campagne, sur leurs propres pages. Collez ces deux lignes là où le décompte doit apparaître.
embed-options = Indiquez dans data-lang fr, en, uk, ru ou de, et dans data-goal le nombre vers lequel mène la barre. Une organisation de la liste des soutiens peut ajouter data-source avec son code, pour afficher à côté du total les signatures recueillies par son intermédiaire, par tranches de dix.
embed-style = Le décompte reprend la police et les couleurs de votre page. Pour les changer, définissez sur l’élément les propriétés CSS personnalisées --people-first-accent, --people-first-track et --people-first-text.
embed-privacy = Le script ne charge rien d’autre, ne dépose aucun cookie et n’envoie rien sur vos visiteurs : il lit seulement le décompte, toutes les quelques secondes tant que la page est visible.
embed-form-title = Mettre le formulaire de signature sur votre site
embed-form-intro = Les organisations de la liste des soutiens peuvent permettre à leurs lecteurs de signer sans quitter leurs pages. Collez le cadre là où le formulaire doit apparaître, avec le code de votre organisation (dans l’e-mail qui vous a annoncé son approbation) à la place de CODE, et fr, en, uk, ru ou de après lang. Le script qui suit, facultatif, donne au cadre la hauteur du formulaire.
embed-form-privacy = Le formulaire fonctionne sur le site de la campagne, à l’intérieur du cadre : votre page et ses scripts ne peuvent pas lire ce que saisissent vos lecteurs. Le cadre ne transmet à votre page que sa hauteur. Seul le site de votre organisation peut l’afficher ; pour l’afficher sur un autre de vos sites, écrivez à { $contact }. Chaque signature recueillie ainsi est attribuée à votre organisation.
