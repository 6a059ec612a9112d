counter-signatures = { $count ->
    [one] { $formatted } signature
   *[other] { $formatted } signatures
}
counter-goal = Goal: { $goal }
counter-here = { $formatted } of them here
counter-unavailable = The count is not available right now.
embed-title = Show the count on your site
embed-intro = Partner organisations can show the live number of signatures, with a bar towards the campaign’s goal, on their own pages. Paste these two lines where the count should appear.
embed-options = Set data-lang to fr, en, uk, ru or de, and data-goal to the number the bar leads to. An organisation on the supporters list may add data-source with its code, to show beside the total the signatures made through it, in steps of ten.
embed-style = The count takes your page’s font and colours. To change them, set the CSS custom properties --people-first-accent, --people-first-track and --people-first-text on the element.
embed-privacy = The script loads nothing else, sets no cookie and sends nothing about your visitors: it only reads the count, once every few seconds while the page is visible.
embed-form-title = Put the sign form on your site
embed-form-intro = Organisations on the supporters list can let their readers sign without leaving their pages. Paste the frame where the form should appear, with your organisation’s code (in the email that told you of your approval) in place of CODE, and one of fr, en, uk, ru or de after lang. The script below it, optional, makes the frame as tall as the form.
embed-form-privacy = The form runs on the campaign’s site, inside the frame: your page and its scripts cannot read what your readers type. The frame tells your page nothing but its height. Only your organisation’s website may show it; to show it on another of your sites, write to { $contact }. Each signature made in it is credited to your organisation.
