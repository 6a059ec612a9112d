use super::{InputError, Locale};
use serde::{Deserialize, Serialize};

/// A country or territory by its ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

// `CODES` and `NAMES`, written by the build script from CLDR.
include!(concat!(env!("OUT_DIR"), "/countries.rs"));

impl Country {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(InputError::Missing);
        }
        let index = CODES
            .binary_search(&code.as_str())
            .map_err(|_| InputError::Invalid)?;
        let bytes = CODES[index].as_bytes();
        Ok(Self([bytes[0], bytes[1]]))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("parsed from an ASCII code")
    }

    /// The country's name in a language, from CLDR.
    pub fn name(self, locale: Locale) -> &'static str {
        Self::all_by_name(locale)
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, name)| name)
    }

    /// Every country, sorted by its name as that language sorts.
    pub fn all_by_name(locale: Locale) -> &'static [(Country, &'static str)] {
        NAMES
            .iter()
            .find(|(language, _)| *language == locale.code())
            .map(|(_, names)| names.as_slice())
            .expect("the build script names countries in every language")
    }
}

impl TryFrom<String> for Country {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Country> for String {
    fn from(country: Country) -> Self {
        country.code().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_in_any_case_and_unknown_ones_are_refused() {
        assert_eq!(Country::parse("ua").unwrap().code(), "UA");
        assert_eq!(Country::parse("XX"), Err(InputError::Invalid));
        assert_eq!(Country::parse("UKR"), Err(InputError::Invalid));
        assert_eq!(Country::parse(""), Err(InputError::Missing));
    }

    #[test]
    fn names_come_in_each_language() {
        let ukraine = Country::parse("UA").unwrap();
        assert_eq!(ukraine.name(Locale::Fr), "Ukraine");
        assert_eq!(ukraine.name(Locale::Uk), "Україна");
        assert_eq!(ukraine.name(Locale::Ru), "Украина");
        assert_eq!(ukraine.name(Locale::De), "Ukraine");
        assert_eq!(Country::parse("DE").unwrap().name(Locale::Fr), "Allemagne");
    }

    #[test]
    fn the_list_is_sorted_as_each_language_sorts() {
        let french = Country::all_by_name(Locale::Fr);
        assert!(french.len() > 240);
        for locale in Locale::ALL {
            assert_eq!(Country::all_by_name(locale).len(), french.len());
        }
        let position = |code| french.iter().position(|(c, _)| c.code() == code).unwrap();
        // "Égypte" sorts among the E's in French, not after Z as raw code points would put it.
        assert!(position("EG") < position("ES"));
    }
}
