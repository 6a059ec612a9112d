//! Sending confirmation emails for the signatures that need one.

use crate::domain::{Locale, Signature, SignatureStatus};
use crate::i18n;
use crate::keyring::Keyring;
use crate::pages;
use crate::ports::{MailError, Mailer, OutgoingEmail};
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

/// Sends what one change calls for.
pub async fn deliver(
    mailer: &dyn Mailer,
    keyring: &Keyring,
    settings: &MailSettings,
    change: &SignatureChange,
) -> Result<(), MailError> {
    let Some(email) = change
        .needs_confirmation_email()
        .and_then(|s| confirmation_email(settings, keyring, s))
    else {
        return Ok(());
    };
    match mailer.send(&email).await {
        Ok(()) => {
            tracing::info!("confirmation email sent");
            Ok(())
        }
        // Retrying a refused address only repeats the refusal: drop it, say so (the reason is
        // SES's code, never the address), and count it.
        Err(MailError::Rejected(reason)) => {
            tracing::warn!(%reason, "confirmation email rejected");
            crate::telemetry::count("EmailsRejected");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// One record of a batch: its id in the stream, and the change or why it could not be read.
pub type BatchRecord = (String, Result<Option<SignatureChange>, String>);

/// Delivers a batch in order and returns the id of the first record that must be retried.
/// Stopping there keeps a retry from sending the records after it twice: the stream
/// redelivers from the first failure on.
#[instrument(skip_all, fields(records = batch.len()))]
pub async fn deliver_batch(
    mailer: &dyn Mailer,
    keyring: &Keyring,
    settings: &MailSettings,
    batch: Vec<BatchRecord>,
) -> Option<String> {
    for (id, record) in batch {
        let change = match record {
            Ok(Some(change)) => change,
            Ok(None) => continue,
            Err(reason) => {
                tracing::error!(%reason, "unreadable signature record");
                return Some(id);
            }
        };
        if let Err(e) = deliver(mailer, keyring, settings, &change).await {
            tracing::warn!(error = %e, "confirmation email will be retried");
            return Some(id);
        }
    }
    None
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
