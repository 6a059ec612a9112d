use super::InputError;
use serde::{Deserialize, Serialize};

/// The name a signer gives, trimmed; shown to nobody but the signer and the campaign's export.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SignerName(String);

impl SignerName {
    pub const MAX_CHARS: usize = 100;

    /// A name as a signer types it: also refused when it carries more than a name (a link, an
    /// email address or markup), which a stranger could otherwise make our signed mail deliver.
    /// A name as a signer types it: in its composed form (NFC), so one name has one spelling,
    /// and without the invisible characters no name needs.
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let composed = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(raw);
        if has_invisible_characters(&composed) {
            return Err(InputError::ControlCharacters);
        }
        let name = Self::stored(&composed)?;
        if name.carries_more_than_a_name() {
            return Err(InputError::NotAName);
        }
        Ok(name)
    }

    /// A name as the table holds it: the rules names were always held to, so that a name stored
    /// before a newer rule still reads.
    fn stored(raw: &str) -> Result<Self, InputError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(InputError::Missing);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(InputError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(InputError::ControlCharacters);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A link, an email address or markup in the name. The confirmation email greets by name only
    /// a name without: one stored before the rule is left out of the greeting.
    pub fn carries_more_than_a_name(&self) -> bool {
        carries_more_than_a_name(&self.0)
    }
}

/// `example.org`, `bit.ly/x`, `приклад.укр`: a label of two or more characters, a dot, and two or
/// more letters. Initials (`J.R.R.`, `O.Neil`) and abbreviations (`Dr.`) are not.
/// Characters that show nothing are refused: bidi controls can reverse what a name shows in an
/// email or the export, zero-width ones and fillers make two names look alike or a name look
/// blank (Unicode's default-ignorable code points: format characters, variation selectors,
/// Hangul fillers, the combining grapheme joiner). The zero-width joiner and non-joiner stay
/// allowed inside a word of a script that needs them (Persian, Devanagari...), never between
/// Latin, Cyrillic or Greek letters, where they only hide.
pub(super) fn has_invisible_characters(name: &str) -> bool {
    use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategoryGroup};
    let invisible = icu_properties::CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let categories =
        icu_properties::CodePointMapData::<icu_properties::props::GeneralCategory>::new();
    // By their blocks, not the Script property, whose data would weigh on every binary.
    let latin_cyrillic_or_greek = |c: char| matches!(u32::from(c), 0..=0x24F | 0x370..=0x52F | 0x1E00..=0x1FFF | 0x2DE0..=0x2DFF | 0xA640..=0xA69F);
    let needs_joiners = |c: char| {
        let category = categories.get(c);
        (GeneralCategoryGroup::Letter.contains(category)
            || GeneralCategoryGroup::Mark.contains(category))
            && !latin_cyrillic_or_greek(c)
    };
    let chars: Vec<char> = name.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let joiner_inside_a_word = matches!(c, '\u{200C}' | '\u{200D}')
            && i > 0
            && needs_joiners(chars[i - 1])
            && chars.get(i + 1).is_some_and(|&next| needs_joiners(next));
        invisible.contains(c) && !joiner_inside_a_word
    })
}

/// A link, an email address or markup in a name: a person's, or an organisation's.
pub(super) fn carries_more_than_a_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains(['<', '>', '@'])
        || lower.contains("://")
        || lower.contains("www.")
        || lower
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
            .any(looks_like_a_domain)
}

fn looks_like_a_domain(word: &str) -> bool {
    let labels: Vec<&str> = word.trim_end_matches('.').split('.').collect();
    let [.., before, after] = labels.as_slice() else {
        return false;
    };
    before.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        && after.chars().take_while(|c| c.is_alphabetic()).count() >= 2
}

// Personal data: never printed by a stray `{:?}`.
impl std::fmt::Debug for SignerName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignerName(..)")
    }
}

impl TryFrom<String> for SignerName {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::stored(&raw)
    }
}

impl From<SignerName> for String {
    fn from(name: SignerName) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed() {
        assert_eq!(
            SignerName::parse("  Олена Ч.  ").unwrap().as_str(),
            "Олена Ч."
        );
    }

    #[test]
    fn a_name_carrying_a_link_an_address_or_markup_is_refused() {
        for bad in [
            "Olena https://evil.example/x",
            "www.win-a-prize.ru",
            "Click bit.ly/abc",
            "see приклад.укр",
            "olena@example.org",
            "<a href=x>Olena</a>",
            "Olena <b>",
        ] {
            assert_eq!(SignerName::parse(bad), Err(InputError::NotAName), "{bad}");
        }
        for good in [
            "J.R.R. Tolkien",
            "Dr. Olena Koval",
            "Anne-Marie O.Neil",
            "Jean (Paris), Olena",
            "Олена Ч.",
        ] {
            assert!(SignerName::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn a_name_is_kept_composed_and_without_invisible_characters() {
        // "Zoë" typed with a combining diaeresis is the same name as with "ë".
        assert_eq!(
            SignerName::parse("Zoe\u{308}").unwrap().as_str(),
            "Zo\u{eb}"
        );
        for hidden in [
            "Olena\u{202E}lavoK",         // right-to-left override
            "Olena\u{2066}Koval\u{2069}", // isolate
            "Ole\u{200B}na",              // zero-width space
            "Olena\u{2060}Koval",         // word joiner
            "\u{FEFF}Olena",              // byte-order mark
            "Olena\u{200F}",              // right-to-left mark
            "Ole\u{AD}na",                // soft hyphen
            "Olena\u{200D}",              // a joiner with no letter after it
        ] {
            assert_eq!(
                SignerName::parse(hidden),
                Err(InputError::ControlCharacters),
                "{hidden:?}"
            );
        }
        // Persian needs the zero-width non-joiner between letters: "Mehrdad" with a ZWNJ.
        assert!(SignerName::parse("می\u{200C}خواهم").is_ok());
        assert!(SignerName::parse("क्\u{200D}ष").is_ok());
    }

    #[test]
    fn a_name_stored_before_the_rule_still_reads() {
        let stored: SignerName = serde_json::from_str(r#""Olena www.example.org""#).unwrap();
        assert!(stored.carries_more_than_a_name());
    }

    #[test]
    fn empty_long_and_control_names_are_refused() {
        assert_eq!(SignerName::parse("   "), Err(InputError::Missing));
        assert_eq!(
            SignerName::parse(&"я".repeat(101)),
            Err(InputError::TooLong)
        );
        assert!(SignerName::parse(&"я".repeat(100)).is_ok());
        assert_eq!(
            SignerName::parse("Ann\u{0}a"),
            Err(InputError::ControlCharacters)
        );
        assert_eq!(
            SignerName::parse("Ann\na"),
            Err(InputError::ControlCharacters)
        );
    }
}
