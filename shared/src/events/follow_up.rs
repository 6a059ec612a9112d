//! The follow-up function: every minute, the reminders and the update under way, sent until
//! shortly before Lambda's deadline while no confirmation email waits in the queue.

use crate::keyring::Keyring;
use crate::ports::{
    Clock, ConfirmationsWaiting, MailboxCounts, Mailer, ReminderStore, SignatureScan, UpdateStore,
};
use crate::use_cases::follow_up::FollowUp;
use crate::use_cases::mailing::MailSettings;
use crate::use_cases::sending::Pace;

/// What the follow-up function needs, built once per process.
pub struct FollowUpState {
    pub mailer: Box<dyn Mailer>,
    pub scan: Box<dyn SignatureScan>,
    pub signatures: Box<dyn crate::ports::SignatureMailing>,
    pub health: Box<dyn crate::ports::MailHealthStore>,
    pub mailboxes: Box<dyn MailboxCounts>,
    pub updates: Box<dyn UpdateStore>,
    pub reminders: Box<dyn ReminderStore>,
    pub confirmations: Box<dyn ConfirmationsWaiting>,
    pub clock: Box<dyn Clock>,
    pub keyring: Keyring,
    pub settings: MailSettings,
    pub update_wording: &'static dyn crate::ports::UpdateWording,
    /// One mailer's share of the rate: the mailers are idle while this mail goes.
    pub pace: Pace,
}

/// The follow-up function: a scheduled event in, what it sent out. A store that fails fails the
/// invocation; the next minute's goes on where this one stopped.
pub async fn handle_follow_up(
    state: &FollowUpState,
    event: lambda_runtime::LambdaEvent<serde_json::Value>,
) -> Result<serde_json::Value, lambda_runtime::Error> {
    let run = FollowUp {
        mailer: state.mailer.as_ref(),
        scan: state.scan.as_ref(),
        signatures: state.signatures.as_ref(),
        health: state.health.as_ref(),
        mailboxes: state.mailboxes.as_ref(),
        updates: state.updates.as_ref(),
        reminders: state.reminders.as_ref(),
        confirmations: state.confirmations.as_ref(),
        clock: state.clock.as_ref(),
        keyring: &state.keyring,
        settings: &state.settings,
        update_wording: state.update_wording,
        pace: &state.pace,
    }
    .send_what_is_due(super::mailer::stop_at(event.context.deadline))
    .await?;
    tracing::info!(reminded = run.reminded, updates = run.updates_sent, stopped = ?run.stopped, "follow-up mail");
    crate::telemetry::count_n("UpdateEmailsSent", run.updates_sent);
    Ok(serde_json::json!({
        "reminded": run.reminded,
        "updates_sent": run.updates_sent,
        "stopped": format!("{:?}", run.stopped),
    }))
}
