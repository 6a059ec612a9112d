//! The mailer function: requests from the mail queue, sent at this instance's pace before
//! Lambda's deadline, and the messages to bring back named.

use crate::keyring::Keyring;
use crate::ports::{
    Clock, MailDomains, MailHealthStore, MailRequest, Mailer, OrganisationReading, SignatureMailing,
};
use crate::use_cases::mailing::MailSettings;
use crate::use_cases::sending::{Outcome, Pace, Sending};
use crate::use_cases::unproven::UnprovenMail;
use std::time::Duration;
use tokio::time::Instant;

/// What the mailer function needs, built once per process.
pub struct MailerState {
    pub mailer: Box<dyn Mailer>,
    /// The mailer's narrow ports: a process that holds the whole stores links every write they
    /// can make, which a mailer never makes.
    pub store: Box<dyn SignatureMailing>,
    pub supporters: Box<dyn OrganisationReading>,
    pub domains: Box<dyn MailDomains>,
    pub health: Box<dyn MailHealthStore>,
    /// This instance's share of unproven mail, and the guard, kept between invocations.
    pub unproven: std::sync::Arc<UnprovenMail>,
    pub clock: Box<dyn Clock>,
    pub keyring: Keyring,
    pub settings: MailSettings,
    pub pace: Pace,
}

/// The time an invocation leaves its last email: enough to send it and answer.
pub const LAST_EMAIL_BEFORE_TIMEOUT: Duration = Duration::from_secs(5);

/// When an invocation must stop starting emails, from Lambda's deadline (milliseconds since
/// the epoch).
pub(super) fn stop_at(deadline_ms: u64) -> Instant {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let left = Duration::from_millis(deadline_ms.saturating_sub(now_ms));
    Instant::now() + left.saturating_sub(LAST_EMAIL_BEFORE_TIMEOUT)
}

/// Whether SQS hands this message over for the first time.
fn is_first_receive(attributes: &std::collections::HashMap<String, String>) -> bool {
    attributes
        .get("ApproximateReceiveCount")
        .is_some_and(|count| count == "1")
}

/// The mailer function: queued requests in, the messages to bring back out.
pub async fn handle_mail_requests(
    state: &MailerState,
    event: lambda_runtime::LambdaEvent<aws_lambda_events::sqs::SqsEvent>,
) -> Result<aws_lambda_events::sqs::SqsBatchResponse, lambda_runtime::Error> {
    let deadline = stop_at(event.context.deadline);
    let mut first_received = Vec::new();
    let requests = event
        .payload
        .records
        .into_iter()
        .filter_map(|message| {
            let id = message.message_id.unwrap_or_default();
            match serde_json::from_str::<MailRequest>(message.body.as_deref().unwrap_or_default()) {
                Ok(request) => {
                    if is_first_receive(&message.attributes) {
                        first_received.push(request.clone());
                    }
                    Some((id, request))
                }
                // Only a bug writes such a message, and no retry will read it.
                Err(e) => {
                    tracing::error!(error = %crate::telemetry::Causes(&e), "unreadable mail request dropped");
                    None
                }
            }
        })
        .collect();
    let sending = Sending {
        mailer: state.mailer.as_ref(),
        store: state.store.as_ref(),
        supporters: state.supporters.as_ref(),
        domains: state.domains.as_ref(),
        health: state.health.as_ref(),
        unproven: &state.unproven,
        clock: state.clock.as_ref(),
        keyring: &state.keyring,
        settings: &state.settings,
        pace: &state.pace,
    };
    let mut response = aws_lambda_events::sqs::SqsBatchResponse::default();
    // A request received for the first time is a new signature: counted here, in the write
    // that counts what was sent, rather than by a write of the mail-queue function's own.
    let arrived = crate::use_cases::mailing::new_signatures(&first_received);
    for (id, outcome) in sending.send_all(requests, arrived, deadline).await {
        if matches!(outcome, Outcome::Later | Outcome::Held) {
            let mut failure = aws_lambda_events::sqs::BatchItemFailure::default();
            failure.item_identifier = id;
            response.batch_item_failures.push(failure);
        }
    }
    Ok(response)
}
