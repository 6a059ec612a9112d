//! The change feed: what happened to an item, in the order it happened. DynamoDB's stream
//! carries it on AWS and the embedded store's feed locally; each is read into a [`Change`] once,
//! and the mailer, the aggregate and any other consumer read only that.

use super::{Contact, CounterDelta, OrganisationId, SecretHash, Signature, SignatureStatus};

/// One record of the change feed.
#[derive(Debug, Clone)]
pub struct Change {
    /// Where it sits in its shard: a retry starts from here.
    pub sequence: SequenceNumber,
    pub item: ChangedItem,
}

/// What a record of the feed changed.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every record is a signature's: a box would cost each an allocation"
)]
pub enum ChangedItem {
    Signature(SignatureChange),
    /// An organisation contact's item: the mailer acts on a new link.
    Contact(ContactChange),
    /// A counter, a checkpoint, an organisation: nothing a signature's consumer acts on.
    Other,
    /// A record that could not be read, and why. It is logged, never acted on.
    Unreadable(String),
}

/// A change to one organisation's contact: its images before and after.
#[derive(Debug, Clone)]
pub struct ContactChange {
    pub organisation: OrganisationId,
    pub old: Option<Contact>,
    pub new: Option<Contact>,
}

impl ContactChange {
    /// A contact written with a link to mail needs the email that carries it; one whose link
    /// was used, or that was written without one (past its mailbox's limit), needs none.
    pub fn needs_email(&self) -> Option<(SecretHash, &Contact)> {
        let new = self.new.as_ref()?;
        let (link, nonce) = (new.link_hash?, new.link_nonce?);
        match self.old.as_ref().and_then(|old| old.link_nonce) {
            Some(old) if old == nonce => None,
            _ => Some((link, new)),
        }
    }
}

/// A change to one signature: its images before and after.
#[derive(Debug, Clone)]
pub struct SignatureChange {
    pub old: Option<Signature>,
    pub new: Option<Signature>,
}

impl SignatureChange {
    /// A new pending signature, or a pending one with a fresh link, needs an email.
    pub fn needs_confirmation_email(&self) -> Option<&Signature> {
        let new = self
            .new
            .as_ref()
            .filter(|s| s.status == SignatureStatus::Pending)?;
        match &self.old {
            Some(old) if old.link.nonce == new.link.nonce => None,
            _ => Some(new),
        }
    }

    /// What it does to the counter: a confirmation adds one to the signer's country and source,
    /// the erasure of a confirmed signature takes one away.
    pub fn counter_delta(&self) -> CounterDelta {
        fn confirmed(s: Option<&Signature>) -> Option<&Signature> {
            s.filter(|s| s.status == SignatureStatus::Confirmed)
        }
        let mut delta = CounterDelta::default();
        if let Some(old) = confirmed(self.old.as_ref()) {
            delta.add(old.country, old.source.as_ref(), -1);
        }
        if let Some(new) = confirmed(self.new.as_ref()) {
            delta.add(new.country, new.source.as_ref(), 1);
        }
        delta
    }
}

/// A stream record's position in its shard. DynamoDB's are decimal strings of up to 40 digits,
/// ordered as numbers, so they are compared by length first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceNumber(String);

impl SequenceNumber {
    pub fn parse(raw: &str) -> Option<Self> {
        let digits = raw.trim_start_matches('0');
        (!raw.is_empty() && raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_digit())).then(|| {
            Self(if digits.is_empty() {
                "0".into()
            } else {
                digits.to_owned()
            })
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The local feed numbers its changes: a number is a sequence number as it is.
impl From<u64> for SequenceNumber {
    fn from(n: u64) -> Self {
        Self(n.to_string())
    }
}

impl Ord for SequenceNumber {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for SequenceNumber {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_order_as_numbers() {
        let n = |s| SequenceNumber::parse(s).unwrap();
        assert!(n("9") < n("10"));
        assert!(n("0009") < n("10"));
        assert!(n("100000000000000000001") > n("99999999999999999999"));
        assert_eq!(n("007"), n("7"));
        assert!(SequenceNumber::parse("12a").is_none());
        assert_eq!(SequenceNumber::from(0), n("0"));
        assert_eq!(SequenceNumber::from(120), n("000120"));
        assert!(SequenceNumber::from(9) < SequenceNumber::from(10));
        assert!(SequenceNumber::parse("").is_none());
    }
}
