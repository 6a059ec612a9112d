counter-signatures = { $count ->
    [one] { $formatted } signature
   *[other] { $formatted } signatures
}
counter-goal = Goal: { $goal }
counter-here = { $formatted } of them here
counter-unavailable = The count is not available right now.
embed-title = Show the count on your site
embed-intro = Partner organisations can show the live number of signatures, with a bar towards the campaign’s goal, on their own pages. Paste these two lines where the count should appear.
embed-options = Set data-lang to fr, en, uk, ru or de, and data-goal to the number the bar leads to.
embed-style = The count takes your page’s font and colours. To change them, set the CSS custom properties --people-first-accent, --people-first-track and --people-first-text on the element.
embed-privacy = The script loads nothing else, sets no cookie and sends nothing about your visitors: it only reads the count, once every few seconds while the page is visible.
