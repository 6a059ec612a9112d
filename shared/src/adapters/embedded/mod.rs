//! The local stack's store: a file on disk, written by one thread that commits many requests at
//! once, with a change feed that carries old and new images like a DynamoDB stream (the mailer's mark
//! left out).
//!
//! `writer` is that thread and its transaction; `signatures`, `counter` and `organisations` fill
//! the ports; `mailboxes` keeps the emails counted to each mailbox; `feed` numbers the changes for
//! the local stack's consumers; `purge` does what DynamoDB's TTL does on AWS.

mod counter;
mod feed;
mod mail_health;
mod mailboxes;
mod organisations;
mod purge;
mod signatures;
mod updates;
mod writer;

pub use feed::FeedPage;

use crate::ports::StoreError;
use redb::{Database, ReadableTable, TableDefinition};
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::{oneshot, watch};
use writer::{Batch, Write};

const SIGNATURES: TableDefinition<&str, &[u8]> = TableDefinition::new("signatures");
/// What erased signers left their partners, as JSON under `partner#signer`.
const ERASED_CONSENTS: TableDefinition<&str, &[u8]> = TableDefinition::new("erased_consents");
const CHANGES: TableDefinition<u64, &[u8]> = TableDefinition::new("changes");
const CHECKPOINTS: TableDefinition<&str, u64> = TableDefinition::new("checkpoints");
/// The counter and the aggregation's checkpoints, as JSON under their names.
const COUNTS: TableDefinition<&str, &[u8]> = TableDefinition::new("counts");
const COUNTER: &str = "counter";
/// Where stores written before `mailboxes` kept the counts of emails to a mailbox on a day.
const FORMER_MAILBOX_DAYS: &str = "mailbox#";
/// Where they briefly kept them, with each count given back as an entry of its own.
const FORMER_MAILBOX_LOG: TableDefinition<(i64, u64), &[u8]> = TableDefinition::new("mailbox_log");

/// The most requests one commit carries: enough to amortise the disk sync under a spike.
const GROUP_COMMIT: usize = 1024;

pub struct EmbeddedStore {
    db: Arc<Database>,
    writes: mpsc::Sender<Write>,
    latest_change: watch::Receiver<u64>,
    /// The day's emails to each mailbox, decided here and logged by the writer.
    mailboxes: Mutex<mailboxes::MailboxCounts>,
    writer: Option<std::thread::JoinHandle<()>>,
}

impl Drop for EmbeddedStore {
    /// Waits for the writer to commit what it was handed (counts nobody waits for included), so
    /// the file is closed and whole when the store is gone.
    fn drop(&mut self) {
        let (closed, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.writes, closed));
        if let Some(writer) = self.writer.take()
            && writer.join().is_err()
        {
            tracing::error!("the embedded store's writer panicked");
        }
    }
}

pub(super) fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::unavailable(e.to_string())
}

pub(super) fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A JSON value under `key`, read in a read or a write transaction alike.
pub(super) fn read_json<T: serde::de::DeserializeOwned>(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    key: &str,
) -> Result<Option<T>, StoreError> {
    let found = table.get(key).map_err(unavailable)?;
    found.map(|bytes| decode(bytes.value())).transpose()
}

impl EmbeddedStore {
    /// Opens (or creates) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(unavailable)?;
        let db = Arc::new(Database::create(dir.join("signatures.redb")).map_err(unavailable)?);
        let txn = db.begin_write().map_err(unavailable)?;
        txn.open_table(SIGNATURES).map_err(unavailable)?;
        txn.open_table(ERASED_CONSENTS).map_err(unavailable)?;
        let last = txn
            .open_table(CHANGES)
            .map_err(unavailable)?
            .last()
            .map_err(unavailable)?
            .map_or(0, |(k, _)| k.value());
        txn.open_table(CHECKPOINTS).map_err(unavailable)?;
        txn.open_table(COUNTS)
            .map_err(unavailable)?
            .retain_in(FORMER_MAILBOX_DAYS.., |key, _| {
                !key.starts_with(FORMER_MAILBOX_DAYS)
            })
            .map_err(unavailable)?;
        txn.open_table(organisations::ORGANISATIONS)
            .map_err(unavailable)?;
        // Stores written before the counts' log took its present form lose the day's counts once.
        txn.delete_table(FORMER_MAILBOX_LOG).map_err(unavailable)?;
        let mailboxes = mailboxes::MailboxCounts::load(
            &txn.open_table(mailboxes::MAILBOX_LOG)
                .map_err(unavailable)?,
        )?;
        txn.commit().map_err(unavailable)?;

        let (writes, queue) = mpsc::channel();
        let (latest, latest_change) = watch::channel(last);
        let db_to_write = Arc::clone(&db);
        let writer_thread = std::thread::Builder::new()
            .name("embedded-store-writer".into())
            .spawn(move || writer::write_loop(&db_to_write, &queue, &latest, last))
            .map_err(unavailable)?;
        Ok(Self {
            db,
            writes,
            latest_change,
            mailboxes: Mutex::new(mailboxes),
            writer: Some(writer_thread),
        })
    }

    /// Hands a count to the writer, ahead of the signature it allows.
    fn log_mailbox(&self, entry: mailboxes::Entry) -> Result<(), StoreError> {
        self.writes
            .send(Write::MailboxCount(entry))
            .map_err(|_| unavailable("the writer has stopped"))
    }

    /// Hands `change` to the writer, to run in its next group's transaction; what it returns
    /// comes back once that transaction is on disk.
    async fn write<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Batch<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let apply: writer::Apply = Box::new(move |batch| writer::answer(reply, change(batch)));
        self.writes
            .send(Write::Apply(apply))
            .map_err(|_| unavailable("the writer has stopped"))?;
        answer
            .await
            .map_err(|_| unavailable("the writer has stopped"))?
    }
}
