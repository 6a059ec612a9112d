//! The emails counted to each mailbox per day, on the embedded store.
//!
//! Every signature counts one before it is inserted, so these counts sit on the path a spike
//! waits on. Kept as items, each count waited for a commit of its own and rewrote a page at a
//! random place in the file, and together they halved how many signatures the single writer
//! commits a second. So the day's counts live in memory, where a count is decided at once, and
//! each count is appended to a log, whose writes land on its last page; opening the store replays
//! the log, so a restart forgets no count.
//!
//! A count reaches the writer's queue before the signature it allows, and a batch whose commit
//! fails hands its counts to the next, so no signature is on disk without its count.

use super::unavailable;
use crate::domain::{MailboxKey, Timestamp, UtcDay};
use crate::ports::StoreError;
use redb::{ReadableTable, TableDefinition};
use std::collections::{BTreeMap, HashMap};

/// Each email counted, as (the day since the epoch, its place) → the mailbox. An email given back
/// takes out the entry that counted it, so the log never holds more than the limit for a mailbox
/// on a day, however often a count is given back.
pub(super) const MAILBOX_LOG: TableDefinition<(i64, u64), &[u8]> =
    TableDefinition::new("mailbox_counts");

pub(super) type Log<'t> = redb::Table<'t, (i64, u64), &'static [u8]>;

/// A change to the log, decided in memory.
#[derive(Clone, Copy)]
pub(super) enum Entry {
    Counted {
        day: i64,
        place: u64,
        mailbox: MailboxKey,
    },
    GivenBack {
        day: i64,
        place: u64,
    },
}

fn day_of(at: Timestamp) -> i64 {
    UtcDay::of(at).number()
}

/// The days' counts, as the log makes them: each mailbox's places in the log.
#[derive(Default)]
pub(super) struct MailboxCounts {
    days: BTreeMap<i64, HashMap<MailboxKey, Vec<u64>>>,
    next: u64,
}

impl MailboxCounts {
    /// Reads the log back.
    pub(super) fn load(
        log: &impl ReadableTable<(i64, u64), &'static [u8]>,
    ) -> Result<Self, StoreError> {
        let mut counts = Self::default();
        for entry in log.iter().map_err(unavailable)? {
            let (key, value) = entry.map_err(unavailable)?;
            let (day, place) = key.value();
            let mailbox = MailboxKey(
                value
                    .value()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("a mailbox count".into()))?,
            );
            counts.places(day, mailbox).push(place);
            counts.next = counts.next.max(place + 1);
        }
        Ok(counts)
    }

    /// How many emails each mailbox was counted on each day kept, without the mailbox.
    pub(super) fn day_counts(&self) -> Vec<(UtcDay, u32)> {
        self.days
            .iter()
            .flat_map(|(day, mailboxes)| {
                mailboxes.values().map(|places| {
                    (
                        UtcDay::from_number(*day),
                        u32::try_from(places.len()).unwrap_or(u32::MAX),
                    )
                })
            })
            .collect()
    }

    fn places(&mut self, day: i64, mailbox: MailboxKey) -> &mut Vec<u64> {
        self.days
            .entry(day)
            .or_default()
            .entry(mailbox)
            .or_default()
    }

    /// Counts an email to `mailbox` on the day of `at`, unless `limit` were already sent; what
    /// it counted goes to the log.
    pub(super) fn count(
        &mut self,
        mailbox: MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Option<Entry> {
        let (day, place) = (day_of(at), self.next);
        // Looked up before anything is made: a count refused (a limit of none, for signing's
        // motions; a bot's decoy mailbox) leaves nothing behind in memory.
        let sent = self
            .days
            .get(&day)
            .and_then(|counts| counts.get(&mailbox))
            .map_or(0, Vec::len);
        if sent >= limit as usize {
            return None;
        }
        self.places(day, mailbox).push(place);
        self.next += 1;
        Some(Entry::Counted {
            day,
            place,
            mailbox,
        })
    }

    /// Gives back an email counted for nothing: its entry leaves the log.
    pub(super) fn give_back(&mut self, mailbox: MailboxKey, at: Timestamp) -> Option<Entry> {
        let day = day_of(at);
        let counts = self.days.get_mut(&day)?;
        let place = counts.get_mut(&mailbox)?.pop()?;
        if counts.get(&mailbox).is_some_and(Vec::is_empty) {
            counts.remove(&mailbox);
        }
        Some(Entry::GivenBack { day, place })
    }

    /// Forgets the days before the day of `now`.
    pub(super) fn forget_before(&mut self, now: Timestamp) {
        self.days = self.days.split_off(&day_of(now));
    }
}

/// Writes what `entry` changed into the log.
pub(super) fn write(log: &mut Log<'_>, entry: Entry) -> Result<(), StoreError> {
    match entry {
        Entry::Counted {
            day,
            place,
            mailbox,
        } => log.insert((day, place), mailbox.0.as_slice()).map(drop),
        Entry::GivenBack { day, place } => log.remove((day, place)).map(drop),
    }
    .map_err(unavailable)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_780_000_000);

    /// Signing's motions count against a limit of none, a bot's on a decoy mailbox each time:
    /// nothing may stay behind in memory.
    #[test]
    fn a_count_refused_leaves_nothing_behind() {
        let mut counts = MailboxCounts::default();
        for n in 0..1000_u32 {
            let mut decoy = [0; 32];
            decoy[..4].copy_from_slice(&n.to_be_bytes());
            assert!(counts.count(MailboxKey(decoy), NOW, 0).is_none());
        }
        assert!(
            counts.days.values().all(HashMap::is_empty),
            "{:?}",
            counts.days.len()
        );
    }

    /// A bot re-signing a confirmed address counts an email and gives it back each time: the log
    /// must not grow with it.
    #[test]
    fn an_email_given_back_takes_its_count_out_of_the_log() {
        let mut counts = MailboxCounts::default();
        let mailbox = MailboxKey([7; 32]);
        let mut log = std::collections::BTreeSet::new();
        for _ in 0..1000 {
            for entry in [
                counts.count(mailbox, NOW, 3).unwrap(),
                counts.give_back(mailbox, NOW).unwrap(),
            ] {
                match entry {
                    Entry::Counted { day, place, .. } => assert!(log.insert((day, place))),
                    Entry::GivenBack { day, place } => assert!(log.remove(&(day, place))),
                }
            }
        }
        assert!(log.is_empty());
        assert!(
            counts.days.values().all(HashMap::is_empty),
            "nothing kept in memory"
        );
        assert!(counts.give_back(mailbox, NOW).is_none(), "never below zero");
        for _ in 0..3 {
            assert!(counts.count(mailbox, NOW, 3).is_some());
        }
        assert!(counts.count(mailbox, NOW, 3).is_none());
    }
}
