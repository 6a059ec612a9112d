//! The mail-events function: what SES reports about our emails, as SNS delivers it.

use crate::keyring::Keyring;
use crate::ports::SignatureStore;
use crate::use_cases::mail_events::{act_on, feedback};

/// What the mail-events function needs, built once per process.
pub struct MailEventsState {
    pub store: Box<dyn SignatureStore>,
    pub keyring: Keyring,
}

/// The mail-events function: SES's events through SNS. A store failure fails the invocation, which
/// Lambda retries; an event that does not parse is logged and dropped, as no retry would read it.
pub async fn handle_mail_events(
    state: &MailEventsState,
    event: lambda_runtime::LambdaEvent<aws_lambda_events::sns::SnsEvent>,
) -> Result<(), lambda_runtime::Error> {
    for record in event.payload.records {
        match feedback(&record.sns.message) {
            Ok(feedback) => act_on(state.store.as_ref(), &state.keyring, feedback).await?,
            Err(e) => tracing::error!(error = %e, "SES event dropped"),
        }
    }
    Ok(())
}
