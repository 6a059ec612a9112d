counter-signatures = { $count ->
    [one] { $formatted } підпис
    [few] { $formatted } підписи
    [many] { $formatted } підписів
   *[other] { $formatted } підпису
}
counter-goal = Мета: { $goal }
counter-here = з них { $formatted } тут
counter-unavailable = Кількість підписів зараз недоступна.
embed-title = Покажіть лічильник на своєму сайті
embed-intro = Організації-партнери можуть показувати кількість підписів наживо, зі шкалою до мети кампанії, на своїх сторінках. Вставте ці два рядки туди, де має з’явитися лічильник.
embed-options = Укажіть у data-lang fr, en, uk, ru або de, а в data-goal — число, до якого веде шкала.
embed-style = Лічильник бере шрифт і кольори вашої сторінки. Щоб змінити їх, задайте для елемента власні властивості CSS --people-first-accent, --people-first-track і --people-first-text.
embed-privacy = Скрипт більше нічого не завантажує, не ставить файлів cookie і нічого не надсилає про ваших відвідувачів: він лише зчитує кількість підписів раз на кілька секунд, поки сторінку видно.
