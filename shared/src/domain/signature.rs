use super::{
    Country, Email, LinkNonce, Locale, MailFamily, OrganisationId, SecretHash, SignerKey,
    SignerName, Source, Timestamp,
};
use serde::{Deserialize, Serialize};

/// The version of the privacy policy a signer was shown, kept with their consent.
pub const PRIVACY_POLICY_VERSION: &str = "2026-12-06";

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
/// that checks it, and when it was sent and dies. The table keeps it as four attributes of the
/// signature's item, under the names below.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ConfirmationLink {
    #[serde(rename = "link_nonce")]
    pub nonce: LinkNonce,
    pub secret_hash: SecretHash,
    #[serde(rename = "link_sent_at")]
    pub sent_at: Timestamp,
    #[serde(rename = "link_expires_at")]
    pub expires_at: Timestamp,
}

/// A signer's consent to hear from the partner whose frame they signed in, as given: the
/// partner, its name as the form showed it, when and under which privacy policy. Only confirmed
/// signatures' consents reach the partner, in `people-first export --partner`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerConsent {
    pub partner: OrganisationId,
    pub name: String,
    pub at: Timestamp,
    pub privacy_policy: String,
    /// When an export for the partner last carried it: withdrawn after that, it is listed for
    /// the partner in the next export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<Timestamp>,
    /// When the signer withdrew it after an export: kept, with the address, only until the
    /// next export tells the partner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<Timestamp>,
}

/// What a partner must hear of a signer who erased their signature after an export gave the
/// partner their address: the address to stop writing to. Kept only until the partner's next
/// export tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasedConsent {
    pub signer: SignerKey,
    pub partner: OrganisationId,
    pub email: Email,
    /// When the consent was given, and under which privacy policy, as the partner received it.
    pub consented_at: Timestamp,
    pub privacy_policy: String,
    pub erased_at: Timestamp,
}

impl ErasedConsent {
    /// What `signature`, erased at `at`, leaves its partner: nothing unless the partner
    /// received its address.
    pub fn of(signature: &Signature, at: Timestamp) -> Option<Self> {
        let consent = signature.partner_consent.as_ref()?;
        consent.exported_at?;
        Some(Self {
            signer: signature.signer,
            partner: consent.partner.clone(),
            email: signature.email.clone()?,
            consented_at: consent.at,
            privacy_policy: consent.privacy_policy.clone(),
            erased_at: at,
        })
    }
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
    /// The family of the address's provider, kept when the address is not: what staff see of
    /// whose filters swallow the email. None for signatures from before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_family: Option<MailFamily>,
    pub country: Country,
    pub locale: Locale,
    pub updates: bool,
    /// The page's script did the work for this address (`proof`): its email goes first when
    /// the mail path is under attack. Kept only while it says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub proven: bool,
    pub privacy_policy: String,
    /// The partner or channel it came through, if any: credit for an organisation or a
    /// channel, never for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Consent to hear from the partner it came through, when given in the partner's frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_consent: Option<PartnerConsent>,
    pub signed_at: Timestamp,
    #[serde(flatten)]
    pub link: ConfirmationLink,
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
    /// When SES accepted that email: the reminder goes a day later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailed_at: Option<Timestamp>,
    /// When the one reminder to confirm went: kept once confirmed, so staff see what it brought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminded_at: Option<Timestamp>,
    /// SES reported that this mailbox does not exist: no email goes to it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undeliverable: bool,
    /// DynamoDB's TTL attribute: set while pending, so unconfirmed signatures disappear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
}

impl Signature {
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

    /// A pending signature as the table holds it, with its erasure link.
    fn stored_pending() -> serde_json::Value {
        serde_json::json!({
            "pk": "00".repeat(32), "status": "pending", "name": "Olena", "country": "UA",
            "locale": "uk", "updates": false, "privacy_policy": "2026-11-29",
            "signed_at": 1_764_374_400, "link_nonce": "01".repeat(16), "secret_hash": "02".repeat(32),
            "link_sent_at": 1_764_374_401, "link_expires_at": 1_764_979_200,
            "erase_nonce": "03".repeat(16), "erase_hash": "04".repeat(32),
        })
    }

    #[test]
    fn the_link_is_stored_as_the_four_attributes_it_always_was() {
        let stored = stored_pending();
        let signature: Signature = serde_json::from_value(stored.clone()).unwrap();
        assert_eq!(
            signature.link.sent_at,
            Timestamp::from_unix_seconds(1_764_374_401)
        );
        assert_eq!(serde_json::to_value(&signature).unwrap(), stored);
    }

    #[test]
    fn the_table_holds_the_link_under_the_same_four_attributes() {
        let stored: Signature = serde_json::from_value(stored_pending()).unwrap();
        let item: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> =
            serde_dynamo::to_item(&stored).unwrap();
        for attribute in [
            "link_nonce",
            "secret_hash",
            "link_sent_at",
            "link_expires_at",
        ] {
            assert!(item.contains_key(attribute), "{attribute} is written");
        }
        assert!(matches!(
            &item["link_sent_at"],
            aws_sdk_dynamodb::types::AttributeValue::N(n) if n == "1764374401"
        ));
        let read: Signature = serde_dynamo::from_item(item).unwrap();
        assert_eq!(read, stored);
    }
}
