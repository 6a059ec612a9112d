//! The mail-events function: what SES reports about our emails, as SNS delivers it.

use crate::domain::mail_health::MailHealth;
use crate::keyring::Keyring;
use crate::ports::{Clock, MailHealthStore, SignatureStore};
use crate::use_cases::mail_events::{act_on, counted, feedback};

/// What the mail-events function needs, built once per process.
pub struct MailEventsState {
    pub store: Box<dyn SignatureStore>,
    /// Where an update's bounces and complaints are counted.
    pub updates: Box<dyn crate::ports::UpdateStore>,
    pub keyring: Keyring,
    /// Where bounces and complaints are counted, for the mail path's guard.
    pub health: Box<dyn MailHealthStore>,
    pub clock: Box<dyn Clock>,
}

/// The mail-events function: SES's events through SNS. A store failure fails the invocation, which
/// Lambda retries; an event that does not parse is logged and dropped, as no retry would read it.
pub async fn handle_mail_events(
    state: &MailEventsState,
    event: lambda_runtime::LambdaEvent<aws_lambda_events::sns::SnsEvent>,
) -> Result<(), lambda_runtime::Error> {
    let mut seen = MailHealth::default();
    for record in &event.payload.records {
        seen.add(&counted(&record.sns.message));
    }
    // Counted before acting, once per delivery: a retried delivery counts again, which only
    // raises the guard sooner. A count that fails is logged: acting on the event matters more.
    if let Err(e) = state.health.note_mail(state.clock.now(), &seen).await {
        tracing::warn!(error = %crate::telemetry::Causes(&e), "the bounces and complaints could not be counted");
    }
    for record in event.payload.records {
        match feedback(&record.sns.message) {
            Ok(feedback) => {
                let (store, updates) = (state.store.as_ref(), state.updates.as_ref());
                let now = state.clock.now();
                act_on(store, updates, &state.keyring, now, feedback).await?;
            }
            Err(e) => tracing::error!(error = %crate::telemetry::Causes(&e), "SES event dropped"),
        }
    }
    Ok(())
}
