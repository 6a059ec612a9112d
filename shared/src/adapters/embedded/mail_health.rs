//! The mail path's health on the embedded store: each five-minute stretch's counts, as JSON
//! beside the counter.

use super::{COUNTS, EmbeddedStore, read_json, unavailable};
use crate::domain::Timestamp;
use crate::domain::mail_health::MailHealth;
use crate::ports::{MailHealthHistory, MailHealthStore, StoreError};
use async_trait::async_trait;
use redb::ReadableDatabase;

fn key(stretch: i64) -> String {
    format!("mail-health#{stretch}")
}

#[async_trait]
impl MailHealthStore for EmbeddedStore {
    async fn note_mail(&self, at: Timestamp, seen: &MailHealth) -> Result<(), StoreError> {
        if seen.is_empty() {
            return Ok(());
        }
        let (key, seen) = (key(MailHealth::stretch_of(at)), *seen);
        self.write(move |batch| batch.note_mail(&key, &seen)).await
    }

    async fn recent_mail(&self, now: Timestamp) -> Result<MailHealth, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(COUNTS).map_err(unavailable)?;
        let mut health = MailHealth::default();
        for stretch in MailHealth::stretches_before(now) {
            if let Some(seen) = read_json::<MailHealth>(&table, &key(stretch))? {
                health.add(&seen);
            }
        }
        Ok(health)
    }
}

#[async_trait]
impl MailHealthHistory for EmbeddedStore {
    async fn mail_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, MailHealth)>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(COUNTS).map_err(unavailable)?;
        let mut seen = Vec::new();
        for stretch in MailHealth::stretches_between(from, to) {
            if let Some(health) = read_json::<MailHealth>(&table, &key(stretch))? {
                seen.push((stretch, health));
            }
        }
        Ok(seen)
    }
}
