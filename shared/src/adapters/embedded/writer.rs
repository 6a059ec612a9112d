//! The store's single writer: one thread that commits many requests in one transaction, and
//! answers each only once its transaction is on disk.

use super::counter::{CountWrite, StoredCounter, checkpoint_key};
use super::feed::{NewSignature, StoredChange};
use super::mailboxes::{self, MAILBOX_LOG};
use super::purge::is_expired;
use super::signatures::Revision;
use super::{
    CHANGES, CHECKPOINTS, COUNTER, COUNTS, ERASED_CONSENTS, GROUP_COMMIT, SIGNATURES, read_json,
    unavailable,
};
use crate::domain::mail_health::MailHealth;
use crate::domain::{
    Counter, ErasedConsent, SecretHash, SequenceNumber, Signature, SignatureStatus, SignerKey,
    Timestamp,
};
use crate::ports::{Consents, Insertion, Seen, StoreError};
use redb::Database;
use serde::Serialize;
use std::sync::mpsc;
use tokio::sync::{oneshot, watch};

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// What a write does inside its group's transaction; it answers whoever waits once that commits.
pub(super) type Apply = Box<dyn FnOnce(&mut Batch<'_>) -> Box<dyn AwaitingCommit> + Send>;

/// A write, as the store's methods hand it to the writer.
pub(super) enum Write {
    Apply(Apply),
    /// A count already decided in memory, for the log; nobody waits for it.
    MailboxCount(mailboxes::Entry),
}

/// The change feed inside one transaction: what is appended commits with what it records.
pub(super) struct Feed<'t> {
    changes: redb::Table<'t, u64, &'static [u8]>,
    seq: u64,
}

impl Feed<'_> {
    pub(super) fn append(&mut self, change: &[u8]) -> Result<(), StoreError> {
        self.seq += 1;
        self.changes.insert(self.seq, change).map_err(unavailable)?;
        Ok(())
    }
}

/// One transaction's view: reads and writes signatures, appends changes.
pub(super) struct Batch<'t> {
    signatures: redb::Table<'t, &'static str, &'static [u8]>,
    erased_consents: redb::Table<'t, &'static str, &'static [u8]>,
    counts: redb::Table<'t, &'static str, &'static [u8]>,
    pub(super) feed: Feed<'t>,
    checkpoints: redb::Table<'t, &'static str, u64>,
    pub(super) organisations: super::organisations::Table<'t>,
    mailbox_log: mailboxes::Log<'t>,
}

impl Batch<'_> {
    pub(super) fn count_item<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        read_json(&self.counts, key)
    }

    pub(super) fn put_count_item<T: Serialize>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(value).map_err(unavailable)?;
        self.counts
            .insert(key, bytes.as_slice())
            .map_err(unavailable)?;
        Ok(())
    }

    /// Removes every item whose key starts with `prefix`.
    pub(super) fn remove_count_items_under(&mut self, prefix: &str) -> Result<(), StoreError> {
        self.counts
            .retain_in(prefix.., |key, _| !key.starts_with(prefix))
            .map_err(unavailable)
    }

    pub(super) fn remove_count_item(&mut self, key: &str) -> Result<(), StoreError> {
        self.counts.remove(key).map_err(unavailable)?;
        Ok(())
    }

    pub(super) fn count(&mut self, write: &CountWrite) -> Result<bool, StoreError> {
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

    pub(super) fn note_mail(&mut self, key: &str, seen: &MailHealth) -> Result<(), StoreError> {
        let mut health: MailHealth = self.count_item(key)?.unwrap_or_default();
        health.add(seen);
        self.put_count_item(key, &health)
    }

    pub(super) fn replace_counter(
        &mut self,
        seen: &Counter,
        recount: &Counter,
    ) -> Result<bool, StoreError> {
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

    /// Notes how far a consumer of the feed has read.
    pub(super) fn checkpoint(&mut self, consumer: &str, seq: u64) -> Result<(), StoreError> {
        self.checkpoints
            .insert(consumer, seq)
            .map(drop)
            .map_err(unavailable)
    }

    pub(super) fn get(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        read_json(&self.signatures, &signer.to_hex())
    }

    fn put(&mut self, old: Option<Signature>, new: Signature) -> Result<(), StoreError> {
        self.store(&new)?;
        self.record(old, Some(new))
    }

    /// Writes a signature over its former self, without a record in the feed.
    pub(super) fn store(&mut self, signature: &Signature) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(signature).map_err(unavailable)?;
        self.signatures
            .insert(signature.signer.to_hex().as_str(), bytes.as_slice())
            .map_err(unavailable)?;
        Ok(())
    }

    fn remove(&mut self, old: Signature) -> Result<(), StoreError> {
        self.signatures
            .remove(old.signer.to_hex().as_str())
            .map_err(unavailable)?;
        self.record(Some(old), None)
    }

    /// Appends a change to the feed, as a stream record would carry it.
    fn record(&mut self, old: Option<Signature>, new: Option<Signature>) -> Result<(), StoreError> {
        let change =
            serde_json::to_vec(&StoredChange::of_signature(old, new)).map_err(unavailable)?;
        self.feed.append(&change)
    }

    pub(super) fn replace_consents(
        &mut self,
        signer: &SignerKey,
        hash: &SecretHash,
        seen: &Seen,
        new: &Consents,
    ) -> Result<bool, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(false);
        };
        if !old.erase_hash.matches(hash) || Seen::of(&old) != *seen {
            return Ok(false);
        }
        let mut changed = old.clone();
        changed.updates = new.updates;
        changed.partner_consent.clone_from(&new.partner_consent);
        if seen.forgets_email_with(new) {
            changed.email = None;
        }
        self.put(Some(old), changed)?;
        Ok(true)
    }

    pub(super) fn erase(
        &mut self,
        signer: &SignerKey,
        hash: Option<&SecretHash>,
        at: Timestamp,
    ) -> Result<Option<Signature>, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(None);
        };
        if hash.is_some_and(|hash| !old.erase_hash.matches(hash)) {
            return Ok(None);
        }
        if let Some(erased) = ErasedConsent::of(&old, at) {
            let bytes = serde_json::to_vec(&erased).map_err(unavailable)?;
            self.erased_consents
                .insert(erased_key(&erased).as_str(), bytes.as_slice())
                .map_err(unavailable)?;
        }
        self.remove(old.clone())?;
        Ok(Some(old))
    }

    /// Only the notice as read: see the DynamoDB store.
    pub(super) fn forget_erased(&mut self, erased: &ErasedConsent) -> Result<(), StoreError> {
        let key = erased_key(erased);
        let kept: Option<ErasedConsent> = read_json(&self.erased_consents, &key)?;
        if kept.as_ref() == Some(erased) {
            self.erased_consents
                .remove(key.as_str())
                .map_err(unavailable)?;
        }
        Ok(())
    }

    pub(super) fn mark_mailed(
        &mut self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(false);
        };
        if old.status != SignatureStatus::Pending || !old.link.secret_hash.matches(link) {
            return Ok(false);
        }
        let mut new = old;
        new.mailed_link = Some(*link);
        new.mailed_at = Some(at);
        // Not a change for the feed: no consumer acts on it (the mailer asks for new and
        // renewed links, the aggregate for confirmations; on AWS the aggregate's filter drops
        // it, and the mail queue reads it and passes it by), and left out, each signature costs
        // the feed one record, and each consumer one read, less.
        self.store(&new)?;
        Ok(true)
    }

    pub(super) fn mark_undeliverable(&mut self, signer: &SignerKey) -> Result<bool, StoreError> {
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

    pub(super) fn erase_pending(
        &mut self,
        signer: &SignerKey,
    ) -> Result<Option<Signature>, StoreError> {
        let Some(old) = self
            .get(signer)?
            .filter(|s| s.status == SignatureStatus::Pending)
        else {
            return Ok(None);
        };
        self.remove(old.clone())?;
        Ok(Some(old))
    }

    pub(super) fn purge(
        &mut self,
        candidates: &[SignerKey],
        now: Timestamp,
    ) -> Result<usize, StoreError> {
        mailboxes::forget_before(&mut self.mailbox_log, now)?;
        super::organisations::purge(&mut self.organisations, now)?;
        let mut purged = 0;
        for signer in candidates {
            if let Some(signature) = self.get(signer)?.filter(|s| is_expired(s, now)) {
                self.remove(signature)?;
                purged += 1;
            }
        }
        Ok(purged)
    }

    pub(super) fn insert(&mut self, signature: &NewSignature) -> Result<Insertion, StoreError> {
        if let Some(existing) = read_json(&self.signatures, &signature.key)? {
            return Ok(Insertion::AlreadySigned(Box::new(existing)));
        }
        self.signatures
            .insert(signature.key.as_str(), signature.item.get().as_bytes())
            .map_err(unavailable)?;
        self.feed.append(&signature.change)?;
        Ok(Insertion::Inserted)
    }

    pub(super) fn revise(&mut self, revision: &Revision) -> Result<bool, StoreError> {
        let Some(old) = self.get(&revision.signer)? else {
            return Ok(false);
        };
        if old.status != SignatureStatus::Pending
            || (revision.renewal.is_some() && old.link.sent_at != revision.sent_before)
        {
            return Ok(false);
        }
        let mut new = old.clone();
        let choices = &revision.choices;
        new.name = choices.name.clone();
        new.country = choices.country;
        new.locale = choices.locale;
        new.updates = choices.updates;
        new.proven = choices.proven;
        new.source.clone_from(&choices.source);
        new.partner_consent.clone_from(&choices.partner_consent);
        crate::domain::PRIVACY_POLICY_VERSION.clone_into(&mut new.privacy_policy);
        if let Some(renewal) = &revision.renewal {
            new.link = renewal.link;
            new.expires_at = Some(renewal.expires_at);
            // The signer asked again: see the DynamoDB store.
            new.undeliverable = false;
        }
        self.put(Some(old), new)?;
        Ok(true)
    }

    pub(super) fn confirm(
        &mut self,
        signer: &SignerKey,
        hash: &SecretHash,
        at: Timestamp,
        seen: &Consents,
    ) -> Result<bool, StoreError> {
        let Some(old) = self.get(signer)? else {
            return Ok(false);
        };
        if old.status != SignatureStatus::Pending
            || !old.link.secret_hash.matches(hash)
            || at >= old.link.expires_at
            || Consents::of(&old) != *seen
        {
            return Ok(false);
        }
        let mut new = old.clone();
        new.status = SignatureStatus::Confirmed;
        new.confirmed_at = Some(at);
        new.expires_at = None;
        if !seen.need_email() {
            new.email = None;
        }
        self.put(Some(old), new)?;
        Ok(true)
    }
}

/// Where an erased signer's notice is kept: by partner, then signer.
pub(super) fn erased_key(erased: &ErasedConsent) -> String {
    format!("{}#{}", erased.partner, erased.signer.to_hex())
}

pub(super) fn write_loop(
    db: &Database,
    queue: &mpsc::Receiver<Write>,
    latest: &watch::Sender<u64>,
    mut seq: u64,
) {
    // Counts nobody waits for: kept until a commit holds them, so a failed one loses none.
    let mut counts = Vec::new();
    while let Ok(first) = queue.recv() {
        let mut writes = vec![first];
        writes.extend(queue.try_iter().take(GROUP_COMMIT - 1));
        let mut answers = Vec::with_capacity(writes.len());
        // Answers go out only after the commit: nothing is acknowledged that could still be lost.
        match apply(db, writes, seq, &mut counts, &mut answers) {
            Ok(next) => {
                seq = next;
                counts.clear();
                latest.send_replace(seq);
                for answer in answers {
                    answer.send(None);
                }
            }
            Err(e) => {
                tracing::error!(error = %crate::telemetry::Causes(&e), "embedded store commit failed");
                let reason = e.to_string();
                for answer in answers {
                    answer.send(Some(&reason));
                }
            }
        }
    }
}

/// A result waiting for its transaction to commit.
pub(super) trait AwaitingCommit: Send {
    fn send(self: Box<Self>, commit_failure: Option<&str>);
}

struct Awaiting<T> {
    reply: Reply<T>,
    result: Result<T, StoreError>,
}

impl<T: Send> AwaitingCommit for Awaiting<T> {
    fn send(self: Box<Self>, commit_failure: Option<&str>) {
        let result = match commit_failure {
            None => self.result,
            Some(reason) => Err(unavailable(reason)),
        };
        let _ = self.reply.send(result);
    }
}

pub(super) fn answer<T: Send + 'static>(
    reply: Reply<T>,
    result: Result<T, StoreError>,
) -> Box<dyn AwaitingCommit> {
    Box::new(Awaiting { reply, result })
}

fn apply(
    db: &Database,
    writes: Vec<Write>,
    seq: u64,
    counts: &mut Vec<mailboxes::Entry>,
    answers: &mut Vec<Box<dyn AwaitingCommit>>,
) -> Result<u64, StoreError> {
    let txn = db.begin_write().map_err(unavailable)?;
    let next = {
        let mut batch = Batch {
            signatures: txn.open_table(SIGNATURES).map_err(unavailable)?,
            erased_consents: txn.open_table(ERASED_CONSENTS).map_err(unavailable)?,
            counts: txn.open_table(COUNTS).map_err(unavailable)?,
            feed: Feed {
                changes: txn.open_table(CHANGES).map_err(unavailable)?,
                seq,
            },
            checkpoints: txn.open_table(CHECKPOINTS).map_err(unavailable)?,
            organisations: txn
                .open_table(super::organisations::ORGANISATIONS)
                .map_err(unavailable)?,
            mailbox_log: txn.open_table(MAILBOX_LOG).map_err(unavailable)?,
        };
        for write in writes {
            match write {
                Write::Apply(apply) => answers.push(apply(&mut batch)),
                Write::MailboxCount(entry) => counts.push(entry),
            }
        }
        // In the same transaction as the signatures they allow: all of them commit, or none.
        for entry in counts.iter() {
            mailboxes::write(&mut batch.mailbox_log, *entry)?;
        }
        batch.feed.seq
    };
    txn.commit().map_err(unavailable)?;
    Ok(next)
}
