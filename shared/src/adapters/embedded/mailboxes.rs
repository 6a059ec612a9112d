//! The emails counted to each mailbox per day, on the embedded store.
//!
//! Every signature counts one before it is inserted, so these counts sit on the path a spike
//! waits on. Kept as items, each count waited for a commit of its own and rewrote a page at a
//! random place in the file, and together they halved how many signatures the single writer
//! commits a second. So the day's counts live in memory, where a count is decided at once, and
//! each count is appended to a log, whose writes land on its last page; opening the store replays
//! the log, so a restart forgets no count.
//!
//! A count reaches the writer's queue before the signature it allows, so no signature is on disk
//! without its count. A count whose commit fails stays counted in memory until the next start:
//! the limit errs on the side of fewer emails.

use super::unavailable;
use crate::domain::{MailboxKey, Timestamp};
use crate::ports::StoreError;
use redb::{ReadableTable, TableDefinition};
use std::collections::{BTreeMap, HashMap};

/// Each count as (the day since the epoch, its place in the log) → the mailbox and what happened.
pub(super) const MAILBOX_LOG: TableDefinition<(i64, u64), &[u8]> =
    TableDefinition::new("mailbox_log");

pub(super) type Log<'t> = redb::Table<'t, (i64, u64), &'static [u8]>;

/// One count, or one given back, for the log.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    day: i64,
    mailbox: MailboxKey,
    counted: bool,
}

impl Entry {
    fn encode(self) -> [u8; 33] {
        let mut value = [0; 33];
        value[..32].copy_from_slice(&self.mailbox.0);
        value[32] = u8::from(self.counted);
        value
    }

    fn decode(day: i64, value: &[u8]) -> Result<Self, StoreError> {
        match value {
            [mailbox @ .., counted @ (0 | 1)] => Ok(Self {
                day,
                mailbox: MailboxKey(
                    mailbox
                        .try_into()
                        .map_err(|_| StoreError::Corrupt("a mailbox count's key".into()))?,
                ),
                counted: *counted == 1,
            }),
            _ => Err(StoreError::Corrupt("a mailbox count".into())),
        }
    }
}

fn day_of(at: Timestamp) -> i64 {
    at.unix_seconds().div_euclid(86_400)
}

/// The days' counts, as the log makes them.
#[derive(Default)]
pub(super) struct MailboxCounts {
    days: BTreeMap<i64, HashMap<MailboxKey, u32>>,
}

impl MailboxCounts {
    /// Replays the log; also returns the log's next free place.
    pub(super) fn load(
        log: &impl ReadableTable<(i64, u64), &'static [u8]>,
    ) -> Result<(Self, u64), StoreError> {
        let mut counts = Self::default();
        let mut next = 0;
        for entry in log.iter().map_err(unavailable)? {
            let (key, value) = entry.map_err(unavailable)?;
            let (day, place) = key.value();
            counts.apply(Entry::decode(day, value.value())?);
            next = next.max(place + 1);
        }
        Ok((counts, next))
    }

    fn sent(&self, day: i64, mailbox: &MailboxKey) -> u32 {
        self.days
            .get(&day)
            .and_then(|counts| counts.get(mailbox))
            .copied()
            .unwrap_or(0)
    }

    fn apply(&mut self, entry: Entry) -> Entry {
        let sent = self
            .days
            .entry(entry.day)
            .or_default()
            .entry(entry.mailbox)
            .or_insert(0);
        *sent = if entry.counted {
            *sent + 1
        } else {
            sent.saturating_sub(1)
        };
        entry
    }

    /// Counts an email to `mailbox` on the day of `at`, unless `limit` were already sent; what
    /// it counted goes to the log.
    pub(super) fn count(
        &mut self,
        mailbox: MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Option<Entry> {
        let day = day_of(at);
        (self.sent(day, &mailbox) < limit).then(|| {
            self.apply(Entry {
                day,
                mailbox,
                counted: true,
            })
        })
    }

    /// Gives back an email counted for nothing; never below zero.
    pub(super) fn give_back(&mut self, mailbox: MailboxKey, at: Timestamp) -> Option<Entry> {
        let day = day_of(at);
        (self.sent(day, &mailbox) > 0).then(|| {
            self.apply(Entry {
                day,
                mailbox,
                counted: false,
            })
        })
    }

    /// Forgets the days before the day of `now`.
    pub(super) fn forget_before(&mut self, now: Timestamp) {
        self.days = self.days.split_off(&day_of(now));
    }
}

/// Appends `entry` at the log's place `next`, and moves `next` on.
pub(super) fn append(log: &mut Log<'_>, next: &mut u64, entry: Entry) -> Result<(), StoreError> {
    log.insert((entry.day, *next), entry.encode().as_slice())
        .map_err(unavailable)?;
    *next += 1;
    Ok(())
}

/// Deletes the log's days before the day of `now`.
pub(super) fn forget_before(log: &mut Log<'_>, now: Timestamp) -> Result<(), StoreError> {
    log.retain_in(..(day_of(now), 0), |_, _| false)
        .map_err(unavailable)
}

impl super::EmbeddedStore {
    /// The counts, even after a panic elsewhere: they are plain numbers, never half-changed.
    pub(super) fn mailboxes(&self) -> std::sync::MutexGuard<'_, MailboxCounts> {
        self.mailboxes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Hands a count to the writer, ahead of the signature it allows.
    pub(super) fn log_mailbox(&self, entry: Entry) -> Result<(), StoreError> {
        self.writes
            .send(super::writer::Write::MailboxCount(entry))
            .map_err(|_| unavailable("the writer has stopped"))
    }
}
