//! The local stack's store: a file on disk, written by one thread that commits many requests at
//! once, with a change feed that carries old and new images like a DynamoDB stream.

use crate::domain::{
    Counter, CounterDelta, Country, SecretHash, SequenceNumber, Signature, SignatureStatus,
    SignerKey, Timestamp,
};
use crate::mailing::SignatureChange;
use crate::ports::{
    CounterStore, Insertion, LinkRenewal, SignaturePage, SignatureScan, SignatureStore,
    SignerChoices, StoreError,
};
use async_trait::async_trait;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::{Arc, mpsc};
use tokio::sync::{oneshot, watch};

mod organisations;

const SIGNATURES: TableDefinition<&str, &[u8]> = TableDefinition::new("signatures");
const CHANGES: TableDefinition<u64, &[u8]> = TableDefinition::new("changes");
const CHECKPOINTS: TableDefinition<&str, u64> = TableDefinition::new("checkpoints");
/// The counter and the aggregation's checkpoints, as JSON under their names.
const COUNTS: TableDefinition<&str, &[u8]> = TableDefinition::new("counts");
const COUNTER: &str = "counter";
/// The prefix of the counts of emails to a mailbox on a day, as `ports::mailbox_day` names them.
const MAILBOX_DAYS: &str = "mailbox#";

/// The most requests one commit carries: enough to amortise the disk sync under a spike.
const GROUP_COMMIT: usize = 1024;

#[derive(Serialize, Deserialize)]
struct StoredChange {
    old: Option<Signature>,
    new: Option<Signature>,
}

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

enum Write {
    Insert(Box<Signature>, Reply<Insertion>),
    Revise(Box<Revision>, Reply<bool>),
    Confirm(SignerKey, SecretHash, Timestamp, bool, Reply<bool>),
    Erase(SignerKey, Option<SecretHash>, Reply<Option<Signature>>),
    MarkMailed(SignerKey, SecretHash, Reply<bool>),
    MarkUndeliverable(SignerKey, Reply<bool>),
    ErasePending(SignerKey, Reply<Option<Signature>>),
    CountEmail(String, u32, Reply<bool>),
    UncountEmail(String, Reply<()>),
    Purge(Vec<SignerKey>, Timestamp, Reply<usize>),
    Checkpoint(String, u64, Reply<()>),
    Count(CountWrite, Reply<bool>),
    ReplaceCounter(Box<(Counter, Counter)>, Reply<bool>),
    Organisations(organisations::Change),
}

struct Revision {
    signer: SignerKey,
    choices: SignerChoices,
    renewal: Option<LinkRenewal>,
    sent_before: Timestamp,
}

struct CountWrite {
    shard: String,
    from: Option<SequenceNumber>,
    to: SequenceNumber,
    delta: CounterDelta,
    at: Timestamp,
}

#[derive(Serialize, Deserialize, Default)]
struct StoredCounter {
    countries: std::collections::BTreeMap<String, u64>,
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
        Ok(Self {
            countries,
            updated_at: stored.updated_at,
            revision: stored.revision,
        })
    }
}

fn checkpoint_key(shard: &str) -> String {
    format!("checkpoint#{shard}")
}

pub struct EmbeddedStore {
    db: Arc<Database>,
    writes: mpsc::Sender<Write>,
    latest_change: watch::Receiver<u64>,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A JSON value under `key`, read in a read or a write transaction alike.
fn read_json<T: serde::de::DeserializeOwned>(
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
        let last = txn
            .open_table(CHANGES)
            .map_err(unavailable)?
            .last()
            .map_err(unavailable)?
            .map_or(0, |(k, _)| k.value());
        txn.open_table(CHECKPOINTS).map_err(unavailable)?;
        txn.open_table(COUNTS).map_err(unavailable)?;
        txn.open_table(organisations::ORGANISATIONS)
            .map_err(unavailable)?;
        txn.commit().map_err(unavailable)?;

        let (writes, queue) = mpsc::channel();
        let (latest, latest_change) = watch::channel(last);
        let writer_db = Arc::clone(&db);
        std::thread::Builder::new()
            .name("embedded-store-writer".into())
            .spawn(move || write_loop(&writer_db, &queue, &latest, last))
            .map_err(unavailable)?;
        Ok(Self {
            db,
            writes,
            latest_change,
        })
    }

    async fn write<T>(&self, make: impl FnOnce(Reply<T>) -> Write) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.writes
            .send(make(reply))
            .map_err(|_| unavailable("the writer has stopped"))?;
        answer
            .await
            .map_err(|_| unavailable("the writer has stopped"))?
    }

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
        self.write(|reply| Write::Checkpoint(consumer, seq, reply))
            .await
    }
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
        self.write(|reply| Write::Count(write, reply)).await
    }

    async fn replace_counter(&self, seen: &Counter, recount: &Counter) -> Result<bool, StoreError> {
        let pair = Box::new((seen.clone(), recount.clone()));
        self.write(|reply| Write::ReplaceCounter(pair, reply)).await
    }
}

#[async_trait]
impl SignatureScan for EmbeddedStore {
    async fn scan(&self, from: Option<String>) -> Result<SignaturePage, StoreError> {
        const PAGE: usize = 500;
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(SIGNATURES).map_err(unavailable)?;
        let start = from.unwrap_or_default();
        let mut signatures: Vec<Signature> = Vec::with_capacity(PAGE + 1);
        let range = table
            .range::<&str>((
                std::ops::Bound::Excluded(start.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .map_err(unavailable)?;
        for entry in range.take(PAGE + 1) {
            let (_, bytes) = entry.map_err(unavailable)?;
            signatures.push(decode(bytes.value())?);
        }
        // One more than a page was read only to learn that another page follows.
        let next = (signatures.len() > PAGE)
            .then(|| {
                signatures.pop();
                signatures.last().map(|s| s.signer.to_hex())
            })
            .flatten();
        Ok(SignaturePage { signatures, next })
    }
}

#[async_trait]
impl SignatureStore for EmbeddedStore {
    async fn insert_pending(&self, signature: &Signature) -> Result<Insertion, StoreError> {
        self.write(|reply| Write::Insert(Box::new(signature.clone()), reply))
            .await
    }

    async fn revise_pending(
        &self,
        signer: &SignerKey,
        choices: &SignerChoices,
        renewal: Option<&LinkRenewal>,
        sent_before: Timestamp,
    ) -> Result<bool, StoreError> {
        let revision = Box::new(Revision {
            signer: *signer,
            choices: choices.clone(),
            renewal: renewal.copied(),
            sent_before,
        });
        self.write(|reply| Write::Revise(revision, reply)).await
    }

    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        read_json(
            &txn.open_table(SIGNATURES).map_err(unavailable)?,
            &signer.to_hex(),
        )
    }

    async fn confirm(
        &self,
        signer: &SignerKey,
        secret_hash: &SecretHash,
        at: Timestamp,
        keep_email: bool,
    ) -> Result<bool, StoreError> {
        self.write(|reply| Write::Confirm(*signer, *secret_hash, at, keep_email, reply))
            .await
    }

    async fn erase(
        &self,
        signer: &SignerKey,
        erase_hash: Option<&SecretHash>,
    ) -> Result<Option<Signature>, StoreError> {
        self.write(|reply| Write::Erase(*signer, erase_hash.copied(), reply))
            .await
    }

    async fn mark_mailed(&self, signer: &SignerKey, link: &SecretHash) -> Result<bool, StoreError> {
        self.write(|reply| Write::MarkMailed(*signer, *link, reply))
            .await
    }

    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
        self.write(|reply| Write::MarkUndeliverable(*signer, reply))
            .await
    }

    async fn erase_pending(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        self.write(|reply| Write::ErasePending(*signer, reply))
            .await
    }

    async fn count_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Result<bool, StoreError> {
        let (item, _) = crate::ports::mailbox_day(mailbox, at);
        self.write(|reply| Write::CountEmail(item, limit, reply))
            .await
    }

    async fn uncount_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let (item, _) = crate::ports::mailbox_day(mailbox, at);
        self.write(|reply| Write::UncountEmail(item, reply)).await
    }
}

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
        self.write(|reply| Write::Purge(expired, now, reply)).await
    }
}

/// Whether DynamoDB's TTL would have deleted it by `now`.
fn is_expired(signature: &Signature, now: Timestamp) -> bool {
    signature.expires_at.is_some_and(|at| at <= now)
}

/// One transaction's view: reads and writes signatures, appends changes.
struct Batch<'t> {
    signatures: redb::Table<'t, &'static str, &'static [u8]>,
    counts: redb::Table<'t, &'static str, &'static [u8]>,
    changes: redb::Table<'t, u64, &'static [u8]>,
    checkpoints: redb::Table<'t, &'static str, u64>,
    organisations: organisations::Table<'t>,
    seq: u64,
}

impl Batch<'_> {
    fn count_item<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        read_json(&self.counts, key)
    }

    fn put_count_item<T: Serialize>(&mut self, key: &str, value: &T) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(value).map_err(unavailable)?;
        self.counts
            .insert(key, bytes.as_slice())
            .map_err(unavailable)?;
        Ok(())
    }

    fn count(&mut self, write: &CountWrite) -> Result<bool, StoreError> {
        let key = checkpoint_key(&write.shard);
        let current = self
            .count_item::<String>(&key)?
            .and_then(|s| SequenceNumber::parse(&s));
        if current != write.from {
            return Ok(false);
        }
        let mut counter: Counter = self
            .count_item::<StoredCounter>(COUNTER)?
            .unwrap_or_default()
            .try_into()?;
        counter.apply(&write.delta, write.at);
        self.put_count_item(COUNTER, &StoredCounter::from(&counter))?;
        self.put_count_item(&key, &write.to.as_str())?;
        Ok(true)
    }

    fn replace_counter(&mut self, seen: &Counter, recount: &Counter) -> Result<bool, StoreError> {
        let current: Counter = self
            .count_item::<StoredCounter>(COUNTER)?
            .unwrap_or_default()
            .try_into()?;
        if current.revision != seen.revision {
            return Ok(false);
        }
        let mut replaced = recount.clone();
        replaced.revision = current.revision + 1;
        self.put_count_item(COUNTER, &StoredCounter::from(&replaced))?;
        Ok(true)
    }

    fn get(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        read_json(&self.signatures, &signer.to_hex())
    }

    fn put(&mut self, old: Option<Signature>, new: Signature) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(&new).map_err(unavailable)?;
        self.signatures
            .insert(new.signer.to_hex().as_str(), bytes.as_slice())
            .map_err(unavailable)?;
        self.record(old, Some(new))
    }

    fn remove(&mut self, old: Signature) -> Result<(), StoreError> {
        self.signatures
            .remove(old.signer.to_hex().as_str())
            .map_err(unavailable)?;
        self.record(Some(old), None)
    }

    /// Appends a change to the feed, as a stream record would carry it.
    fn record(&mut self, old: Option<Signature>, new: Option<Signature>) -> Result<(), StoreError> {
        self.seq += 1;
        let change = serde_json::to_vec(&StoredChange { old, new }).map_err(unavailable)?;
        self.changes
            .insert(self.seq, change.as_slice())
            .map_err(unavailable)?;
        Ok(())
    }

    fn erase(
        &mut self,
        signer: &SignerKey,
        hash: Option<&SecretHash>,
    ) -> Result<Option<Signature>, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(None);
        };
        if hash.is_some_and(|hash| !old.erase_hash.matches(hash)) {
            return Ok(None);
        }
        self.remove(old.clone())?;
        Ok(Some(old))
    }

    fn mark_mailed(&mut self, signer: &SignerKey, link: &SecretHash) -> Result<bool, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(false);
        };
        if old.status != SignatureStatus::Pending || !old.secret_hash.matches(link) {
            return Ok(false);
        }
        let mut new = old.clone();
        new.mailed_link = Some(*link);
        self.put(Some(old), new)?;
        Ok(true)
    }

    fn mark_undeliverable(&mut self, signer: &SignerKey) -> Result<bool, StoreError> {
        let Some(old) = self
            .get(signer)?
            .filter(|s| s.status == SignatureStatus::Pending)
        else {
            return Ok(false);
        };
        let mut new = old.clone();
        new.undeliverable = true;
        self.put(Some(old), new)?;
        Ok(true)
    }

    fn erase_pending(&mut self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        let Some(old) = self
            .get(signer)?
            .filter(|s| s.status == SignatureStatus::Pending)
        else {
            return Ok(None);
        };
        self.remove(old.clone())?;
        Ok(Some(old))
    }

    fn count_email(&mut self, item: &str, limit: u32) -> Result<bool, StoreError> {
        let sent: u32 = self.count_item(item)?.unwrap_or(0);
        if sent >= limit {
            return Ok(false);
        }
        self.put_count_item(item, &(sent + 1))?;
        Ok(true)
    }

    fn uncount_email(&mut self, item: &str) -> Result<(), StoreError> {
        let sent: u32 = self.count_item(item)?.unwrap_or(0);
        if sent > 0 {
            self.put_count_item(item, &(sent - 1))?;
        }
        Ok(())
    }

    /// Forgets the counts of emails to mailboxes on days before `today` (`YYYY-MM-DD`).
    fn forget_mailbox_days(&mut self, today: &str) -> Result<(), StoreError> {
        let mut past = Vec::new();
        for entry in self
            .counts
            .range::<&str>(MAILBOX_DAYS..)
            .map_err(unavailable)?
        {
            let (key, _) = entry.map_err(unavailable)?;
            let key = key.value().to_owned();
            if !key.starts_with(MAILBOX_DAYS) {
                break;
            }
            if key.rsplit('#').next().is_some_and(|day| day < today) {
                past.push(key);
            }
        }
        for key in past {
            self.counts.remove(key.as_str()).map_err(unavailable)?;
        }
        Ok(())
    }

    fn purge(&mut self, candidates: &[SignerKey], now: Timestamp) -> Result<usize, StoreError> {
        self.forget_mailbox_days(&now.to_rfc3339()[..10])?;
        organisations::purge(&mut self.organisations, now)?;
        let mut purged = 0;
        for signer in candidates {
            if let Some(signature) = self.get(signer)?.filter(|s| is_expired(s, now)) {
                self.remove(signature)?;
                purged += 1;
            }
        }
        Ok(purged)
    }

    fn insert(&mut self, signature: Signature) -> Result<Insertion, StoreError> {
        if let Some(existing) = self.get(&signature.signer)? {
            return Ok(Insertion::AlreadySigned(Box::new(existing)));
        }
        self.put(None, signature)?;
        Ok(Insertion::Inserted)
    }

    fn revise(&mut self, revision: &Revision) -> Result<bool, StoreError> {
        let Some(old) = self.get(&revision.signer)? else {
            return Ok(false);
        };
        if old.status != SignatureStatus::Pending
            || (revision.renewal.is_some() && old.link_sent_at != revision.sent_before)
        {
            return Ok(false);
        }
        let mut new = old.clone();
        let choices = &revision.choices;
        new.name = choices.name.clone();
        new.country = choices.country;
        new.locale = choices.locale;
        new.updates = choices.updates;
        crate::domain::PRIVACY_POLICY_VERSION.clone_into(&mut new.privacy_policy);
        if let Some(renewal) = &revision.renewal {
            new.link_nonce = renewal.link.nonce;
            new.secret_hash = renewal.link.secret_hash;
            new.link_sent_at = renewal.link.sent_at;
            new.link_expires_at = renewal.link.expires_at;
            new.expires_at = Some(renewal.expires_at);
        }
        self.put(Some(old), new)?;
        Ok(true)
    }

    fn confirm(
        &mut self,
        signer: &SignerKey,
        hash: &SecretHash,
        at: Timestamp,
        keep_email: bool,
    ) -> Result<bool, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(false);
        };
        if old.status != SignatureStatus::Pending
            || !old.secret_hash.matches(hash)
            || at >= old.link_expires_at
        {
            return Ok(false);
        }
        let mut new = old.clone();
        new.status = SignatureStatus::Confirmed;
        new.confirmed_at = Some(at);
        new.expires_at = None;
        if !keep_email {
            new.email = None;
        }
        self.put(Some(old), new)?;
        Ok(true)
    }
}

fn write_loop(
    db: &Database,
    queue: &mpsc::Receiver<Write>,
    latest: &watch::Sender<u64>,
    mut seq: u64,
) {
    while let Ok(first) = queue.recv() {
        let mut writes = vec![first];
        writes.extend(queue.try_iter().take(GROUP_COMMIT - 1));
        let mut answers = Vec::with_capacity(writes.len());
        // Answers go out only after the commit: nothing is acknowledged that could still be lost.
        match apply(db, writes, seq, &mut answers) {
            Ok(next) => {
                seq = next;
                latest.send_replace(seq);
                for answer in answers {
                    answer.send(None);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "embedded store commit failed");
                let reason = e.to_string();
                for answer in answers {
                    answer.send(Some(&reason));
                }
            }
        }
    }
}

/// A result waiting for its transaction to commit.
trait Answer: Send {
    fn send(self: Box<Self>, commit_failure: Option<&str>);
}

struct Answered<T> {
    reply: Reply<T>,
    result: Result<T, StoreError>,
}

impl<T: Send> Answer for Answered<T> {
    fn send(self: Box<Self>, commit_failure: Option<&str>) {
        let result = match commit_failure {
            None => self.result,
            Some(reason) => Err(unavailable(reason)),
        };
        let _ = self.reply.send(result);
    }
}

fn answer<T: Send + 'static>(reply: Reply<T>, result: Result<T, StoreError>) -> Box<dyn Answer> {
    Box::new(Answered { reply, result })
}

fn apply(
    db: &Database,
    writes: Vec<Write>,
    seq: u64,
    answers: &mut Vec<Box<dyn Answer>>,
) -> Result<u64, StoreError> {
    let txn = db.begin_write().map_err(unavailable)?;
    let next = {
        let mut batch = Batch {
            signatures: txn.open_table(SIGNATURES).map_err(unavailable)?,
            counts: txn.open_table(COUNTS).map_err(unavailable)?,
            changes: txn.open_table(CHANGES).map_err(unavailable)?,
            checkpoints: txn.open_table(CHECKPOINTS).map_err(unavailable)?,
            organisations: txn
                .open_table(organisations::ORGANISATIONS)
                .map_err(unavailable)?,
            seq,
        };
        for write in writes {
            answers.push(match write {
                Write::Insert(signature, reply) => answer(reply, batch.insert(*signature)),
                Write::Revise(revision, reply) => answer(reply, batch.revise(&revision)),
                Write::Confirm(signer, hash, at, keep, reply) => {
                    answer(reply, batch.confirm(&signer, &hash, at, keep))
                }
                Write::Erase(signer, hash, reply) => {
                    answer(reply, batch.erase(&signer, hash.as_ref()))
                }
                Write::MarkMailed(signer, link, reply) => {
                    answer(reply, batch.mark_mailed(&signer, &link))
                }
                Write::MarkUndeliverable(signer, reply) => {
                    answer(reply, batch.mark_undeliverable(&signer))
                }
                Write::ErasePending(signer, reply) => answer(reply, batch.erase_pending(&signer)),
                Write::CountEmail(item, limit, reply) => {
                    answer(reply, batch.count_email(&item, limit))
                }
                Write::UncountEmail(item, reply) => answer(reply, batch.uncount_email(&item)),
                Write::Purge(candidates, now, reply) => {
                    answer(reply, batch.purge(&candidates, now))
                }
                Write::Count(write, reply) => answer(reply, batch.count(&write)),
                Write::Organisations(change) => change(&mut batch.organisations),
                Write::ReplaceCounter(pair, reply) => {
                    answer(reply, batch.replace_counter(&pair.0, &pair.1))
                }
                Write::Checkpoint(consumer, at, reply) => {
                    let result = batch
                        .checkpoints
                        .insert(consumer.as_str(), at)
                        .map(drop)
                        .map_err(unavailable);
                    answer(reply, result)
                }
            });
        }
        batch.seq
    };
    txn.commit().map_err(unavailable)?;
    Ok(next)
}
