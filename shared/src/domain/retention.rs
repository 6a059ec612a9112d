//! How long the campaign keeps what it keeps. The privacy policy and the pages state each
//! period, and read it from here.

use super::Timestamp;

const DAY: i64 = 86_400;

/// A length of time, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period(i64);

impl Period {
    pub const fn days(days: i64) -> Self {
        Self(days * DAY)
    }

    pub const fn seconds(self) -> i64 {
        self.0
    }

    /// In whole days, as the pages say it.
    pub const fn in_days(self) -> i64 {
        self.0 / DAY
    }
}

/// How long a confirmation link works.
pub const LINK_LIFETIME: Period = Period::days(7);
/// An unconfirmed signature outlives its last link by a day, then the table forgets it.
pub const PENDING_LIFETIME: Period = Period(LINK_LIFETIME.0 + DAY);
/// How long a contact is kept once their request is decided: time for questions either way.
pub const CONTACT_KEPT_AFTER_DECISION: Period = Period::days(30);
/// How long a confirmed request's contact is kept if nobody decides it.
pub const CONTACT_KEPT_WHILE_WAITING: Period = Period::days(90);

/// When a confirmed request's contact is forgotten if nobody decides the request.
pub fn contact_forgotten_while_waiting(confirmed_at: Timestamp) -> Timestamp {
    confirmed_at.plus_seconds(CONTACT_KEPT_WHILE_WAITING.seconds())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_signature_outlives_its_link_by_a_day() {
        assert_eq!(LINK_LIFETIME.in_days(), 7);
        assert_eq!(PENDING_LIFETIME.seconds() - LINK_LIFETIME.seconds(), DAY);
    }
}
