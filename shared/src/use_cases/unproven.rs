//! Mail without the page's proof of work (a browser without JavaScript, a bot, an
//! organisation's request) waits behind mail with it. Each mailer instance lets at most one
//! such email go among any hundred of its sends, so a flood of addresses that bounce is at
//! most a hundredth of what SES judges, in any thousand sends as in a day; while the guard is
//! up (`domain::mail_health`), none goes. The queue keeps what waits, for the days it keeps any
//! message, and a quiet campaign's unproven email waits for its hundred sends.

use crate::domain::mail_health::Guard;
use std::collections::VecDeque;
use std::sync::Mutex;

/// The sends a share is counted among.
const AMONG: usize = 100;
/// How many of them may be unproven, unless configured otherwise.
pub const PER_HUNDRED: usize = 1;

pub struct UnprovenMail {
    /// This instance's latest sends, oldest first: whether each was unproven.
    recent: Mutex<VecDeque<bool>>,
    guard: Mutex<Guard>,
    per_hundred: usize,
    metered: bool,
}

/// What becomes of an email now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    Go,
    /// Back to the queue: the guard is up, or unproven mail had its share.
    Wait,
}

impl UnprovenMail {
    /// At most `per_hundred` unproven emails among any hundred sends of this instance.
    pub fn metered(per_hundred: usize) -> Self {
        Self {
            recent: Mutex::default(),
            guard: Mutex::new(Guard::Down),
            per_hundred,
            metered: true,
        }
    }

    /// Never held: the local stack, whose mail lands in a folder and has no reputation.
    pub fn unmetered() -> Self {
        Self {
            metered: false,
            ..Self::metered(PER_HUNDRED)
        }
    }

    /// The guard as the last hour's figures call for it.
    pub fn set_guard(&self, guard: Guard) {
        *self.guard.lock().expect("the guard's lock") = guard;
    }

    /// Whether an email may take its turn now. One that may is counted as sent at once, so
    /// emails in flight together never pass their share.
    pub fn turn(&self, proven: bool) -> Turn {
        let mut recent = self.recent.lock().expect("the sends' lock");
        if !proven && self.metered {
            let up = *self.guard.lock().expect("the guard's lock") != Guard::Down;
            let unproven = recent.iter().filter(|unproven| **unproven).count();
            if up || unproven >= self.per_hundred {
                return Turn::Wait;
            }
        }
        recent.push_back(!proven);
        while recent.len() >= AMONG {
            recent.pop_front();
        }
        Turn::Go
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mail_health::Alarm;

    #[test]
    fn one_unproven_email_goes_among_a_hundred_sends() {
        let mail = UnprovenMail::metered(PER_HUNDRED);
        assert_eq!(mail.turn(false), Turn::Go);
        assert_eq!(mail.turn(false), Turn::Wait, "its share is taken");
        for _ in 0..98 {
            assert_eq!(mail.turn(true), Turn::Go);
        }
        assert_eq!(mail.turn(false), Turn::Wait, "98 sends since");
        assert_eq!(mail.turn(true), Turn::Go);
        assert_eq!(
            mail.turn(false),
            Turn::Go,
            "99 sends since: a hundred with it"
        );
    }

    #[test]
    fn none_goes_while_the_guard_is_up() {
        let mail = UnprovenMail::metered(PER_HUNDRED);
        mail.set_guard(Guard::Up(Alarm::Bounces));
        assert_eq!(mail.turn(false), Turn::Wait);
        assert_eq!(mail.turn(true), Turn::Go, "proven mail goes");
        mail.set_guard(Guard::Down);
        assert_eq!(mail.turn(false), Turn::Go);
    }

    #[test]
    fn the_local_stack_holds_nothing() {
        let mail = UnprovenMail::unmetered();
        mail.set_guard(Guard::Up(Alarm::UnprovenFlood));
        assert!((0..10).all(|_| mail.turn(false) == Turn::Go));
    }
}
