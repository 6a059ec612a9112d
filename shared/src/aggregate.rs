//! Counting confirmed signatures from the stream, exactly once, whatever the stream redelivers.

use crate::clock::Clock;
use crate::domain::{CounterDelta, SequenceNumber, SignatureStatus};
use crate::mailing::SignatureChange;
use crate::ports::{CounterStore, StoreError};
use tracing::instrument;

/// What one change does to the counter.
pub fn delta_of(change: &SignatureChange) -> CounterDelta {
    let confirmed = |s: &Option<crate::domain::Signature>| {
        s.as_ref()
            .filter(|s| s.status == SignatureStatus::Confirmed)
            .map(|s| s.country)
    };
    let mut delta = CounterDelta::default();
    if let Some(country) = confirmed(&change.old) {
        delta.add(country, -1);
    }
    if let Some(country) = confirmed(&change.new) {
        delta.add(country, 1);
    }
    delta
}

/// One record of a batch: its sequence number and the change, if it is a signature's.
pub type CountRecord = (SequenceNumber, Result<Option<SignatureChange>, String>);

#[derive(Debug, thiserror::Error)]
pub enum AggregateError {
    /// The records from this one on must be delivered again.
    #[error("records from {0:?} on were not counted")]
    RetryFrom(SequenceNumber, #[source] Option<StoreError>),
}

/// How often a batch re-reads the checkpoint after losing a race with another delivery.
const ATTEMPTS: usize = 5;

/// Counts one batch of one shard. Records at or before the shard's checkpoint were counted
/// already and are skipped; the rest move the counter and the checkpoint together.
#[instrument(skip_all, fields(shard, records = batch.len()))]
pub async fn count_batch(
    counter: &dyn CounterStore,
    clock: &dyn Clock,
    shard: &str,
    batch: &[CountRecord],
) -> Result<(), AggregateError> {
    let Some((first, _)) = batch.first() else {
        return Ok(());
    };
    let retry = |e: StoreError| AggregateError::RetryFrom(first.clone(), Some(e));
    for _ in 0..ATTEMPTS {
        let checkpoint = counter.checkpoint(shard).await.map_err(retry)?;
        let fresh = batch
            .iter()
            .filter(|(seq, _)| checkpoint.as_ref().is_none_or(|c| seq > c));
        let mut delta = CounterDelta::default();
        let mut last = None;
        let mut unreadable = None;
        for (seq, change) in fresh {
            match change {
                Ok(Some(change)) => delta.merge(&delta_of(change)),
                Ok(None) => {}
                Err(reason) => {
                    tracing::error!(%reason, "unreadable signature record");
                    unreadable = Some(seq.clone());
                    break;
                }
            }
            last = Some(seq);
        }
        let Some(last) = last else {
            return unreadable.map_or(Ok(()), |seq| Err(AggregateError::RetryFrom(seq, None)));
        };
        // A batch that changes no count writes nothing: its records are skipped again if
        // redelivered, at no cost.
        if delta.is_empty()
            || counter
                .apply(shard, checkpoint.as_ref(), last, &delta, clock.now())
                .await
                .map_err(retry)?
        {
            tracing::info!(change = delta.total(), "counted");
            return unreadable.map_or(Ok(()), |seq| Err(AggregateError::RetryFrom(seq, None)));
        }
    }
    Err(AggregateError::RetryFrom(first.clone(), None))
}
