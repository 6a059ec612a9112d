//! What DynamoDB's TTL does on AWS, done on the embedded store: what is past its time goes.

use super::{EmbeddedStore, SIGNATURES, decode, unavailable};
use crate::domain::{Signature, Timestamp};
use crate::ports::StoreError;
use redb::{ReadableDatabase, ReadableTable};

impl EmbeddedStore {
    /// Deletes the pending signatures whose time ran out, as DynamoDB's TTL does on AWS, and
    /// returns how many: an unconfirmed address is not kept past its days.
    /// The scan reads a snapshot, away from the single writer that signing waits on; the writer
    /// then checks each candidate again, since it may have been confirmed meanwhile.
    pub async fn purge_expired(&self, now: Timestamp) -> Result<usize, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let mut expired = Vec::new();
        for entry in txn
            .open_table(SIGNATURES)
            .map_err(unavailable)?
            .iter()
            .map_err(unavailable)?
        {
            let (_, bytes) = entry.map_err(unavailable)?;
            let signature: Signature = decode(bytes.value())?;
            if is_expired(&signature, now) {
                expired.push(signature.signer);
            }
        }
        // Even with nothing expired: yesterday's counts of emails to mailboxes go too.
        self.mailboxes().forget_before(now);
        self.write(move |batch| batch.purge(&expired, now)).await
    }
}

/// Whether DynamoDB's TTL would have deleted it by `now`.
pub(super) fn is_expired(signature: &Signature, now: Timestamp) -> bool {
    signature.expires_at.is_some_and(|at| at <= now)
}
