use super::InputError;
use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

// Every page view and signature negotiates: the identifiers are parsed once.
static AVAILABLE: std::sync::LazyLock<Vec<LanguageIdentifier>> = std::sync::LazyLock::new(|| {
    Locale::ALL
        .iter()
        .map(|l| l.language_identifier())
        .collect()
});

// `Locale` with a variant for each language, `Locale::ALL` and `Locale::code`, from the one list
// in `locales/languages`.
include!(concat!(env!("OUT_DIR"), "/locales.rs"));

impl Locale {
    /// Spoken to anyone whose language we cannot tell.
    pub const FALLBACK: Locale = Locale::En;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let code = raw.trim().to_ascii_lowercase();
        if code.is_empty() {
            return Err(InputError::Missing);
        }
        Self::ALL
            .into_iter()
            .find(|locale| locale.code() == code)
            .ok_or(InputError::Invalid)
    }

    pub const fn index(self) -> usize {
        self as usize
    }

    pub fn language_identifier(self) -> LanguageIdentifier {
        self.code()
            .parse()
            .expect("every code in locales/languages is a language identifier")
    }

    /// The best of our languages for an `Accept-Language` header, English when none fits.
    pub fn negotiate(accept_language: Option<&str>) -> Self {
        let Some(header) = accept_language else {
            return Self::FALLBACK;
        };
        let requested = fluent_langneg::accepted_languages::parse(header);
        let fallback = &AVAILABLE[Self::FALLBACK.index()];
        let chosen = fluent_langneg::negotiate_languages(
            &requested,
            AVAILABLE.as_slice(),
            Some(fallback),
            fluent_langneg::NegotiationStrategy::Lookup,
        );
        chosen
            .first()
            .and_then(|id| Self::parse(id.language.as_str()).ok())
            .unwrap_or(Self::FALLBACK)
    }
}

impl TryFrom<String> for Locale {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Locale> for String {
    fn from(locale: Locale) -> Self {
        locale.code().to_owned()
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_languages_parse_and_others_do_not() {
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.code()), Ok(locale));
        }
        assert_eq!(Locale::parse("es"), Err(InputError::Invalid));
        assert_eq!(Locale::parse(""), Err(InputError::Missing));
    }

    #[test]
    fn accept_language_picks_the_best_fit_and_falls_back_to_english() {
        assert_eq!(
            Locale::negotiate(Some("uk-UA,uk;q=0.9,en;q=0.5")),
            Locale::Uk
        );
        assert_eq!(Locale::negotiate(Some("de-CH, fr;q=0.8")), Locale::De);
        assert_eq!(Locale::negotiate(Some("es-ES, ru;q=0.3")), Locale::Ru);
        assert_eq!(Locale::negotiate(Some("es-ES")), Locale::En);
        assert_eq!(Locale::negotiate(None), Locale::En);
    }
}
