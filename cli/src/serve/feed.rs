//! The local stack's stand-in for the DynamoDB stream and its event source mappings: reads the
//! embedded store's change feed in small batches and hands them to the mailer and aggregate
//! code, each from where it stopped.

use people_first::adapters::clock::SystemClock;
use people_first::adapters::embedded::EmbeddedStore;
use people_first::adapters::embedded::FeedPage;
use people_first::adapters::outbox::Outbox;
use people_first::keyring::Keyring;
use people_first::ports::Clock;
use people_first::ports::StoreError;
use people_first::use_cases::aggregate::{AggregateError, count_batch};
use people_first::use_cases::mailing::MailSettings;
use people_first::use_cases::sending::{Pace, Sending};
use std::sync::Arc;
use std::time::Duration;

/// Small batches keep a confirmation's way to the count well under a second.
const BATCH: usize = 25;
pub(super) const MAILER: &str = "mailer";
const AGGREGATE: &str = "aggregate";
/// The embedded feed is one shard.
const SHARD: &str = "local";

/// Feeds changes after `start()` to `handle`, which answers how far it got; waits for new
/// changes when there are none, and backs off while `handle` fails.
async fn follow<S, G, H, F>(store: &EmbeddedStore, name: &str, start: S, mut handle: H)
where
    S: Fn() -> G,
    G: Future<Output = Result<u64, StoreError>>,
    H: FnMut(FeedPage) -> F,
    F: Future<Output = bool>,
{
    let mut latest = store.watch_changes();
    let mut delay = Duration::from_millis(200);
    loop {
        let page = match start()
            .await
            .and_then(|done| store.changes_after(done, BATCH))
        {
            Ok(page) => page,
            Err(e) => {
                tracing::error!(error = %people_first::telemetry::Causes(&e), consumer = name, "cannot read the change feed");
                tokio::time::sleep(delay).await;
                continue;
            }
        };
        if page.changes.is_empty() {
            if latest.changed().await.is_err() {
                return;
            }
            continue;
        }
        if handle(page).await {
            delay = Duration::from_millis(200);
        } else {
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(30));
        }
    }
}

/// The local mailer's budget for one batch: the outbox is a directory, so this is only a bound.
const MAILING_BATCH_TIME: Duration = Duration::from_mins(1);

pub async fn send_confirmations(
    store: Arc<EmbeddedStore>,
    outbox: Arc<Outbox>,
    keyring: Arc<Keyring>,
    settings: MailSettings,
) {
    let pace = Pace::unlimited();
    let unproven = people_first::use_cases::unproven::UnprovenMail::unmetered();
    let start = || std::future::ready(store.feed_checkpoint(MAILER));
    follow(&store, MAILER, start, |page| {
        let (store, outbox, keyring, settings) = (
            store.clone(),
            outbox.clone(),
            keyring.clone(),
            settings.clone(),
        );
        let (pace, unproven) = (&pace, &unproven);
        async move {
            let sending = Sending {
                mailer: outbox.as_ref(),
                store: store.as_ref(),
                supporters: store.as_ref(),
                // The outbox is a folder: every domain takes its mail.
                domains: &people_first::ports::EveryDomain,
                health: store.as_ref(),
                // One person's stack: nothing of theirs waits.
                unproven,
                clock: &people_first::adapters::clock::SystemClock,
                keyring: &keyring,
                settings: &settings,
                pace,
            };
            let deadline = tokio::time::Instant::now() + MAILING_BATCH_TIME;
            if !sending.send_for_changes(&page.changes, deadline).await {
                return false;
            }
            if let Err(e) = store.set_feed_checkpoint(MAILER, page.last).await {
                tracing::error!(error = %people_first::telemetry::Causes(&e), "cannot save the mailer's checkpoint");
                return false;
            }
            true
        }
    })
    .await;
}

pub async fn count_confirmations(store: Arc<EmbeddedStore>) {
    // The feed position is the aggregate's own, like an event source mapping's: a batch that
    // changes no count moves it on without writing the counter, which the shard checkpoint
    // keeps exact on its own.
    let start = || std::future::ready(store.feed_checkpoint(AGGREGATE));
    follow(&store, AGGREGATE, start, |page| {
        let store = store.clone();
        async move {
            let last = page.last;
            match count_batch(store.as_ref(), &SystemClock, SHARD, &page.changes).await {
                Ok(()) => match store.set_feed_checkpoint(AGGREGATE, last).await {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::error!(error = %people_first::telemetry::Causes(&e), "cannot save the aggregate's position");
                        false
                    }
                },
                Err(AggregateError::RetryFrom(_, cause)) => {
                    let cause = cause.map(|e| e.to_string());
                    tracing::warn!(error = ?cause, "counting will be retried");
                    false
                }
            }
        }
    })
    .await;
}

/// How often the local stack deletes unconfirmed signatures past their time.
const PURGE_PERIOD: Duration = Duration::from_mins(1);

/// DynamoDB's TTL, locally: pending signatures whose days ran out are deleted, address and all.
pub async fn purge_expired(store: Arc<EmbeddedStore>, clock: Arc<dyn Clock>) {
    let mut ticks = tokio::time::interval(PURGE_PERIOD);
    loop {
        ticks.tick().await;
        match store.purge_expired(clock.now()).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "expired unconfirmed signatures deleted"),
            Err(e) => {
                tracing::warn!(error = %people_first::telemetry::Causes(&e), "cannot purge expired signatures; will retry");
            }
        }
    }
}
