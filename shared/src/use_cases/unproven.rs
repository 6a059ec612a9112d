//! Mail without the page's proof of work (a signer's or an organisation's form sent without
//! JavaScript, a bot) waits behind mail with it. Each mailer instance lets at most one
//! such email go among any `ONE_IN` of its sends: each instance sends about half, so about one
//! in 200 of what SES judges, and in any thousand sends at most three of each instance's. A
//! flood of addresses that bounce adds under a point to the real signers' own mistakes (about
//! one in a hundred), and the whole stays under SES's 2 % budget. Each new execution
//! environment starts with an empty count, and may let one go at once. While the guard is up
//! (`domain::mail_health`), none goes. The queue keeps what waits, for the days it keeps any
//! message: a quiet campaign's unproven email waits for its instance's next `ONE_IN` sends.

use crate::domain::mail_health::Guard;
use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// One unproven email among this many sends of an instance, unless configured otherwise.
pub const ONE_IN: NonZeroUsize = NonZeroUsize::new(200).unwrap();

pub struct UnprovenMail {
    sends: Mutex<Sends>,
    guard: Mutex<Guard>,
    one_in: NonZeroUsize,
    metered: bool,
}

#[derive(Default)]
struct Sends {
    /// This instance's latest sends before the next, oldest first: whether each was unproven.
    recent: VecDeque<bool>,
    /// Unproven emails given their turn and not yet sent or given up.
    in_flight: usize,
}

/// What becomes of an email now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turn {
    Go,
    /// Back to the queue: the guard is up, or unproven mail had its share.
    Wait,
}

impl UnprovenMail {
    /// At most one unproven email among any `one_in` sends of this instance (every email may
    /// be unproven at 1).
    pub fn metered(one_in: NonZeroUsize) -> Self {
        Self {
            sends: Mutex::default(),
            guard: Mutex::new(Guard::Down),
            one_in,
            metered: true,
        }
    }

    /// Never held: the local stack, whose mail lands in a folder and has no reputation.
    pub fn unmetered() -> Self {
        Self {
            metered: false,
            ..Self::metered(ONE_IN)
        }
    }

    /// The guard as the last hour's figures call for it.
    pub fn set_guard(&self, guard: Guard) {
        *self.guard.lock().expect("the guard's lock") = guard;
    }

    /// Whether an email may take its turn now. An unproven one that may holds its place until
    /// `settle` says whether it went, so emails in flight together never pass the share.
    pub fn turn(&self, proven: bool) -> Turn {
        if proven || !self.metered {
            return Turn::Go;
        }
        if *self.guard.lock().expect("the guard's lock") != Guard::Down {
            return Turn::Wait;
        }
        let mut sends = self.sends.lock().expect("the sends' lock");
        let shared = self.one_in.get() > 1;
        if shared && (sends.in_flight > 0 || sends.recent.iter().any(|unproven| *unproven)) {
            return Turn::Wait;
        }
        sends.in_flight += 1;
        Turn::Go
    }

    /// What came of an email that had its turn: only one that went counts, so an address that
    /// needed nothing, or whose domain takes no mail, leaves its place to the next.
    pub fn settle(&self, proven: bool, sent: bool) {
        let mut sends = self.sends.lock().expect("the sends' lock");
        if !proven && self.metered {
            sends.in_flight = sends.in_flight.saturating_sub(1);
        }
        if sent {
            sends.recent.push_back(!proven);
            while sends.recent.len() >= self.one_in.get() {
                sends.recent.pop_front();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mail_health::Alarm;

    /// An email takes its turn and, if it may, goes.
    fn send(mail: &UnprovenMail, proven: bool) -> Turn {
        let turn = mail.turn(proven);
        if turn == Turn::Go {
            mail.settle(proven, true);
        }
        turn
    }

    #[test]
    fn one_unproven_email_goes_among_two_hundred_sends() {
        let mail = UnprovenMail::metered(ONE_IN);
        assert_eq!(ONE_IN.get(), 200);
        assert_eq!(send(&mail, false), Turn::Go);
        assert_eq!(send(&mail, false), Turn::Wait, "its share is taken");
        for _ in 0..198 {
            assert_eq!(send(&mail, true), Turn::Go);
        }
        assert_eq!(send(&mail, false), Turn::Wait, "198 sends since");
        assert_eq!(send(&mail, true), Turn::Go);
        assert_eq!(
            send(&mail, false),
            Turn::Go,
            "199 sends since: two hundred with it"
        );
    }

    #[test]
    fn at_one_in_one_every_email_may_be_unproven() {
        let mail = UnprovenMail::metered(NonZeroUsize::MIN);
        assert_eq!(mail.turn(false), Turn::Go);
        assert_eq!(mail.turn(false), Turn::Go, "in flight together");
        mail.settle(false, true);
        mail.settle(false, true);
        assert_eq!(send(&mail, false), Turn::Go);
    }

    #[test]
    fn a_turn_that_sent_nothing_leaves_its_place_and_one_in_flight_holds_it() {
        let mail = UnprovenMail::metered(ONE_IN);
        assert_eq!(mail.turn(false), Turn::Go);
        assert_eq!(
            mail.turn(false),
            Turn::Wait,
            "one in flight holds the share"
        );
        mail.settle(false, false);
        assert_eq!(
            send(&mail, false),
            Turn::Go,
            "nothing went: the place is free"
        );
    }

    #[test]
    fn none_goes_while_the_guard_is_up() {
        let mail = UnprovenMail::metered(ONE_IN);
        mail.set_guard(Guard::Up(Alarm::Bounces));
        assert_eq!(send(&mail, false), Turn::Wait);
        assert_eq!(send(&mail, true), Turn::Go, "proven mail goes");
        mail.set_guard(Guard::Down);
        assert_eq!(send(&mail, false), Turn::Go);
    }

    #[test]
    fn the_local_stack_holds_nothing() {
        let mail = UnprovenMail::unmetered();
        mail.set_guard(Guard::Up(Alarm::UnprovenFlood));
        assert!((0..10).all(|_| send(&mail, false) == Turn::Go));
    }
}
