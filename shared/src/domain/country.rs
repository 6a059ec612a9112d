use super::{InputError, Locale};
use icu_collator::{Collator, options::CollatorOptions};
use icu_experimental::displaynames::{DisplayNamesOptions, RegionDisplayNames};
use icu_locale_core::{Locale as IcuLocale, subtags::Region};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A country or territory by its ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

impl Country {
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let code = raw.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(InputError::Missing);
        }
        let known = rust_iso3166::from_alpha2(&code).ok_or(InputError::Invalid)?;
        let bytes = known.alpha2.as_bytes();
        Ok(Self([bytes[0], bytes[1]]))
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("parsed from an ASCII code")
    }

    /// The country's name in a language, from CLDR.
    pub fn name(self, locale: Locale) -> &'static str {
        let countries = &COUNTRIES[locale.index()];
        countries
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, name)| name.as_str())
    }

    /// Every country, sorted by its name as that language sorts.
    pub fn all_by_name(locale: Locale) -> &'static [(Country, String)] {
        &COUNTRIES[locale.index()]
    }
}

fn icu_locale(locale: Locale) -> IcuLocale {
    locale
        .code()
        .parse()
        .expect("the five codes are valid locales")
}

fn sorted_names(locale: Locale) -> Vec<(Country, String)> {
    let names =
        RegionDisplayNames::try_new(icu_locale(locale).into(), DisplayNamesOptions::default())
            .expect("CLDR region names are compiled in");
    let collator = Collator::try_new(icu_locale(locale).into(), CollatorOptions::default())
        .expect("CLDR collation is compiled in");
    let mut countries: Vec<(Country, String)> = rust_iso3166::ALL
        .iter()
        .filter_map(|c| Country::parse(c.alpha2).ok())
        .map(|c| {
            let region: Region = c.code().parse().expect("an ISO code is a region subtag");
            let name = names
                .of(region)
                .map_or_else(|| c.code().to_owned(), str::to_owned);
            (c, name)
        })
        .collect();
    countries.sort_by(|a, b| collator.compare(&a.1, &b.1));
    countries
}

static COUNTRIES: LazyLock<Vec<Vec<(Country, String)>>> =
    LazyLock::new(|| Locale::ALL.iter().map(|&l| sorted_names(l)).collect());

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
        let position = |code| french.iter().position(|(c, _)| c.code() == code).unwrap();
        // "Égypte" sorts among the E's in French, not after Z as raw code points would put it.
        assert!(position("EG") < position("ES"));
    }
}
