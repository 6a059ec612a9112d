use super::{Country, Email, LinkNonce, Locale, SecretHash, SignerKey, SignerName, Timestamp};
use serde::{Deserialize, Serialize};

/// The version of the privacy policy a signer was shown, kept with their consent.
pub const PRIVACY_POLICY_VERSION: &str = "2026-11-29";

/// How many days the table's point-in-time recovery keeps each backup, as the privacy policy
/// states it: `RecoveryPeriodInDays` in infra/template.yaml, held equal by a test.
pub const BACKUP_RETENTION_DAYS: u32 = 35;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureStatus {
    Pending,
    Confirmed,
}

/// The live confirmation link of a signature: the nonce the mailer needs to write it, the hash
/// that checks it, and when it was sent and dies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConfirmationLink {
    pub nonce: LinkNonce,
    pub secret_hash: SecretHash,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
}

/// One person's signature, as the table holds it. Field names are the table's attribute names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    #[serde(rename = "pk")]
    pub signer: SignerKey,
    pub status: SignatureStatus,
    pub name: SignerName,
    /// Kept while pending (the mailer needs it) and afterwards only for those who asked for
    /// updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    pub country: Country,
    pub locale: Locale,
    pub updates: bool,
    pub privacy_policy: String,
    pub signed_at: Timestamp,
    pub link_nonce: LinkNonce,
    pub secret_hash: SecretHash,
    pub link_sent_at: Timestamp,
    pub link_expires_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<Timestamp>,
    /// The erasure link, fixed when signing: every email carries it, whatever its age.
    /// Signatures stored before erasure links existed read with a link that erases nothing.
    #[serde(default = "LinkNonce::random")]
    pub erase_nonce: LinkNonce,
    #[serde(default = "SecretHash::of_nothing")]
    pub erase_hash: SecretHash,
    /// The hash of the link whose email SES accepted: a second request for it sends nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailed_link: Option<SecretHash>,
    /// SES reported that this mailbox does not exist: no email goes to it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undeliverable: bool,
    /// DynamoDB's TTL attribute: set while pending, so unconfirmed signatures disappear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

impl Signature {
    pub fn link(&self) -> ConfirmationLink {
        ConfirmationLink {
            nonce: self.link_nonce,
            secret_hash: self.secret_hash,
            sent_at: self.link_sent_at,
            expires_at: self.link_expires_at,
        }
    }

    pub fn is_confirmed(&self) -> bool {
        self.status == SignatureStatus::Confirmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_stored_before_erasure_links_reads_with_a_link_that_erases_nothing() {
        let stored = serde_json::json!({
            "pk": "00".repeat(32), "status": "confirmed", "name": "Olena", "country": "UA",
            "locale": "uk", "updates": false, "privacy_policy": "2025-01-28",
            "signed_at": 1_764_374_400, "link_nonce": "00".repeat(16), "secret_hash": "00".repeat(32),
            "link_sent_at": 1_764_374_400, "link_expires_at": 1_764_979_200,
        });
        let first: Signature = serde_json::from_value(stored.clone()).unwrap();
        let second: Signature = serde_json::from_value(stored).unwrap();
        assert!(!first.erase_hash.matches(&second.erase_hash));
    }
}
