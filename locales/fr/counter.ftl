counter-signatures = { $count ->
    [one] { $formatted } signature
   *[other] { $formatted } signatures
}
counter-goal = Objectif : { $goal }
counter-here = dont { $formatted } ici
counter-unavailable = Le décompte n’est pas disponible pour le moment.
embed-title = Afficher le décompte sur votre site
embed-intro = Les organisations partenaires peuvent afficher le nombre de signatures en direct, avec une barre vers l’objectif de la campagne, sur leurs propres pages. Collez ces deux lignes là où le décompte doit apparaître.
embed-options = Indiquez dans data-lang fr, en, uk, ru ou de, et dans data-goal le nombre vers lequel mène la barre.
embed-style = Le décompte reprend la police et les couleurs de votre page. Pour les changer, définissez sur l’élément les propriétés CSS personnalisées --people-first-accent, --people-first-track et --people-first-text.
embed-privacy = Le script ne charge rien d’autre, ne dépose aucun cookie et n’envoie rien sur vos visiteurs : il lit seulement le décompte, toutes les quelques secondes tant que la page est visible.
