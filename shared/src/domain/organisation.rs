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

/// An organisation's website: an `http` or `https` address of a named host, as a browser reads
/// it (a WHATWG URL, its host in ASCII), with `https://` added when no scheme was typed; shown to
/// staff only. What a browser would read otherwise than a person does (user info before an `@`,
/// backslashes, control and bidi characters) is refused, so staff see the site a click opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct Website(String);

/// Characters that reorder or hide text: a person would read the address otherwise.
fn is_bidi_or_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

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
        if trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\' || is_bidi_or_invisible(c))
        {
            return Err(InputError::Invalid);
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else {
            format!("https://{trimmed}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|_| InputError::Invalid)?;
        let named_host = match url.host() {
            Some(url::Host::Domain(host)) => {
                host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
            }
            _ => false,
        };
        if !matches!(url.scheme(), "http" | "https")
            || !url.username().is_empty()
            || url.password().is_some()
            || !named_host
        {
            return Err(InputError::Invalid);
        }
        Ok(Self(url.into()))
    }

    /// The host, in ASCII, without `www.`: what staff compare with the contact's email domain
    /// (also in ASCII).
    pub fn domain(&self) -> String {
        let host = url::Url::parse(&self.0)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_default();
        host.strip_prefix("www.").unwrap_or(&host).to_owned()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The origins its pages are served from, as browsers write them (`https://host[:port]`):
    /// its own, and its twin with or without `www.`, which most sites answer at too.
    pub fn origins(&self) -> Vec<String> {
        let Ok(url) = url::Url::parse(&self.0) else {
            return Vec::new();
        };
        // A host a browser accepts may still hold `*` (a wildcard in a policy): only plain ones.
        let Some(host) = url.host_str().filter(|h| is_plain_host(h)) else {
            return Vec::new();
        };
        let twin = match host.strip_prefix("www.") {
            Some(apex) => apex.to_owned(),
            None => format!("www.{host}"),
        };
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        [host, twin.as_str()]
            .iter()
            .map(|host| format!("{}://{host}{port}", url.scheme()))
            .collect()
    }
}

/// As stored: read as it was written, even by an older parser, so a stored request always reads.
impl From<String> for Website {
    fn from(stored: String) -> Self {
        Self(stored)
    }
}

impl From<Website> for String {
    fn from(website: Website) -> String {
        website.0
    }
}

/// A host name of letters, digits, dots and dashes: nothing a content security policy would
/// read as a wildcard or a separator.
fn is_plain_host(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// A site that may frame the sign form for a partner, beside the partner's website: its origin
/// as browsers write it (`https://host[:port]`), as staff list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FrameOrigin(String);

impl FrameOrigin {
    /// An `http` or `https` address of a host, of which only the origin is kept; a path other
    /// than `/`, a query or user info is refused, as naming more than a site.
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let url = url::Url::parse(raw.trim()).map_err(|_| InputError::Invalid)?;
        let plain = matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(is_plain_host)
            && url.username().is_empty()
            && url.password().is_none()
            && url.path() == "/"
            && url.query().is_none()
            && url.fragment().is_none();
        if !plain {
            return Err(InputError::Invalid);
        }
        Ok(Self(url.origin().ascii_serialization()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FrameOrigin {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, InputError> {
        Self::parse(&raw)
    }
}

impl From<FrameOrigin> for String {
    fn from(origin: FrameOrigin) -> String {
        origin.0
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
    /// What the link's secret is derived from with the server's key, so the mailer can write
    /// the link the table only holds the hash of. None where no email is to go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_nonce: Option<super::LinkNonce>,
    /// Whether the request came with the page's proof of work for this address; requests
    /// stored before it existed had none.
    #[serde(default)]
    pub proven: bool,
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
    /// Sites other than its website that may frame the sign form for it, as staff list them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frame_origins: Vec<FrameOrigin>,
}

impl Organisation {
    /// The origins that may frame the sign form for it: its website's, and those staff listed.
    pub fn frame_ancestors(&self) -> Vec<String> {
        let mut origins = self
            .website
            .as_ref()
            .map(Website::origins)
            .unwrap_or_default();
        origins.extend(self.frame_origins.iter().map(|o| o.as_str().to_owned()));
        origins.sort();
        origins.dedup();
        origins
    }

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
        assert_eq!(site.as_str(), "https://www.memo.ru/en/");
        assert_eq!(site.domain(), "memo.ru");
        assert_eq!(
            Website::parse("http://ccl.org.ua:8080/x").unwrap().domain(),
            "ccl.org.ua"
        );
        assert_eq!(
            Website::parse("мемориал.рф").unwrap().domain(),
            "xn--80ajjnbboq.xn--p1ai",
            "in ASCII, as the contact's email domain is"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://x.org",
            "https://localhost",
            "https://127.0.0.1",
            "a b.org",
            "",
        ] {
            assert!(Website::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_websites_pages_come_from_its_origin_and_its_www_twin() {
        assert_eq!(
            Website::parse("memo.ru/en/").unwrap().origins(),
            ["https://memo.ru", "https://www.memo.ru"]
        );
        assert_eq!(
            Website::parse("http://WWW.ccl.org.ua:8080/x")
                .unwrap()
                .origins(),
            ["http://www.ccl.org.ua:8080", "http://ccl.org.ua:8080"]
        );
        assert!(Website::from("not a url".to_owned()).origins().is_empty());
        assert!(
            Website::from("https://*.com".to_owned())
                .origins()
                .is_empty(),
            "a wildcard would let any site frame the form"
        );
    }

    #[test]
    fn a_frame_origin_names_a_site_and_nothing_more() {
        assert_eq!(
            FrameOrigin::parse("https://Blog.Memorial.de/")
                .unwrap()
                .as_str(),
            "https://blog.memorial.de"
        );
        assert_eq!(
            FrameOrigin::parse("http://127.0.0.1:8080")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "memorial.de",
            "https://memorial.de/page",
            "https://memorial.de/?x",
            "https://a@memorial.de",
            "javascript:alert(1)",
            "https://memorial.de; script-src *",
            "https://*.com",
        ] {
            assert!(FrameOrigin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_website_a_browser_reads_otherwise_than_a_person_is_refused() {
        for bad in [
            // A browser opens attacker.org here, with "memorial.de" as a user name …
            "https://memorial.de@attacker.org",
            "https://memorial.de:x@attacker.org",
            // … and memorial.de here, which a person reads as attacker.org's.
            "https://memorial.de\\@attacker.org",
            "https://memorial.de\\attacker.org",
            "https://memo\u{202E}gro.rekcatta",
            "https://memo\u{200B}rial.de",
        ] {
            assert_eq!(Website::parse(bad), Err(InputError::Invalid), "{bad:?}");
        }
    }

    #[test]
    fn a_website_stored_by_an_older_parser_still_reads() {
        let stored: Website =
            serde_json::from_str(r#""https://memorial.de\\@attacker.org""#).unwrap();
        assert_eq!(stored.as_str(), "https://memorial.de\\@attacker.org");
        assert_eq!(stored.domain(), "memorial.de", "the host a browser opens");
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
