//! What SES reports about the emails it sent: a mailbox that does not exist is not written to
//! again, and a pending signature whose email was called spam is erased. SES reviews an account
//! whose bounces pass 5 % and pauses it near 10 %, which would stop every confirmation. Only an
//! event about a confirmation email or its reminder acts on a signature, and one about an update
//! on the signer's updates: its `kind` tag says what it was about, and `update` which one.

use crate::domain::mail_health::MailHealth;
use crate::domain::{Email, Timestamp, UpdateCounts, UpdateNumber};
use crate::keyring::Keyring;
use crate::ports::{MailKind, SignatureStore, StoreError, UpdateStore};
use crate::use_cases::consent::stop_updates;
use serde::Deserialize;

/// One SES event, as a configuration set publishes it (`eventType`) or as an identity's
/// notifications name it (`notificationType`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SesEvent {
    #[serde(alias = "notificationType")]
    event_type: String,
    bounce: Option<Bounce>,
    complaint: Option<Complaint>,
    #[serde(default)]
    mail: Mail,
}

/// The email an event is about, as far as it matters here: the tags it was sent with.
#[derive(Deserialize, Default)]
struct Mail {
    #[serde(default)]
    tags: std::collections::HashMap<String, Vec<String>>,
}

impl Mail {
    fn is(&self, kind: MailKind) -> bool {
        self.tags
            .get(MailKind::TAG)
            .is_some_and(|values| values.iter().any(|v| v == kind.tag_value()))
    }

    /// About a signature's confirmation link: the first email, or its reminder.
    fn is_about_a_link(&self) -> bool {
        self.is(MailKind::Confirmation) || self.is(MailKind::Reminder)
    }

    /// The update it carried, if it was one.
    fn update(&self) -> Option<UpdateNumber> {
        if !self.is(MailKind::Update) {
            return None;
        }
        self.tags.get(MailKind::UPDATE_TAG)?.first()?.parse().ok()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bounce {
    bounce_type: String,
    #[serde(default)]
    bounced_recipients: Vec<Recipient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Complaint {
    #[serde(default)]
    complained_recipients: Vec<Recipient>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    email_address: String,
}

/// The store could not be written: the event is delivered again, and acting twice changes
/// nothing more.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct FeedbackError(#[from] StoreError);

/// What an event asks of us.
#[derive(Debug, PartialEq, Eq)]
pub enum Feedback {
    /// A permanent bounce: these mailboxes do not exist.
    Undeliverable(Vec<String>),
    /// These mailboxes' owners reported our email as spam.
    Complained(Vec<String>),
    /// An update bounced for good from these mailboxes, or their owners called it spam: their
    /// updates stop, and the update counts it.
    UpdateRefused {
        update: UpdateNumber,
        addresses: Vec<String>,
        complained: bool,
    },
    /// A transient bounce, a delivery or any other event, named by its type: nothing to do.
    Nothing(String),
}

/// Why an event could not be read, without any of its content (it holds addresses).
#[derive(Debug, thiserror::Error)]
#[error("an SES event that does not parse ({0:?} at line {1}, column {2})")]
pub struct UnreadableEvent(serde_json::error::Category, usize, usize);

/// What an event adds to the mail's health: SES judges the account by every email it sent,
/// organisations' included, so every permanent bounce and complaint counts.
pub fn counted(message: &str) -> MailHealth {
    let Ok(event) = serde_json::from_str::<SesEvent>(message) else {
        return MailHealth::default();
    };
    let mut seen = MailHealth::default();
    match (event.event_type.as_str(), event.bounce, event.complaint) {
        ("Bounce", Some(bounce), _) if bounce.bounce_type == "Permanent" => {
            seen.bounced = bounce.bounced_recipients.len().max(1) as u64;
        }
        ("Complaint", _, Some(complaint)) => {
            seen.complained = complaint.complained_recipients.len().max(1) as u64;
        }
        _ => {}
    }
    seen
}

pub fn feedback(message: &str) -> Result<Feedback, UnreadableEvent> {
    let event: SesEvent = serde_json::from_str(message)
        .map_err(|e| UnreadableEvent(e.classify(), e.line(), e.column()))?;
    let addresses = |recipients: Vec<Recipient>| {
        recipients
            .into_iter()
            .map(|r| r.email_address)
            .collect::<Vec<_>>()
    };
    if let Some(update) = event.mail.update() {
        return Ok(
            match (event.event_type.as_str(), event.bounce, event.complaint) {
                ("Bounce", Some(bounce), _) if bounce.bounce_type == "Permanent" => {
                    Feedback::UpdateRefused {
                        update,
                        addresses: addresses(bounce.bounced_recipients),
                        complained: false,
                    }
                }
                ("Complaint", _, Some(complaint)) => Feedback::UpdateRefused {
                    update,
                    addresses: addresses(complaint.complained_recipients),
                    complained: true,
                },
                (other, _, _) => Feedback::Nothing(format!("{other} about an update")),
            },
        );
    }
    if !event.mail.is_about_a_link() {
        // An organisation's email (or one sent before emails were tagged) to an address that
        // may be a signer's: nothing here is about their signature.
        return Ok(Feedback::Nothing(format!(
            "{} about another email than a confirmation",
            event.event_type
        )));
    }
    Ok(
        match (event.event_type.as_str(), event.bounce, event.complaint) {
            ("Bounce", Some(bounce), _) if bounce.bounce_type == "Permanent" => {
                Feedback::Undeliverable(addresses(bounce.bounced_recipients))
            }
            ("Complaint", _, Some(complaint)) => {
                Feedback::Complained(addresses(complaint.complained_recipients))
            }
            (other, bounce, _) => Feedback::Nothing(match bounce {
                Some(bounce) => format!("{other} ({})", bounce.bounce_type),
                None => other.to_owned(),
            }),
        },
    )
}

/// Marks or erases the pending signatures of the mailboxes `feedback` names, or stops their
/// updates. Acting twice on the same event changes nothing more, so a retried delivery is
/// harmless, and counts an update's bounce or complaint only once.
pub async fn act_on(
    store: &dyn SignatureStore,
    updates: &dyn UpdateStore,
    keyring: &Keyring,
    now: Timestamp,
    feedback: Feedback,
) -> Result<(), FeedbackError> {
    let (addresses, complained) = match feedback {
        Feedback::Undeliverable(addresses) => (addresses, false),
        Feedback::Complained(addresses) => (addresses, true),
        Feedback::UpdateRefused {
            update,
            addresses,
            complained,
        } => {
            return stop_updates_to(store, updates, keyring, now, update, &addresses, complained)
                .await;
        }
        Feedback::Nothing(kind) => {
            tracing::info!(%kind, "SES event needs nothing");
            return Ok(());
        }
    };
    for address in addresses {
        // An address SES reports is one we sent to, so it parses; if not, say so without it.
        let Ok(email) = Email::parse(&address) else {
            tracing::warn!("SES reported an address that does not parse");
            continue;
        };
        let signer = keyring.signer_key(&email);
        if complained {
            let erased = store.erase_pending(&signer).await?.is_some();
            tracing::info!(
                erased,
                "complaint about a confirmation email or its reminder"
            );
            crate::telemetry::count("EmailsComplained");
        } else {
            let marked = store.mark_undeliverable(&signer).await?;
            tracing::info!(marked, "confirmation email bounced for good");
            crate::telemetry::count("EmailsBounced");
        }
    }
    Ok(())
}

/// Stops the updates of the mailboxes an update bounced from or was called spam by, and counts
/// each signer whose updates it stopped.
async fn stop_updates_to(
    store: &dyn SignatureStore,
    updates: &dyn UpdateStore,
    keyring: &Keyring,
    now: Timestamp,
    update: UpdateNumber,
    addresses: &[String],
    complained: bool,
) -> Result<(), FeedbackError> {
    let mut stopped = 0;
    for address in addresses {
        let Ok(email) = Email::parse(address) else {
            tracing::warn!("SES reported an address that does not parse");
            continue;
        };
        let signer = keyring.signer_key(&email);
        stopped += u64::from(stop_updates(store, &signer, now).await?);
    }
    tracing::info!(%update, stopped, complained, "an update was refused");
    let refusals = addresses.len() as u64;
    let counts = if complained {
        crate::telemetry::count_n("UpdateComplaints", refusals);
        UpdateCounts {
            complained: stopped,
            ..UpdateCounts::default()
        }
    } else {
        crate::telemetry::count_n("UpdateBounces", refusals);
        UpdateCounts {
            bounced: stopped,
            ..UpdateCounts::default()
        }
    };
    updates.count_update(update, &counts).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permanent_bounce_names_the_mailboxes_that_do_not_exist() {
        let event = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
            "bouncedRecipients":[{"emailAddress":"nobody@example.org","action":"failed","status":"5.1.1"}]},
            "mail":{"destination":["nobody@example.org"],"tags":{"kind":["confirmation"]}}}"#;
        assert_eq!(
            feedback(event).unwrap(),
            Feedback::Undeliverable(vec!["nobody@example.org".into()])
        );
    }

    #[test]
    fn a_transient_bounce_and_other_events_ask_nothing() {
        let transient = r#"{"eventType":"Bounce","bounce":{"bounceType":"Transient",
            "bouncedRecipients":[{"emailAddress":"full@example.org"}]},
            "mail":{"tags":{"kind":["confirmation"]}}}"#;
        assert_eq!(
            feedback(transient).unwrap(),
            Feedback::Nothing("Bounce (Transient)".into())
        );
        let delivery = r#"{"notificationType":"Delivery","delivery":{"recipients":["a@example.org"]},
            "mail":{"tags":{"kind":["confirmation"]}}}"#;
        assert_eq!(
            feedback(delivery).unwrap(),
            Feedback::Nothing("Delivery".into())
        );
    }

    #[test]
    fn every_permanent_bounce_and_complaint_counts_whatever_email_it_was_about() {
        let bounce = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent",
            "bouncedRecipients":[{"emailAddress":"a@example.org"},{"emailAddress":"b@example.org"}]},
            "mail":{"tags":{"kind":["organisation"]}}}"#;
        assert_eq!(counted(bounce).bounced, 2);
        let complaint = r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":
            [{"emailAddress":"angry@example.org"}]},"mail":{}}"#;
        assert_eq!(counted(complaint).complained, 1);
        let transient = r#"{"eventType":"Bounce","bounce":{"bounceType":"Transient",
            "bouncedRecipients":[{"emailAddress":"full@example.org"}]},"mail":{}}"#;
        assert!(counted(transient).is_empty());
        assert!(counted("not an event").is_empty());
    }

    #[test]
    fn a_complaint_names_its_mailboxes_in_either_naming() {
        let event = r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":
            [{"emailAddress":"angry@example.org"}],"complaintFeedbackType":"abuse"},
            "mail":{"tags":{"kind":["confirmation"]}}}"#;
        assert_eq!(
            feedback(event).unwrap(),
            Feedback::Complained(vec!["angry@example.org".into()])
        );
    }

    #[test]
    fn feedback_on_any_other_email_than_a_confirmation_asks_nothing() {
        for tags in [r#"{"kind":["organisation"]}"#, "{}"] {
            let event = format!(
                r#"{{"eventType":"Complaint","complaint":{{"complainedRecipients":
                [{{"emailAddress":"signer@example.org"}}]}},"mail":{{"tags":{tags}}}}}"#
            );
            assert_eq!(
                feedback(&event).unwrap(),
                Feedback::Nothing("Complaint about another email than a confirmation".into()),
                "{tags}"
            );
        }
    }

    #[test]
    fn a_reminder_is_as_its_confirmation_email_and_an_update_names_itself() {
        let reminder = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent",
            "bouncedRecipients":[{"emailAddress":"nobody@example.org"}]},
            "mail":{"tags":{"kind":["reminder"]}}}"#;
        assert_eq!(
            feedback(reminder).unwrap(),
            Feedback::Undeliverable(vec!["nobody@example.org".into()])
        );
        let complaint = r#"{"eventType":"Complaint","complaint":{"complainedRecipients":
            [{"emailAddress":"angry@example.org"}]},
            "mail":{"tags":{"kind":["update"],"update":["3"]}}}"#;
        assert_eq!(
            feedback(complaint).unwrap(),
            Feedback::UpdateRefused {
                update: UpdateNumber::new(3),
                addresses: vec!["angry@example.org".into()],
                complained: true,
            }
        );
        let bounce = r#"{"eventType":"Bounce","bounce":{"bounceType":"Permanent",
            "bouncedRecipients":[{"emailAddress":"gone@example.org"}]},
            "mail":{"tags":{"kind":["update"],"update":["3"]}}}"#;
        assert!(matches!(
            feedback(bounce).unwrap(),
            Feedback::UpdateRefused {
                complained: false,
                ..
            }
        ));
        let transient = r#"{"eventType":"Bounce","bounce":{"bounceType":"Transient",
            "bouncedRecipients":[{"emailAddress":"full@example.org"}]},
            "mail":{"tags":{"kind":["update"],"update":["3"]}}}"#;
        assert_eq!(
            feedback(transient).unwrap(),
            Feedback::Nothing("Bounce about an update".into())
        );
    }

    #[test]
    fn an_unreadable_event_is_reported_without_its_content() {
        let error = feedback(r#"{"eventType": ["secret@example.org"]}"#).unwrap_err();
        assert!(!error.to_string().contains("secret"), "{error}");
    }
}
