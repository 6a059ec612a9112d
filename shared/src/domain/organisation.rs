//! An organisation asking to join the supporters list, and the list itself.

use super::{Country, Email, InputError, Locale, SecretHash, SignerName, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The short code staff type in `people-first supporters approve ID`: ten letters and digits
/// without look-alikes, random, so one request cannot be guessed from another.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationId(String);

const ID_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

impl OrganisationId {
    pub fn random() -> Self {
        use rand::Rng;
        let mut rng = rand::rng();
        Self(
            (0..10)
                .map(|_| char::from(ID_ALPHABET[rng.random_range(0..ID_ALPHABET.len())]))
                .collect(),
        )
    }

    /// The ids of the campaign's first supporters, in their order: `s01`, `s02`, …
    pub fn initial(position: usize) -> Self {
        Self(format!("s{position:02}"))
    }

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let raw = raw.trim().to_ascii_lowercase();
        let well_formed = (3..=10).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if well_formed {
            Ok(Self(raw))
        } else {
            Err(InputError::Invalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrganisationId {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, InputError> {
        Self::parse(&raw)
    }
}

impl From<OrganisationId> for String {
    fn from(id: OrganisationId) -> String {
        id.0
    }
}

impl std::fmt::Display for OrganisationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An organisation's name as it should appear on the list: a name, in its composed form, with
/// no link or markup in it (the list is published as it is written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationName(String);

impl OrganisationName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let composed = icu_normalizer::ComposingNormalizerBorrowed::new_nfc().normalize(raw);
        let trimmed = composed.trim();
        if trimmed.is_empty() {
            return Err(InputError::Missing);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(InputError::TooLong);
        }
        if trimmed.chars().any(char::is_control) || super::name::has_invisible_characters(trimmed) {
            return Err(InputError::ControlCharacters);
        }
        // Its name goes into our signed email to any address typed in the form: never a link.
        if super::name::carries_more_than_a_name(trimmed) {
            return Err(InputError::NotAName);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrganisationName {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, InputError> {
        Self::parse(&raw)
    }
}

impl From<OrganisationName> for String {
    fn from(name: OrganisationName) -> String {
        name.0
    }
}

/// An organisation's website: an `http` or `https` address of a named host, kept as typed
/// (with `https://` added when no scheme was), shown to staff only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Website(String);

impl Website {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(InputError::Missing);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(InputError::TooLong);
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let website = Self(with_scheme);
        let scheme_ok = website.0.starts_with("https://") || website.0.starts_with("http://");
        let host = website.domain();
        let host_ok = host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'));
        if !scheme_ok
            || !host_ok
            || website
                .0
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(InputError::Invalid);
        }
        Ok(website)
    }

    /// The host, lower case, without `www.`: what staff compare with the contact's email domain.
    pub fn domain(&self) -> String {
        let after_scheme = self.0.split_once("://").map_or("", |(_, rest)| rest);
        let host = after_scheme
            .split(['/', '?', '#'])
            .next()
            .unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
        let host = host.split(':').next().unwrap_or_default().to_lowercase();
        host.strip_prefix("www.").unwrap_or(&host).to_owned()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Website {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, InputError> {
        Self::parse(&raw)
    }
}

impl From<Website> for String {
    fn from(website: Website) -> String {
        website.0
    }
}

/// Where a request to join the list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    /// Its contact has not yet confirmed from the email.
    Unconfirmed,
    /// Confirmed by its contact: waiting for a person to approve or reject it.
    Waiting,
    /// On the public list.
    Approved,
    Rejected,
    /// Was on the list, and was taken off.
    Removed,
}

/// The person who asked for the organisation: never published, deleted a while after the
/// request is decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: SignerName,
    pub email: Email,
    pub locale: Locale,
    /// The hash of the confirmation link's secret, until it is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_hash: Option<SecretHash>,
    /// When the contact is deleted.
    pub forget_at: Timestamp,
}

/// An organisation on the list, or asking to be. Field names are the table's attribute names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    /// Its name in each language it was given in; the list shows the page's language, else
    /// English, else the name it asked with.
    pub names: BTreeMap<Locale, OrganisationName>,
    /// The language it asked in: whose name is the one it gave.
    pub locale: Locale,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<Website>,
    pub standing: Standing,
    pub requested_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    /// Where it stands on the list: the campaign's first supporters keep their order, and each
    /// approval comes after them, in the order of approval.
    pub position: i64,
    /// When an unconfirmed or rejected request is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

impl Organisation {
    /// Its name as the list shows it in `locale`.
    pub fn name_in(&self, locale: Locale) -> &str {
        self.names
            .get(&locale)
            .or_else(|| self.names.get(&Locale::En))
            .or_else(|| self.names.get(&self.locale))
            .or_else(|| self.names.values().next())
            .map(OrganisationName::as_str)
            .unwrap_or_default()
    }
}

/// The public list: approved organisations in their order.
pub fn supporters_list(organisations: &[Organisation]) -> Vec<&Organisation> {
    let mut list: Vec<&Organisation> = organisations
        .iter()
        .filter(|o| o.standing == Standing::Approved)
        .collect();
    list.sort_by(|a, b| a.position.cmp(&b.position).then(a.id.cmp(&b.id)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_website_is_an_address_of_a_named_host() {
        let site = Website::parse("www.Memo.ru/en/").unwrap();
        assert_eq!(site.as_str(), "https://www.Memo.ru/en/");
        assert_eq!(site.domain(), "memo.ru");
        assert_eq!(
            Website::parse("http://user@ccl.org.ua:8080/x")
                .unwrap()
                .domain(),
            "ccl.org.ua"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.org",
            "https://localhost",
            "a b.org",
            "",
        ] {
            assert!(Website::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_organisations_name_carries_no_link_or_markup() {
        assert!(OrganisationName::parse("Civil Society Forum e.V.").is_ok());
        assert!(OrganisationName::parse("« Paix. Progrès. Droits de l’homme »").is_ok());
        for bad in [
            "<b>x</b>",
            "see https://x.org",
            "www.x.org",
            "a@b.org",
            " ",
            "Claim your refund at bit.ly/x",
        ] {
            assert!(OrganisationName::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_first_supporter_in_every_language_is_a_name() {
        assert_eq!(crate::use_cases::supporters::first_supporters().len(), 36);
    }

    #[test]
    fn an_id_is_short_and_plain() {
        let id = OrganisationId::random();
        assert_eq!(OrganisationId::parse(&id.as_str().to_uppercase()), Ok(id));
        assert_eq!(OrganisationId::initial(7).as_str(), "s07");
        assert!(OrganisationId::parse("a/b").is_err());
    }
}
