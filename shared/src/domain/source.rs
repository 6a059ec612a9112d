//! Where a signature came from: a partner organisation, or a channel the campaign shares on.
//! Credit goes to organisations and channels, never to a person, so no record says who brought
//! whom.

use super::{InputError, OrganisationId};
use serde::{Deserialize, Serialize};

/// A channel of the campaign's own: the share links on the thank-you page carry one each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Telegram,
    WhatsApp,
    Facebook,
    X,
    Email,
    /// A link copied, or handed to the phone's own share sheet.
    Link,
}

impl Channel {
    pub const ALL: [Self; 6] = [
        Self::Telegram,
        Self::WhatsApp,
        Self::Facebook,
        Self::X,
        Self::Email,
        Self::Link,
    ];

    /// As links carry it: `?src=telegram`.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Telegram => "telegram",
            Self::WhatsApp => "whatsapp",
            Self::Facebook => "facebook",
            Self::X => "x",
            Self::Email => "email",
            Self::Link => "link",
        }
    }
}

/// The source a signature came through, as `?src=` and the table write it: a channel's name, or
/// a partner's code (its organisation's id), which never reads as a channel's.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Source {
    Partner(OrganisationId),
    Channel(Channel),
}

impl Source {
    /// A source as a link or a form carries it; anything else is no source.
    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let raw = raw.trim().to_ascii_lowercase();
        if let Some(channel) = Channel::ALL.into_iter().find(|c| c.code() == raw) {
            return Ok(Self::Channel(channel));
        }
        OrganisationId::parse(&raw).map(Self::Partner)
    }

    pub fn code(&self) -> &str {
        match self {
            Self::Partner(id) => id.as_str(),
            Self::Channel(channel) => channel.code(),
        }
    }
}

impl TryFrom<String> for Source {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, InputError> {
        Self::parse(&raw)
    }
}

impl From<Source> for String {
    fn from(source: Source) -> String {
        source.code().to_owned()
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_reads_back_as_it_was_written() {
        for raw in ["telegram", "x", "link", "s07", "k3h8m2p9qa"] {
            let source = Source::parse(raw).unwrap();
            assert_eq!(source.code(), raw);
            assert_eq!(Source::parse(&source.to_string()), Ok(source));
        }
        assert_eq!(
            Source::parse(" Telegram "),
            Ok(Source::Channel(Channel::Telegram))
        );
        assert_eq!(
            Source::parse("s07"),
            Ok(Source::Partner(OrganisationId::initial(7)))
        );
    }

    #[test]
    fn no_organisation_is_ever_given_a_channels_name() {
        // Ids are ten random letters and digits, or a first supporter's `s01` … `s99`.
        let random_length = OrganisationId::random().as_str().len();
        for channel in Channel::ALL {
            let code = channel.code();
            let first_supporter = code.len() == 3
                && code.starts_with('s')
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            assert!(code.len() != random_length && !first_supporter, "{code}");
        }
    }

    #[test]
    fn anything_else_is_no_source() {
        for raw in [
            "",
            "a/b",
            "<script>",
            "an-organisation",
            "ab",
            &"a".repeat(11),
        ] {
            assert!(Source::parse(raw).is_err(), "{raw:?}");
        }
    }
}
