//! The emails to signers (the confirmation link, its reminder, the campaign's updates), and
//! queueing the confirmation emails for the signatures that need one and the links organisations'
//! contacts confirm their requests with.

use crate::domain::mail_health::MailHealth;
use crate::domain::routes::Api;
use crate::domain::{Change, ChangedItem, SequenceNumber, Signature, Timestamp, Update};
use crate::keyring::Keyring;
use crate::ports::{
    MailError, MailKind, MailQueue, MailRequest, Notice, OutgoingEmail, UpdateWording, Wording,
};
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
    /// What puts the emails into words: the edge's templates and translations.
    pub wording: &'static dyn Wording,
}

pub fn confirmation_link(
    settings: &MailSettings,
    keyring: &Keyring,
    signature: &Signature,
) -> String {
    let token = keyring.confirmation_token(&signature.signer, &signature.link.nonce);
    Api::Confirm.link(&settings.public_url, &format!("t={}", token.encode()))
}

/// The link every email carries to erase the signature, whatever became of it since.
pub fn erasure_link(settings: &MailSettings, keyring: &Keyring, signature: &Signature) -> String {
    let token = keyring.erasure_token(&signature.signer, &signature.erase_nonce);
    Api::Erase.link(&settings.public_url, &format!("t={}", token.encode()))
}

pub fn confirmation_email(
    settings: &MailSettings,
    keyring: &Keyring,
    signature: &Signature,
) -> Option<OutgoingEmail> {
    let erase_link = erasure_link(settings, keyring, signature);
    let notice = Notice::Confirmation {
        name: greeted(&signature.name).to_owned(),
        link: confirmation_link(settings, keyring, signature),
        erase_link: erase_link.clone(),
    };
    to_signer(settings, signature, MailKind::Confirmation, &notice)
        .map(|email| asks_first(email, settings, &erase_link))
}

/// The one reminder: the live link again, which works until it expires, `now` on.
pub fn reminder_email(
    settings: &MailSettings,
    keyring: &Keyring,
    signature: &Signature,
    now: Timestamp,
) -> Option<OutgoingEmail> {
    let left = signature.link.expires_at.unix_seconds() - now.unix_seconds();
    let erase_link = erasure_link(settings, keyring, signature);
    let notice = Notice::Reminder {
        name: greeted(&signature.name).to_owned(),
        link: confirmation_link(settings, keyring, signature),
        erase_link: erase_link.clone(),
        days: u32::try_from(left / 86_400).unwrap_or(0),
    };
    to_signer(settings, signature, MailKind::Reminder, &notice)
        .map(|email| asks_first(email, settings, &erase_link))
}

/// The link in an update that stops the updates, with one click or from its page; it names
/// the update, whose status counts it.
pub fn unsubscribe_link(
    settings: &MailSettings,
    keyring: &Keyring,
    signature: &Signature,
    update: crate::domain::UpdateNumber,
) -> String {
    let token = keyring.erasure_token(&signature.signer, &signature.erase_nonce);
    Api::Unsubscribe.link(
        &settings.public_url,
        &format!("t={}&u={update}", token.encode()),
    )
}

/// An update, in the signer's language or English, with the one-click link to stop them.
pub fn update_email(
    settings: &MailSettings,
    wording: &dyn UpdateWording,
    keyring: &Keyring,
    signature: &Signature,
    update: &Update,
) -> Option<OutgoingEmail> {
    let to = signature.email.clone()?;
    let unsubscribe = unsubscribe_link(settings, keyring, signature, update.number);
    let erase = erasure_link(settings, keyring, signature);
    let words = wording.update_words(
        signature.locale,
        update.text_for(signature.locale)?,
        &unsubscribe,
        &erase,
    );
    Some(OutgoingEmail {
        kind: MailKind::Update,
        from: settings.sender.clone(),
        to,
        subject: words.subject,
        text: words.text,
        html: words.html,
        list_unsubscribe: format!(
            "<{unsubscribe}>, <mailto:{}?subject=unsubscribe>",
            settings.contact
        ),
        one_click: true,
        update: Some(update.number),
    })
}

/// An email to a signer, in their language, while their address is kept.
fn to_signer(
    settings: &MailSettings,
    signature: &Signature,
    kind: MailKind,
    notice: &Notice,
) -> Option<OutgoingEmail> {
    let to = signature.email.clone()?;
    let words = settings.wording.words(signature.locale, notice);
    Some(OutgoingEmail {
        kind,
        from: settings.sender.clone(),
        to,
        subject: words.subject,
        text: words.text,
        html: words.html,
        list_unsubscribe: String::new(),
        one_click: false,
        update: None,
    })
}

/// `List-Unsubscribe` of an email about the signature itself: the erasure page, which asks
/// before it acts, and the campaign's mailbox for clients that only write.
fn asks_first(
    mut email: OutgoingEmail,
    settings: &MailSettings,
    erase_link: &str,
) -> OutgoingEmail {
    email.list_unsubscribe = format!(
        "<{erase_link}>, <mailto:{}?subject=unsubscribe>",
        settings.contact
    );
    email
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

/// The emails a batch of changes calls for, in order. A record that cannot be read is logged
/// and counted, not retried: no retry makes it readable, and waiting on it would hold back
/// every email behind it for as long as the stream keeps it.
pub fn requests_in(batch: &[Change]) -> Vec<MailRequest> {
    let mut requests = Vec::new();
    for change in batch {
        match &change.item {
            ChangedItem::Signature(signature) => {
                requests.extend(signature.needs_confirmation_email().map(|s| {
                    MailRequest::Confirmation {
                        signer: s.signer,
                        link: s.link.secret_hash,
                        proven: s.proven,
                    }
                }));
            }
            ChangedItem::Contact(contact) => {
                requests.extend(contact.needs_email().map(|(link, waiting)| {
                    MailRequest::Contact {
                        organisation: contact.organisation.clone(),
                        link,
                        proven: waiting.proven,
                    }
                }));
            }
            ChangedItem::Other => {}
            ChangedItem::Unreadable(reason) => {
                let record = change.sequence.as_str();
                tracing::error!(%reason, record, "unreadable signature record skipped");
                crate::telemetry::count("UnreadableRecords");
            }
        }
    }
    requests
}

/// Queueing a batch's emails failed: the whole batch is delivered again, from its first record.
#[derive(Debug, thiserror::Error)]
#[error("the emails of records from {from:?} on were not queued")]
pub struct QueueingError {
    pub from: SequenceNumber,
    #[source]
    pub cause: MailError,
}

/// The new signatures among `requests`, with and without the page's proof of work, as the mail
/// path's health counts them.
pub fn new_signatures<'r>(requests: impl IntoIterator<Item = &'r MailRequest>) -> MailHealth {
    let mut seen = MailHealth::default();
    for request in requests {
        match request {
            MailRequest::Confirmation { proven: true, .. } => seen.new_proven += 1,
            MailRequest::Confirmation { .. } => seen.new_unproven += 1,
            MailRequest::Contact { .. } => {}
        }
    }
    seen
}

/// Queues the emails a stream batch calls for. A request queued twice is mailed once, since
/// the mailer marks each link it sent.
#[instrument(skip_all, fields(records = batch.len()))]
pub async fn queue_batch(queue: &dyn MailQueue, batch: &[Change]) -> Result<(), QueueingError> {
    let requests = requests_in(batch);
    let Some(first) = batch.first().filter(|_| !requests.is_empty()) else {
        return Ok(());
    };
    queue
        .enqueue(&requests)
        .await
        .map_err(|cause| QueueingError {
            from: first.sequence.clone(),
            cause,
        })?;
    tracing::info!(emails = requests.len(), "emails queued");
    Ok(())
}

#[cfg(test)]
mod batch_tests {
    use super::*;
    use crate::domain::SignatureChange;

    #[test]
    fn a_request_queued_before_the_proof_of_work_goes_as_it_did() {
        let signer = "11".repeat(32);
        let link = "22".repeat(32);
        let read = |json: serde_json::Value| {
            serde_json::from_value::<MailRequest>(json)
                .unwrap()
                .is_proven()
        };
        assert!(read(serde_json::json!({ "signer": signer, "link": link })));
        assert!(!read(
            serde_json::json!({ "signer": signer, "link": link, "proven": false })
        ));
        let unproven = MailRequest::Confirmation {
            signer: crate::domain::SignerKey::from_hex(&signer).unwrap(),
            link: crate::domain::SecretHash::from_hex(&link).unwrap(),
            proven: false,
        };
        let written = serde_json::to_value(&unproven).unwrap();
        assert_eq!(
            written["proven"], false,
            "written, so it is never read as before"
        );
        assert!(!read(written));
        let organisation = crate::domain::OrganisationId::random();
        let contact = |proven: Option<bool>| {
            let mut json = serde_json::json!({ "organisation": organisation, "link": link });
            if let Some(proven) = proven {
                json["proven"] = proven.into();
            }
            serde_json::from_value::<MailRequest>(json).unwrap()
        };
        assert!(
            !contact(None).is_proven(),
            "a contact's, queued before, was unproven"
        );
        assert!(contact(Some(true)).is_proven());
        assert!(matches!(contact(Some(true)), MailRequest::Contact { .. }));
    }

    #[test]
    fn an_unreadable_record_holds_back_no_email() {
        let signature: crate::domain::Signature = serde_json::from_value(serde_json::json!({
            "pk": "11".repeat(32), "status": "pending", "name": "Olena", "email": "olena@example.org",
            "country": "UA", "locale": "uk", "updates": false, "privacy_policy": "2026-11-29",
            "signed_at": 1_764_374_400, "link_nonce": "00".repeat(16), "secret_hash": "22".repeat(32),
            "link_sent_at": 1_764_374_400, "link_expires_at": 1_764_979_200,
        }))
        .unwrap();
        let batch = [
            Change {
                sequence: SequenceNumber::from(1),
                item: ChangedItem::Unreadable("garbled".to_owned()),
            },
            Change {
                sequence: SequenceNumber::from(2),
                item: ChangedItem::Signature(SignatureChange {
                    old: None,
                    new: Some(signature.clone()),
                }),
            },
        ];
        assert_eq!(
            requests_in(&batch),
            vec![MailRequest::Confirmation {
                signer: signature.signer,
                link: signature.link.secret_hash,
                proven: false,
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
