//! The campaign's strings, from `locales/<lang>/*.ftl`, compiled into every binary.

use crate::domain::{Field, InputError, Locale};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::LazyLock;

// `locale_files!`, which includes each language's copy of the files it names.
include!(concat!(env!("OUT_DIR"), "/locale_files.rs"));

/// The Fluent files every binary carries: (language, file name, source).
const EVERYWHERE: &[(&str, &str, &str)] = locale_files!(
    "signing.ftl",
    "pages.ftl",
    "email.ftl",
    "counter.ftl",
    "site.ftl",
    "organisations.ftl"
);

/// The campaign's text and the privacy policy, needed only where the site is built: the
/// functions stay smaller without them.
#[cfg(feature = "site")]
const SITE_ONLY: &[(&str, &str, &str)] = locale_files!("home.ftl", "privacy.ftl");
#[cfg(not(feature = "site"))]
const SITE_ONLY: &[(&str, &str, &str)] = &[];

/// Every Fluent file this binary carries: (language, file name, source).
pub fn sources() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    EVERYWHERE.iter().chain(SITE_ONLY)
}

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
    for (lang, file, source) in sources() {
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

mod ids;
pub use ids::MessageId;

/// Whether a message exists in a language.
pub fn has_message(locale: Locale, id: &str) -> bool {
    HTML[locale.index()].has_message(id)
}

/// A message in a language with its arguments.
pub fn message(
    locale: Locale,
    medium: Medium,
    id: MessageId,
    args: &[(&str, FluentValue<'_>)],
) -> String {
    render(locale, medium, id.as_str(), args)
}

/// The message for a field's error: "error-{field}-{kind}", with the most characters it takes.
pub fn field_error(
    locale: Locale,
    medium: Medium,
    field: Field,
    error: InputError,
    max_chars: usize,
) -> String {
    let id = field_error_id(field, error);
    render(locale, medium, &id, &[("max", max_chars.into())])
}

/// The id of a field's error message; the locale tests check every one a form can raise.
pub fn field_error_id(field: Field, error: InputError) -> String {
    let kind = match error {
        InputError::Missing => "missing",
        InputError::TooLong => "too-long",
        InputError::ControlCharacters => "control",
        InputError::Invalid => "invalid",
        InputError::Unsendable => "unsendable",
        InputError::NotAName => "not-a-name",
    };
    format!("error-{}-{kind}", field.name())
}

/// A message by its id as a string, as templates and the locale tests name them; the id itself
/// if it is missing, which the locale tests rule out.
pub fn render(
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
pub fn text(locale: Locale, id: MessageId) -> String {
    message(locale, Medium::PlainText, id, &[])
}

fn icu_locale(locale: Locale) -> icu_locale_core::Locale {
    locale
        .code()
        .parse()
        .expect("the five codes are valid locales")
}

static NUMBER_FORMATS: LazyLock<Vec<icu_decimal::DecimalFormatter>> = LazyLock::new(|| {
    Locale::ALL
        .iter()
        .map(|&l| {
            icu_decimal::DecimalFormatter::try_new(
                icu_locale(l).into(),
                icu_decimal::options::DecimalFormatterOptions::default(),
            )
            .expect("CLDR number formats are compiled in")
        })
        .collect()
});

/// A whole number as the language writes it: 12 345 in French, 12,345 in English.
pub fn format_number(locale: Locale, n: u64) -> String {
    NUMBER_FORMATS[locale.index()]
        .format(&icu_decimal::input::Decimal::from(n))
        .to_string()
}

/// "12,345 signatures", with the plural the language needs.
pub fn signatures(locale: Locale, medium: Medium, count: u64) -> String {
    message(
        locale,
        medium,
        MessageId::COUNTER_SIGNATURES,
        &[
            ("count", FluentValue::from(count)),
            ("formatted", FluentValue::from(format_number(locale, count))),
        ],
    )
}

/// How many of the signatures came through the site showing the count: a partner's.
pub fn signatures_here(locale: Locale, medium: Medium, count: u64) -> String {
    message(
        locale,
        medium,
        MessageId::COUNTER_HERE,
        &[("formatted", FluentValue::from(format_number(locale, count)))],
    )
}

/// For scripts that pluralise in the browser: the signatures message for each plural category
/// of the language, with `{}` where the formatted number goes.
pub fn signatures_by_plural_category(
    locale: Locale,
) -> std::collections::BTreeMap<&'static str, String> {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let rules = PluralRules::create(locale.language_identifier(), PluralRuleType::CARDINAL)
        .expect("plural rules exist for the five languages");
    let name = |category: PluralCategory| match category {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    };
    // Whole numbers reach every category a count can be in.
    (0_u64..=200)
        .filter_map(|n| rules.select(n).ok().map(|category| (name(category), n)))
        .fold(
            std::collections::BTreeMap::new(),
            |mut patterns, (category, n)| {
                patterns.entry(category).or_insert_with(|| {
                    message(
                        locale,
                        Medium::PlainText,
                        MessageId::COUNTER_SIGNATURES,
                        &[
                            ("count", FluentValue::from(n)),
                            ("formatted", FluentValue::from("{}")),
                        ],
                    )
                });
                patterns
            },
        )
}
