//! Sending confirmation emails for the signatures that need one.

use crate::domain::{Locale, Signature, SignatureStatus};
use crate::i18n;
use crate::keyring::Keyring;
use crate::pages;
use crate::ports::{MailQueue, MailRequest, OutgoingEmail};
use tracing::instrument;

/// Who the email is from and where its links lead.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The site's address, without a trailing slash: links are `{public_url}/api/confirm?t=…`.
    pub public_url: String,
    /// The `From` header, naming the campaign.
    pub sender: String,
    /// A mailbox the campaign reads, for `List-Unsubscribe`.
    pub contact: String,
}

/// A change to one signature, as a stream record shows it.
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
            Some(old) if old.link_nonce == new.link_nonce => None,
            _ => Some(new),
        }
    }
}

pub fn confirmation_link(
    settings: &MailSettings,
    keyring: &Keyring,
    signature: &Signature,
) -> String {
    let token = keyring.confirmation_token(&signature.signer, &signature.link_nonce);
    format!("{}/api/confirm?t={}", settings.public_url, token.encode())
}

/// The link every email carries to erase the signature, whatever became of it since.
pub fn erasure_link(settings: &MailSettings, keyring: &Keyring, signature: &Signature) -> String {
    let token = keyring.erasure_token(&signature.signer, &signature.erase_nonce);
    format!("{}/api/erase?t={}", settings.public_url, token.encode())
}

pub fn confirmation_email(
    settings: &MailSettings,
    keyring: &Keyring,
    signature: &Signature,
) -> Option<OutgoingEmail> {
    let to = signature.email.clone()?;
    let locale: Locale = signature.locale;
    let link = confirmation_link(settings, keyring, signature);
    let erase_link = erasure_link(settings, keyring, signature);
    let (text, html) =
        pages::confirmation_email(locale, greeted(&signature.name), &link, &erase_link);
    Some(OutgoingEmail {
        from: settings.sender.clone(),
        to,
        subject: i18n::text(locale, "email-subject"),
        text,
        html,
        // The erasure page, and the campaign's mailbox for clients that only write.
        list_unsubscribe: format!(
            "<{erase_link}>, <mailto:{}?subject=unsubscribe>",
            settings.contact
        ),
    })
}

/// The name the email greets: none when it carries more than a name, as one stored before that
/// rule may, so our signed mail never delivers a stranger's link.
fn greeted(name: &crate::domain::SignerName) -> &str {
    if name.carries_more_than_a_name() {
        ""
    } else {
        name.as_str()
    }
}

/// One record of a batch: its id in the stream, and the change or why it could not be read.
pub type BatchRecord = (String, Result<Option<SignatureChange>, String>);

/// The emails a batch of changes calls for, in order. A record that cannot be read is logged
/// and counted, not retried: no retry makes it readable, and waiting on it would hold back
/// every email behind it for as long as the stream keeps it.
pub fn requests_in(batch: Vec<BatchRecord>) -> Vec<MailRequest> {
    let mut requests = Vec::new();
    for (id, record) in batch {
        match record {
            Ok(Some(change)) => {
                requests.extend(change.needs_confirmation_email().map(|s| MailRequest {
                    signer: s.signer,
                    link: s.secret_hash,
                }));
            }
            Ok(None) => {}
            Err(reason) => {
                tracing::error!(%reason, record = %id, "unreadable signature record skipped");
                crate::telemetry::count("UnreadableRecords");
            }
        }
    }
    requests
}

/// Queues the emails a stream batch calls for and returns the id of the first record that must
/// be retried: all of them when queueing failed. A request queued twice is mailed once, since
/// the mailer marks each link it sent.
#[instrument(skip_all, fields(records = batch.len()))]
pub async fn queue_batch(queue: &dyn MailQueue, batch: Vec<BatchRecord>) -> Option<String> {
    let first = batch.first().map(|(id, _)| id.clone())?;
    let requests = requests_in(batch);
    if requests.is_empty() {
        return None;
    }
    match queue.enqueue(&requests).await {
        Ok(()) => {
            tracing::info!(emails = requests.len(), "confirmation emails queued");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "the batch will be retried");
            Some(first)
        }
    }
}

#[cfg(test)]
mod batch_tests {
    use super::*;

    #[test]
    fn an_unreadable_record_holds_back_no_email() {
        let signature: crate::domain::Signature = serde_json::from_value(serde_json::json!({
            "pk": "11".repeat(32), "status": "pending", "name": "Olena", "email": "olena@example.org",
            "country": "UA", "locale": "uk", "updates": false, "privacy_policy": "2026-11-29",
            "signed_at": 1_764_374_400, "link_nonce": "00".repeat(16), "secret_hash": "22".repeat(32),
            "link_sent_at": 1_764_374_400, "link_expires_at": 1_764_979_200,
        }))
        .unwrap();
        let batch = vec![
            ("1".to_owned(), Err("garbled".to_owned())),
            (
                "2".to_owned(),
                Ok(Some(SignatureChange {
                    old: None,
                    new: Some(signature.clone()),
                })),
            ),
        ];
        assert_eq!(
            requests_in(batch),
            vec![MailRequest {
                signer: signature.signer,
                link: signature.secret_hash
            }]
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::SignerName;

    #[test]
    fn the_email_greets_by_name_only_a_name_without_a_link() {
        let plain: SignerName = serde_json::from_str(r#""Olena Koval""#).unwrap();
        let stored_before_the_rule: SignerName =
            serde_json::from_str(r#""Olena, see www.prize.example""#).unwrap();
        assert_eq!(super::greeted(&plain), "Olena Koval");
        assert_eq!(super::greeted(&stored_before_the_rule), "");
        let (text, html) = crate::pages::confirmation_email(
            crate::domain::Locale::En,
            super::greeted(&stored_before_the_rule),
            "https://people-first.example/api/confirm?t=x",
            "https://people-first.example/api/erase?t=y",
        );
        assert!(text.starts_with("Hello,"), "{text:.40}");
        assert!(!text.contains("prize") && !html.contains("prize"));
    }
}
