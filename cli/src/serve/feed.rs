//! The local stack's stand-in for the DynamoDB stream and its event source mapping: reads the
//! embedded store's change feed in small batches and hands them to the mailer code.

use people_first::adapters::embedded::EmbeddedStore;
use people_first::adapters::outbox::Outbox;
use people_first::keyring::Keyring;
use people_first::mailing::{MailSettings, deliver_batch};
use std::sync::Arc;
use std::time::Duration;

const CONSUMER: &str = "mailer";
const BATCH: usize = 25;

pub async fn send_confirmations(
    store: Arc<EmbeddedStore>,
    outbox: Arc<Outbox>,
    keyring: Arc<Keyring>,
    settings: MailSettings,
) {
    let mut latest = store.watch_changes();
    let mut retry_delay = Duration::from_millis(200);
    loop {
        let done = match store.checkpoint(CONSUMER) {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the mailer's checkpoint");
                tokio::time::sleep(retry_delay).await;
                continue;
            }
        };
        let changes = match store.changes_after(done, BATCH) {
            Ok(changes) => changes,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the change feed");
                tokio::time::sleep(retry_delay).await;
                continue;
            }
        };
        let Some(&(last, _)) = changes.last() else {
            // Nothing new: wait for the next commit.
            if latest.changed().await.is_err() {
                return;
            }
            continue;
        };
        let batch = changes
            .into_iter()
            .map(|(seq, change)| (seq.to_string(), Ok(Some(change))))
            .collect();
        let reached = match deliver_batch(outbox.as_ref(), &keyring, &settings, batch).await {
            None => {
                retry_delay = Duration::from_millis(200);
                last
            }
            Some(failed) => {
                tokio::time::sleep(retry_delay).await;
                retry_delay = (retry_delay * 2).min(Duration::from_secs(30));
                failed.parse::<u64>().map_or(done, |seq| seq - 1)
            }
        };
        if let Err(e) = store.set_checkpoint(CONSUMER, reached).await {
            tracing::error!(error = %e, "cannot save the mailer's checkpoint");
        }
    }
}
