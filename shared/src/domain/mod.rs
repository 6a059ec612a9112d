//! The campaign's domain types. Each can only be made by parsing, so the rest of the code
//! never handles an unchecked string.

pub mod challenge;
mod change;
mod counter;
mod country;
mod email;
mod field;
mod locale;
mod mail_family;
pub mod mail_health;
mod mailbox_day;
mod name;
mod organisation;
pub mod proof;
pub mod retention;
pub mod routes;
mod secret;
mod signature;
mod source;
mod timestamp;
mod update;

pub use change::{Change, ChangedItem, ContactChange, SequenceNumber, SignatureChange};
pub use counter::{Counter, CounterDelta};
pub use country::Country;
pub use email::Email;
pub use field::{Field, FieldErrors};
pub use locale::Locale;
pub use mail_family::MailFamily;
pub use mailbox_day::{MailboxDay, UtcDay};
pub use name::SignerName;
pub use organisation::{
    Contact, FrameOrigin, Organisation, OrganisationId, OrganisationName, Standing, Website,
    supporters_list,
};
pub(crate) use secret::hex;
pub use secret::{ConfirmationSecret, LinkNonce, LinkToken, MailboxKey, SecretHash, SignerKey};
pub use signature::{
    BACKUP_RETENTION_DAYS, ConfirmationLink, ErasedConsent, PRIVACY_POLICY_VERSION, PartnerConsent,
    Signature, SignatureStatus,
};
pub use source::{Channel, Source};
pub use timestamp::Timestamp;
pub use update::{SUBJECT_LIMIT, Update, UpdateCounts, UpdateNumber, UpdateText, UpdateTextError};

/// Why a piece of a signer's input was refused. Each variant maps to one localised message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("missing")]
    Missing,
    #[error("too long")]
    TooLong,
    #[error("control characters")]
    ControlCharacters,
    #[error("invalid")]
    Invalid,
    /// Well formed, but mail cannot be sent there (an email address SES refuses).
    #[error("unsendable")]
    Unsendable,
    /// More than a name: a link, an email address or markup.
    #[error("not a name")]
    NotAName,
}
