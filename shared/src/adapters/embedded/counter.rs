//! The counter and the aggregation's checkpoints on the embedded store, as JSON under their
//! names.

use super::{COUNTER, COUNTS, EmbeddedStore, read_json, unavailable};
use crate::domain::{Counter, CounterDelta, Country, SequenceNumber, Source, Timestamp};
use crate::ports::{CounterStore, StoreError};
use async_trait::async_trait;
use redb::ReadableDatabase;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Serialize, Deserialize, Default)]
pub(super) struct StoredCounter {
    countries: BTreeMap<String, u64>,
    /// Written since sources were counted: a counter stored before has none.
    #[serde(default)]
    sources: BTreeMap<String, u64>,
    updated_at: Option<Timestamp>,
    revision: u64,
}

impl From<&Counter> for StoredCounter {
    fn from(counter: &Counter) -> Self {
        Self {
            countries: counter
                .countries
                .iter()
                .map(|(c, n)| (c.code().to_owned(), *n))
                .collect(),
            sources: counter
                .sources
                .iter()
                .map(|(s, n)| (s.code().to_owned(), *n))
                .collect(),
            updated_at: counter.updated_at,
            revision: counter.revision,
        }
    }
}

impl TryFrom<StoredCounter> for Counter {
    type Error = StoreError;
    fn try_from(stored: StoredCounter) -> Result<Self, StoreError> {
        let countries = stored
            .countries
            .into_iter()
            .map(|(code, n)| Country::parse(&code).map(|c| (c, n)))
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Corrupt(format!("counter: {e}")))?;
        let sources = stored
            .sources
            .into_iter()
            .map(|(code, n)| Source::parse(&code).map(|s| (s, n)))
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::Corrupt(format!("counter's sources: {e}")))?;
        Ok(Self {
            countries,
            sources,
            updated_at: stored.updated_at,
            revision: stored.revision,
        })
    }
}

pub(super) fn checkpoint_key(shard: &str) -> String {
    format!("checkpoint#{shard}")
}

impl EmbeddedStore {
    fn read_count<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        read_json(&txn.open_table(COUNTS).map_err(unavailable)?, key)
    }
}

/// A batch of the aggregation's counts for one shard of the feed, as the writer applies it.
pub(super) struct CountWrite {
    pub(super) shard: String,
    pub(super) from: Option<SequenceNumber>,
    pub(super) to: SequenceNumber,
    pub(super) delta: CounterDelta,
    pub(super) at: Timestamp,
}

#[async_trait]
impl CounterStore for EmbeddedStore {
    async fn read_counter(&self) -> Result<Counter, StoreError> {
        self.read_count::<StoredCounter>(COUNTER)?
            .unwrap_or_default()
            .try_into()
    }

    async fn checkpoint(&self, shard: &str) -> Result<Option<SequenceNumber>, StoreError> {
        Ok(self
            .read_count::<String>(&checkpoint_key(shard))?
            .and_then(|s| SequenceNumber::parse(&s)))
    }

    async fn apply(
        &self,
        shard: &str,
        from: Option<&SequenceNumber>,
        to: &SequenceNumber,
        delta: &CounterDelta,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let write = CountWrite {
            shard: shard.to_owned(),
            from: from.cloned(),
            to: to.clone(),
            delta: delta.clone(),
            at,
        };
        self.write(move |batch| batch.count(&write)).await
    }

    async fn replace_counter(&self, seen: &Counter, recount: &Counter) -> Result<bool, StoreError> {
        let (seen, recount) = (seen.clone(), recount.clone());
        self.write(move |batch| batch.replace_counter(&seen, &recount))
            .await
    }
}
