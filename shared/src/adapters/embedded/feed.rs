//! The change feed: every write's old and new images, numbered, as a DynamoDB stream carries
//! them, with where each consumer stopped.

use super::writer::Write;
use super::{CHANGES, CHECKPOINTS, EmbeddedStore, unavailable};
use crate::domain::Signature;
use crate::mailing::SignatureChange;
use crate::ports::StoreError;
use redb::ReadableDatabase;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

#[derive(Serialize, Deserialize)]
pub(super) struct StoredChange {
    pub(super) old: Option<Signature>,
    pub(super) new: Option<Signature>,
}

impl EmbeddedStore {
    /// Up to `limit` changes after sequence number `after`, oldest first.
    pub fn changes_after(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<(u64, SignatureChange)>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(CHANGES).map_err(unavailable)?;
        let mut changes = Vec::new();
        for entry in table.range(after + 1..).map_err(unavailable)?.take(limit) {
            let (seq, bytes) = entry.map_err(unavailable)?;
            let stored: StoredChange = serde_json::from_slice(bytes.value())
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            changes.push((
                seq.value(),
                SignatureChange {
                    old: stored.old,
                    new: stored.new,
                },
            ));
        }
        Ok(changes)
    }

    /// Wakes when changes newer than the last seen are written.
    pub fn watch_changes(&self) -> watch::Receiver<u64> {
        self.latest_change.clone()
    }

    /// Where a consumer of the change feed stopped.
    pub fn feed_checkpoint(&self, consumer: &str) -> Result<u64, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(CHECKPOINTS).map_err(unavailable)?;
        Ok(table
            .get(consumer)
            .map_err(unavailable)?
            .map_or(0, |v| v.value()))
    }

    pub async fn set_feed_checkpoint(&self, consumer: &str, seq: u64) -> Result<(), StoreError> {
        let consumer = consumer.to_owned();
        self.write(|reply| Write::Checkpoint {
            consumer,
            seq,
            reply,
        })
        .await
    }
}
