counter-signatures = { $count ->
    [one] { $formatted } подпись
    [few] { $formatted } подписи
    [many] { $formatted } подписей
   *[other] { $formatted } подписи
}
counter-goal = Цель: { $goal }
counter-here = из них { $formatted } здесь
counter-unavailable = Число подписей сейчас недоступно.
embed-title = Покажите счётчик на своём сайте
embed-intro = Организации-партнёры могут показывать число подписей в реальном времени, со шкалой до цели кампании, на своих страницах. Вставьте эти две строки туда, где должен появиться счётчик.
embed-options = Укажите в data-lang fr, en, uk, ru или de, а в data-goal — число, к которому ведёт шкала.
embed-style = Счётчик использует шрифт и цвета вашей страницы. Чтобы изменить их, задайте для элемента пользовательские свойства CSS --people-first-accent, --people-first-track и --people-first-text.
embed-privacy = Скрипт больше ничего не загружает, не ставит cookie и ничего не отправляет о ваших посетителях: он только считывает число подписей раз в несколько секунд, пока страница видна.
