//! The pages and emails the functions render, from `static/templates` and the Fluent strings.

mod emails;
mod frame;
mod update;
pub use frame::{Frame, frame_page, frame_snippet};
pub use update::update_email;
#[cfg(feature = "site")]
pub mod site;

pub use emails::{Emails, confirmation_email};

use crate::domain::routes::Page;
use crate::domain::{Country, Locale};
use crate::i18n::MessageId;
use crate::i18n::{self, Medium};
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State, context};
use std::sync::LazyLock;

/// How often a page showing the count asks again: the CDN's cache period for the count
/// (`http::count::CACHE_CONTROL_VALUE`, s-maxage), so that each poll can bring news.
pub const COUNT_POLL_PERIOD_MS: u64 = 10_000;

/// The partner sites' counter script, with every language's strings written in.
const EMBED_SCRIPT: &str = include_str!("../../../static/embed.js");

macro_rules! templates {
    ($($name:literal),*) => {
        &[$(($name, include_str!(concat!("../../../static/templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "layout.html",
    "form.html",
    "sign.html",
    "message.html",
    "confirm.html",
    "erase.html",
    "unsubscribe.html",
    "badge.svg",
    "email/confirmation.html",
    "email/confirmation.txt",
    "email/notice.html",
    "email/notice.txt",
    "email/update.html",
    "email/update.txt",
    "organisations.html",
    "organisation-form.html",
    "organisation-confirm.html",
    "frame.html",
    "count.html"
);

/// The pages only the site's build renders.
#[cfg(feature = "site")]
const SITE_TEMPLATES: &[(&str, &str)] = templates!(
    "home.html",
    "privacy.html",
    "share.html",
    "check-email.html",
    "embed.html",
    "map.html"
);
#[cfg(not(feature = "site"))]
const SITE_TEMPLATES: &[(&str, &str)] = &[];

/// `{{ t("message-id", name=value) }}`: a Fluent message in the page's `locale`.
// minijinja hands keyword arguments over by value.
#[allow(clippy::needless_pass_by_value)]
fn translate(state: &State, id: &str, kwargs: Kwargs) -> Result<String, Error> {
    let locale = state
        .lookup("locale")
        .and_then(|l| l.as_str().and_then(|s| Locale::parse(s).ok()))
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, "the page has no locale"))?;
    let plain = std::path::Path::new(state.name())
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    let medium = if plain {
        Medium::PlainText
    } else {
        Medium::Html
    };
    let mut args: Vec<(&str, FluentValue)> = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let value = match value.as_i64() {
            Some(n) => FluentValue::from(n),
            None => FluentValue::from(
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned),
            ),
        };
        args.push((name, value));
    }
    Ok(i18n::render(locale, medium, id, &args))
}

/// `value | tojson`: JSON that stays inert inside HTML or a script, as minijinja's own filter
/// writes it.
fn to_json(value: &Value) -> Result<Value, minijinja::Error> {
    let json = serde_json::to_string(value).map_err(|e| {
        minijinja::Error::new(minijinja::ErrorKind::BadSerialization, e.to_string())
    })?;
    let inert = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\'', "\\u0027");
    Ok(Value::from_safe_string(inert))
}

static ENVIRONMENT: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        let extension = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if extension.eq_ignore_ascii_case("html") || extension.eq_ignore_ascii_case("svg") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    for (name, source) in TEMPLATES.iter().chain(SITE_TEMPLATES) {
        env.add_template(name, source).expect("the templates parse");
    }
    env.add_template("embed.js", EMBED_SCRIPT)
        .expect("the embed script parses");
    env.add_function("t", translate);
    // The filters the templates use; the rest of the built-in library stays out of the binaries.
    env.add_filter("tojson", to_json);
    env.add_filter("speaker", |said: &str| speaker_and_role(said).0.to_owned());
    env.add_filter("role", |said: &str| speaker_and_role(said).1.to_owned());
    // Every page links every language, each named in itself.
    let locales: Vec<Value> = Locale::ALL
        .iter()
        .map(|&l| context! { code => l.code(), name => i18n::text(l, MessageId::LANGUAGE_NAME) })
        .collect();
    env.add_global("locales", locales);
    env
});

/// A quote's author line, as every language writes it: the speaker's name, then after the first
/// comma who they are.
fn speaker_and_role(author: &str) -> (&str, &str) {
    author.split_once(", ").unwrap_or((author, ""))
}

pub(crate) fn render(template: &str, context: &Value) -> String {
    ENVIRONMENT
        .get_template(template)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| panic!("template {template} failed to render: {e:#}"))
}

/// The sign form's country list, in the language's order.
pub(crate) fn country_options(locale: Locale) -> Vec<Value> {
    Country::all_by_name(locale)
        .iter()
        .map(|(c, name)| context! { code => c.code(), name => name })
        .collect()
}

/// The sign form, empty or showing what was typed with the errors next to their fields.
pub fn sign_page(
    locale: Locale,
    values: &impl serde::Serialize,
    errors: &std::collections::BTreeMap<&str, String>,
    challenge: Option<&crate::domain::challenge::Widget>,
) -> String {
    render(
        "sign.html",
        &context! {
            locale => locale.code(), values => values, errors => errors,
            countries => country_options(locale),
            challenge => challenge,
        },
    )
}

/// Where a short page sends its reader on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Onward {
    /// Back to the campaign's home page.
    Home,
    /// To the form, to sign again (a dead link, an expired one).
    SignAgain,
    /// To the organisations' form, to send a request again.
    AskAgain,
}

/// A page with a heading, a sentence and a way onward: check your email, thank you, errors.
pub fn message_page(locale: Locale, heading: MessageId, body: MessageId, onward: Onward) -> String {
    let message = message_context(heading, body, onward);
    render(
        "message.html",
        &context! { locale => locale.code(), ..message },
    )
}

/// What `message.html` shows, whoever renders it: the functions, or the site's build.
pub(crate) fn message_context(heading: MessageId, body: MessageId, onward: Onward) -> Value {
    context! {
        heading => heading, body => body, sign_again => onward == Onward::SignAgain,
        again => (onward == Onward::AskAgain).then_some(Page::Organisations.path()),
        again_label => MessageId::ORGANISATION_SEND_AGAIN,
        days => crate::domain::retention::LINK_LIFETIME.in_days(),
        backup_days => crate::domain::BACKUP_RETENTION_DAYS,
    }
}

/// The page a confirmation link opens: what the button confirms (the name, the country, and
/// whether updates were asked for), one button, which POSTs, and a way to sign differently.
pub fn confirm_page(
    token: &str,
    already_confirmed: bool,
    choices: &crate::ports::SignerChoices,
) -> String {
    let locale = choices.locale;
    render(
        "confirm.html",
        &context! {
            locale => locale.code(), token => token, already_confirmed => already_confirmed,
            name => choices.name.as_str(), country => choices.country.name(locale),
            updates => choices.updates,
            partner => choices.partner_consent.as_ref().map(|c| c.name.as_str()),
        },
    )
}

/// The page an erasure link opens: the button that erases, and one for each consent held
/// (`partner` by the name its frame showed).
pub fn erase_page(locale: Locale, token: &str, updates: bool, partner: Option<&str>) -> String {
    render(
        "erase.html",
        &context! { locale => locale.code(), token => token, updates => updates, partner => partner },
    )
}

/// The page the link in an update's `List-Unsubscribe` opens: one button, which posts to the
/// same link, the update it came from included.
pub fn unsubscribe_page(
    locale: Locale,
    token: &str,
    update: Option<crate::domain::UpdateNumber>,
) -> String {
    render(
        "unsubscribe.html",
        &context! { locale => locale.code(), token => token, update => update.map(crate::domain::UpdateNumber::get) },
    )
}

/// The organisations' form again, with the fields as sent and what was wrong with them.
pub fn organisation_form_page(
    locale: Locale,
    values: &impl serde::Serialize,
    errors: &std::collections::BTreeMap<&str, String>,
    challenge: Option<&crate::domain::challenge::Widget>,
) -> String {
    render(
        "organisations.html",
        &context! {
            locale => locale.code(), values => values, errors => errors,
            countries => country_options(locale), challenge => challenge,
            contact_days => crate::domain::retention::CONTACT_KEPT_AFTER_DECISION.in_days(),
        },
    )
}

/// The page a contact's link opens: the organisation it confirms, and one button, which POSTs.
pub fn organisation_confirm_page(locale: Locale, id: &str, token: &str, name: &str) -> String {
    render(
        "organisation-confirm.html",
        &context! { locale => locale.code(), id => id, token => token, organisation => name },
    )
}

/// The confirmed signatures by country as a page, for those whose browser runs no script: each
/// country the count shows apart, the most first, and the others together.
pub fn count_page(
    locale: Locale,
    countries: &[(crate::domain::Country, u64)],
    others: u64,
) -> String {
    let rows: Vec<Value> = countries
        .iter()
        .map(|(country, confirmed)| {
            context! {
                name => country.name(locale),
                confirmed => i18n::format_number(locale, *confirmed),
            }
        })
        .collect();
    let others = (others > 0).then(|| i18n::format_number(locale, others));
    render(
        "count.html",
        &context! { locale => locale.code(), rows => rows, others => others },
    )
}

/// The count badge, an SVG image.
pub fn badge(label: &str, count: &str, label_width: u32, count_width: u32) -> String {
    render(
        "badge.svg",
        &context! {
            label => label, count => count, label_width => label_width, count_width => count_width,
            width => label_width + count_width,
        },
    )
}

/// `embed.js`: the counter script, polling at the count's cache period.
pub fn embed_script() -> String {
    let strings: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, String>> =
        Locale::ALL
            .iter()
            .map(|&locale| {
                let mut words = i18n::signatures_by_plural_category(locale);
                let goal = i18n::message(
                    locale,
                    Medium::PlainText,
                    MessageId::COUNTER_GOAL,
                    &[("goal", FluentValue::from("{}"))],
                );
                words.insert("goal", goal);
                words.insert(
                    "here",
                    i18n::message(
                        locale,
                        Medium::PlainText,
                        MessageId::COUNTER_HERE,
                        &[("formatted", FluentValue::from("{}"))],
                    ),
                );
                words.insert("name", i18n::text(locale, MessageId::CAMPAIGN_NAME));
                (locale.code(), words)
            })
            .collect();
    render(
        "embed.js",
        &context! { strings => strings, period_ms => COUNT_POLL_PERIOD_MS },
    )
}
