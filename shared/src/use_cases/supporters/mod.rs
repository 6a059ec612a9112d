//! Organisations joining the supporters list: their request, their contact's confirmation, and
//! the staff's moderation. Nothing reaches the public list before a person approves it.

mod contact;
mod moderation;
mod request;
mod seed;
#[cfg(test)]
mod tests;

pub use contact::{ContactLink, confirm_contact, link_expires_at, link_hash, read_contact_link};
pub use moderation::{Decision, Moderation, ModerationError, Review, list, moderate, pending};
pub use request::{SupportRequest, link_email, request_silently, request_support};
pub use seed::first_supporters;

use crate::domain::retention::PENDING_LIFETIME;
use crate::domain::{Email, Locale};
use crate::ports::{MailError, Notice, OutgoingEmail, StoreError};

const DAY: i64 = 86_400;
/// How long a rejected request is kept (never shown), so a repeat is recognised.
pub const REJECTED_KEPT_DAYS: i64 = 30;
/// An unconfirmed request, and its contact, are deleted after the days a signature's are.
pub const UNCONFIRMED_LIFETIME_SECONDS: i64 = PENDING_LIFETIME.seconds();

/// Who the emails are from, where their links lead, and who moderates.
#[derive(Debug, Clone)]
pub struct SupportSettings {
    pub mail: crate::use_cases::mailing::MailSettings,
    /// The campaign's moderation mailbox: told, by name only, that a request waits.
    pub moderation: Option<Email>,
}

#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the email could not be sent: {0}")]
    Mail(#[from] MailError),
}

/// A short email to an organisation's contact, or to the moderators.
fn notice(
    settings: &crate::use_cases::mailing::MailSettings,
    to: Email,
    locale: Locale,
    notice: &Notice,
) -> OutgoingEmail {
    let words = settings.wording.words(locale, notice);
    OutgoingEmail {
        kind: crate::ports::MailKind::Organisation,
        from: settings.sender.clone(),
        to,
        subject: words.subject,
        text: words.text,
        html: words.html,
        list_unsubscribe: format!("<mailto:{}?subject=unsubscribe>", settings.contact),
        one_click: false,
        update: None,
    }
}
