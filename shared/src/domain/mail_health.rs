//! How the campaign's mail is doing, as SES will judge it: what was sent, what bounced and what
//! was called spam, and how many new signatures came with the page's proof of work and without,
//! counted in five-minute stretches and read over the last hour. SES reviews an account whose
//! bounces pass 5 % and pauses it near 10 %; complaints, at 0.1 % and 0.5 %. The guard goes up
//! well before either, and down by itself once the hour's figures are healthy again.

use super::Timestamp;
use serde::{Deserialize, Serialize};

/// The stretch of time one count covers.
pub const STRETCH_SECONDS: i64 = 300;
/// How far back the guard reads: twelve stretches.
pub const WINDOW_SECONDS: i64 = 3_600;

/// The fewest sends a rate is taken over: in a quiet hour, twenty bounces raise the guard, and
/// five complaints.
const BOUNCES_JUDGED_OVER: u64 = 2_000;
const COMPLAINTS_JUDGED_OVER: u64 = 10_000;
/// New signatures without the proof of work in an hour that raise it, when they are as many as
/// half of those with it: a flood of requests no browser made.
const UNPROVEN_FLOOD: u64 = 1_000;

/// What the mail path saw over some stretch of time.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailHealth {
    #[serde(default)]
    pub sent: u64,
    /// Of those, emails of signatures without the proof of work, and organisations' emails.
    #[serde(default)]
    pub sent_unproven: u64,
    /// Permanent bounces: mailboxes that do not exist.
    #[serde(default)]
    pub bounced: u64,
    #[serde(default)]
    pub complained: u64,
    #[serde(default)]
    pub new_proven: u64,
    #[serde(default)]
    pub new_unproven: u64,
}

/// Why the guard is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alarm {
    Bounces,
    Complaints,
    UnprovenFlood,
}

/// Whether mail without the proof of work goes out, or waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    Down,
    Up(Alarm),
}

impl MailHealth {
    /// The start of the stretch `at` falls in: where a count made then is added.
    pub fn stretch_of(at: Timestamp) -> i64 {
        at.unix_seconds().div_euclid(STRETCH_SECONDS) * STRETCH_SECONDS
    }

    /// The starts of the stretches the last hour up to `now` covers, the current one last.
    pub fn stretches_before(now: Timestamp) -> impl Iterator<Item = i64> {
        let current = Self::stretch_of(now);
        let count = WINDOW_SECONDS / STRETCH_SECONDS;
        (0..count)
            .rev()
            .map(move |back| current - back * STRETCH_SECONDS)
    }

    /// The starts of the stretches from the one `from` falls in to the one `to` falls in.
    pub fn stretches_between(from: Timestamp, to: Timestamp) -> impl Iterator<Item = i64> {
        let (first, last) = (Self::stretch_of(from), Self::stretch_of(to));
        (0..)
            .map(move |n| first + n * STRETCH_SECONDS)
            .take_while(move |stretch| *stretch <= last)
    }

    pub fn add(&mut self, other: &Self) {
        self.sent += other.sent;
        self.sent_unproven += other.sent_unproven;
        self.bounced += other.bounced;
        self.complained += other.complained;
        self.new_proven += other.new_proven;
        self.new_unproven += other.new_unproven;
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The guard these figures (an hour's) call for. Bounces at 1 % of sends raise it;
    /// complaints at 0.05 %; unproven new signatures past a thousand, when they are at least
    /// half as many as proven ones.
    pub fn guard(&self) -> Guard {
        if self.bounced * 100 >= self.sent.max(BOUNCES_JUDGED_OVER) {
            Guard::Up(Alarm::Bounces)
        } else if self.complained * 2_000 >= self.sent.max(COMPLAINTS_JUDGED_OVER) {
            Guard::Up(Alarm::Complaints)
        } else if self.new_unproven >= UNPROVEN_FLOOD && self.new_unproven * 2 >= self.new_proven {
            Guard::Up(Alarm::UnprovenFlood)
        } else {
            Guard::Down
        }
    }
}

impl std::fmt::Display for Alarm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Bounces => "bounces",
            Self::Complaints => "complaints",
            Self::UnprovenFlood => "a flood of signatures without the proof of work",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(sent: u64, bounced: u64, complained: u64) -> MailHealth {
        MailHealth {
            sent,
            bounced,
            complained,
            ..MailHealth::default()
        }
    }

    #[test]
    fn the_guard_goes_up_on_bounces_or_complaints_well_before_ses_acts() {
        assert_eq!(sent(10_000, 99, 0).guard(), Guard::Down);
        assert_eq!(sent(10_000, 100, 0).guard(), Guard::Up(Alarm::Bounces));
        assert_eq!(sent(50, 19, 0).guard(), Guard::Down, "a quiet hour");
        assert_eq!(sent(50, 20, 0).guard(), Guard::Up(Alarm::Bounces));
        assert_eq!(sent(100_000, 0, 49).guard(), Guard::Down);
        assert_eq!(sent(100_000, 0, 50).guard(), Guard::Up(Alarm::Complaints));
        assert_eq!(sent(100, 0, 4).guard(), Guard::Down);
        assert_eq!(sent(100, 0, 5).guard(), Guard::Up(Alarm::Complaints));
    }

    #[test]
    fn a_flood_of_unproven_signatures_raises_it_a_launch_does_not() {
        let new = |proven, unproven| MailHealth {
            new_proven: proven,
            new_unproven: unproven,
            ..MailHealth::default()
        };
        assert_eq!(new(100_000, 1_000).guard(), Guard::Down, "a launch");
        assert_eq!(new(0, 999).guard(), Guard::Down);
        assert_eq!(new(1_000, 1_000).guard(), Guard::Up(Alarm::UnprovenFlood));
    }

    #[test]
    fn the_hour_is_twelve_stretches_ending_with_the_current_one() {
        let now = Timestamp::from_unix_seconds(1_800_000_123);
        let stretches: Vec<_> = MailHealth::stretches_before(now).collect();
        assert_eq!(stretches.len(), 12);
        assert_eq!(*stretches.last().unwrap(), 1_800_000_000);
        assert_eq!(stretches[0], 1_800_000_000 - 11 * 300);
    }
}
