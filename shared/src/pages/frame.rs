//! The sign form on a partner's page: the home page's form, compact, in a frame of our origin.

use super::{country_options, render};
use crate::domain::Locale;
use minijinja::context;

/// The partner whose page frames the form, and where the frame's form goes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Frame {
    /// The partner's code, credited with each signature the frame takes.
    pub code: String,
    /// Its name, in the frame's language.
    pub partner: String,
    /// Where the form is sent without a script: the frame again.
    pub action: String,
    /// The frame's own "check your email", shown in the frame after signing.
    pub sent: String,
    /// Shown in a tab of its own (a correction, after the framed form was sent without a
    /// script): its form stays in that tab instead of opening another.
    pub in_a_tab: bool,
}

/// The framed form, with the fields as sent and what was wrong with them; or, once `sent`, the
/// frame's "check your email".
pub fn frame_page(
    locale: Locale,
    frame: &Frame,
    values: &impl serde::Serialize,
    errors: &std::collections::BTreeMap<&str, String>,
    challenge: Option<&crate::domain::challenge::Widget>,
    sent: bool,
) -> String {
    render(
        "frame.html",
        &context! {
            locale => locale.code(), frame => frame, values => values, errors => errors,
            countries => country_options(locale), challenge => challenge, sent => sent,
        },
    )
}

/// What a partner pastes to show the form: the frame, and a few lines that make it as tall as
/// the form (the frame's only message to the page is its height).
pub fn frame_snippet(public_url: &str, code: &str, locale: Locale) -> String {
    let title = crate::i18n::text(locale, crate::i18n::MessageId::SIGN_HEADING);
    let at = format!("{public_url}{}", crate::domain::routes::Api::Frame.path());
    format!(
        "<iframe src=\"{at}?partner={code}&amp;lang={locale}\" title=\"{title}\" \
         style=\"width:100%;max-width:36rem;height:56rem;border:0\"></iframe>\n\
         <script>addEventListener('message', function (e) {{\n  \
         if (e.origin !== '{public_url}' || !e.data || typeof e.data.peopleFirstHeight !== 'number') return;\n  \
         document.querySelectorAll('iframe[src^=\"{at}\"]').forEach(function (f) {{ f.style.height = e.data.peopleFirstHeight + 'px'; }});\n\
         }});</script>"
    )
}
