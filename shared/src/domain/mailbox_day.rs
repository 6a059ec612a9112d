//! The emails to one mailbox on one UTC day, which the day's limit counts.

use super::{MailboxKey, Timestamp};

const DAY: i64 = 86_400;

/// A day in UTC, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UtcDay(i64);

impl UtcDay {
    pub const fn of(at: Timestamp) -> Self {
        Self(at.unix_seconds().div_euclid(DAY))
    }

    pub const fn from_number(days: i64) -> Self {
        Self(days)
    }

    pub const fn number(self) -> i64 {
        self.0
    }

    /// The day's date, as `2026-12-05`.
    pub fn date(self) -> String {
        Timestamp::from_unix_seconds(self.0 * DAY).to_rfc3339()[..10].to_owned()
    }

    /// A day written as `date` writes it.
    pub fn parse_date(date: &str) -> Option<Self> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(date, &format).ok()?;
        Some(Self::of(Timestamp::from_unix_seconds(
            date.midnight().assume_utc().unix_timestamp(),
        )))
    }

    /// The first second after the day.
    pub const fn ends_at(self) -> Timestamp {
        Timestamp::from_unix_seconds((self.0 + 1) * DAY)
    }
}

/// The emails to one mailbox on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxDay {
    pub mailbox: MailboxKey,
    pub day: UtcDay,
}

impl MailboxDay {
    pub const fn of(mailbox: MailboxKey, at: Timestamp) -> Self {
        Self {
            mailbox,
            day: UtcDay::of(at),
        }
    }

    /// When the day's count may be forgotten: a day after the day ends, so that a count is
    /// never gone while its day lasts, whatever the clocks of the stores.
    pub const fn forgotten_at(&self) -> Timestamp {
        Timestamp::from_unix_seconds(self.day.ends_at().unix_seconds() + DAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_reads_back_from_its_date() {
        let day = UtcDay::of(Timestamp::from_unix_seconds(1_764_979_199));
        assert_eq!(day.date(), "2025-12-05");
        assert_eq!(UtcDay::parse_date(&day.date()), Some(day));
        assert_eq!(UtcDay::parse_date("2025-13-05"), None);
    }

    #[test]
    fn a_day_runs_from_midnight_to_midnight_in_utc() {
        // 2026-12-04T23:59:59Z
        let last_second = Timestamp::from_unix_seconds(1_796_428_799);
        let day = UtcDay::of(last_second);
        assert_eq!(day.date(), "2026-12-04");
        assert_eq!(UtcDay::of(day.ends_at()).date(), "2026-12-05");
        let counted = MailboxDay::of(MailboxKey([7; 32]), last_second);
        assert_eq!(
            counted.forgotten_at().to_rfc3339()[..19],
            *"2026-12-06T00:00:00"
        );
    }
}
