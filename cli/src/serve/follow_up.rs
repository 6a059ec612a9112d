//! The local stack's reminders and updates: the follow-up mail, run every few seconds while the
//! local mailer has read every change, as the follow-up function runs every minute on AWS while
//! the mail queue is empty.

use people_first::adapters::embedded::EmbeddedStore;
use people_first::adapters::outbox::Outbox;
use people_first::keyring::Keyring;
use people_first::ports::{Clock, ConfirmationsWaiting, MailError};
use people_first::use_cases::follow_up::FollowUp;
use people_first::use_cases::mailing::MailSettings;
use people_first::use_cases::sending::Pace;
use std::sync::Arc;
use std::time::Duration;

/// How often the local stack looks for what is due.
const EVERY: Duration = Duration::from_secs(2);
/// How long one run may send.
const RUN_TIME: Duration = Duration::from_secs(30);

/// Confirmation emails wait while the local mailer has changes of the feed still to read.
struct MailerBacklog(Arc<EmbeddedStore>);

#[async_trait::async_trait]
impl ConfirmationsWaiting for MailerBacklog {
    async fn waiting(&self) -> Result<bool, MailError> {
        let read = self
            .0
            .feed_checkpoint(super::feed::MAILER)
            .map_err(|e| MailError::Unavailable(e.to_string()))?;
        Ok(*self.0.watch_changes().borrow() > read)
    }
}

pub async fn follow_up(
    store: Arc<EmbeddedStore>,
    outbox: Arc<Outbox>,
    keyring: Arc<Keyring>,
    settings: MailSettings,
    clock: Arc<dyn Clock>,
) {
    let pace = Pace::unlimited();
    let backlog = MailerBacklog(store.clone());
    let mut ticks = tokio::time::interval(EVERY);
    loop {
        ticks.tick().await;
        let run = FollowUp {
            mailer: outbox.as_ref(),
            scan: store.as_ref(),
            signatures: store.as_ref(),
            health: store.as_ref(),
            mailboxes: store.as_ref(),
            updates: store.as_ref(),
            reminders: store.as_ref(),
            confirmations: &backlog,
            clock: clock.as_ref(),
            keyring: &keyring,
            settings: &settings,
            update_wording: &people_first::pages::Emails,
            pace: &pace,
        };
        match run
            .send_what_is_due(tokio::time::Instant::now() + RUN_TIME)
            .await
        {
            Ok(run) if run.reminded + run.updates_sent > 0 => {
                tracing::info!(reminded = run.reminded, updates = run.updates_sent, stopped = ?run.stopped, "follow-up mail sent");
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %people_first::telemetry::Causes(&e), "the follow-up mail will be retried");
            }
        }
    }
}
