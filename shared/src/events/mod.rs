//! The functions that answer events rather than HTTP requests: the table's stream, the mail
//! queue, SES's reports, and the follow-up mail's and the publishing's schedules. Each reads its event, calls a use case and
//! tells Lambda what to deliver again.

pub mod follow_up;
pub mod mail_events;
pub mod mailer;
#[cfg(feature = "site")]
pub mod publish;
pub mod stream;
