use super::InputError;
use serde::{Deserialize, Serialize};

/// The name a signer gives, trimmed; shown to nobody but the signer and the campaign's export.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SignerName(String);

impl SignerName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
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
        Self::parse(&raw)
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
