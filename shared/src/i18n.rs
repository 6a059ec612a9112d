//! The campaign's strings, from `locales/<lang>/*.ftl`, compiled into every binary.

use crate::domain::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;

macro_rules! locale_files {
    ($($lang:literal),*) => {
        &[$(
            ($lang, "signing.ftl", include_str!(concat!("../../locales/", $lang, "/signing.ftl"))),
            ($lang, "pages.ftl", include_str!(concat!("../../locales/", $lang, "/pages.ftl"))),
            ($lang, "email.ftl", include_str!(concat!("../../locales/", $lang, "/email.ftl"))),
        )*]
    };
}

/// Every Fluent file: (language, file name, source).
pub const SOURCES: &[(&str, &str, &str)] = locale_files!("fr", "en", "uk", "ru", "de");

/// Where a string goes decides whether Fluent wraps arguments in bidi isolation marks: they
/// protect HTML, and show up as junk in email subjects and plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    Html,
    PlainText,
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(locale: Locale, isolating: bool) -> Bundle {
    let mut bundle = Bundle::new_concurrent(vec![locale.language_identifier()]);
    bundle.set_use_isolating(isolating);
    for (lang, file, source) in SOURCES {
        if *lang != locale.code() {
            continue;
        }
        let resource = FluentResource::try_new((*source).to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{lang}/{file} does not parse: {errors:?}"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{lang}/{file} repeats a message: {errors:?}"));
    }
    bundle
}

static HTML: LazyLock<Vec<Bundle>> =
    LazyLock::new(|| Locale::ALL.iter().map(|&l| bundle(l, true)).collect());
static PLAIN: LazyLock<Vec<Bundle>> =
    LazyLock::new(|| Locale::ALL.iter().map(|&l| bundle(l, false)).collect());

/// Whether a message exists in a language.
pub fn has_message(locale: Locale, id: &str) -> bool {
    HTML[locale.index()].has_message(id)
}

/// A message in a language with its arguments; the message id itself if it is missing, which
/// the locale tests rule out.
pub fn message(
    locale: Locale,
    medium: Medium,
    id: &str,
    args: &[(&str, FluentValue<'_>)],
) -> String {
    let bundle = match medium {
        Medium::Html => &HTML[locale.index()],
        Medium::PlainText => &PLAIN[locale.index()],
    };
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::error!(id, locale = locale.code(), "missing message");
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::error!(
            id,
            locale = locale.code(),
            ?errors,
            "message did not render"
        );
    }
    text.into_owned()
}

/// A message without arguments, for plain text.
pub fn text(locale: Locale, id: &str) -> String {
    message(locale, Medium::PlainText, id, &[])
}
