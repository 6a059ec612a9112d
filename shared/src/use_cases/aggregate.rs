//! Counting confirmed signatures from the stream, exactly once, whatever the stream redelivers.

use crate::domain::{Change, ChangedItem, CounterDelta, SequenceNumber};
use crate::ports::Clock;
use crate::ports::{CounterStore, StoreError};
use tracing::instrument;

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
    batch: &[Change],
) -> Result<(), AggregateError> {
    let Some(first) = batch.first().map(|change| &change.sequence) else {
        return Ok(());
    };
    let retry = |e: StoreError| AggregateError::RetryFrom(first.clone(), Some(e));
    for _ in 0..ATTEMPTS {
        let checkpoint = counter.checkpoint(shard).await.map_err(retry)?;
        let fresh = batch
            .iter()
            .filter(|change| checkpoint.as_ref().is_none_or(|c| &change.sequence > c));
        let mut delta = CounterDelta::default();
        let mut last = None;
        let mut unreadable = None;
        for change in fresh {
            match &change.item {
                ChangedItem::Signature(signature) => delta.merge(&signature.counter_delta()),
                ChangedItem::Contact(_) | ChangedItem::Other => {}
                ChangedItem::Unreadable(reason) => {
                    tracing::error!(%reason, "unreadable signature record");
                    unreadable = Some(change.sequence.clone());
                    break;
                }
            }
            last = Some(&change.sequence);
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
