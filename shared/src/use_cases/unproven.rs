//! Mail without the page's proof of work (a browser without JavaScript, a bot, an
//! organisation's request) waits behind mail with it. Each mailer instance lets one such email
//! go among a hundred sends, or when it has sent nothing for a while, so a flood of addresses
//! that bounce is at most a hundredth of what SES judges; while the guard is up
//! (`domain::mail_health`), none goes, and the queue keeps it until the guard is down.

use crate::domain::mail_health::Guard;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The sends among which one may be unproven.
const SHARE: usize = 100;
/// How long an instance that sent nothing waits before it lets an unproven email go.
pub const QUIET: Duration = Duration::from_mins(1);

pub struct UnprovenMail {
    /// This instance's latest sends, oldest first: when, and whether unproven.
    recent: Mutex<VecDeque<(Instant, bool)>>,
    guard: Mutex<Guard>,
    quiet: Duration,
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
    /// Metered as above, an instance being quiet after `quiet`.
    pub fn metered(quiet: Duration) -> Self {
        Self {
            recent: Mutex::default(),
            guard: Mutex::new(Guard::Down),
            quiet,
            metered: true,
        }
    }

    /// Never held: the local stack, whose mail lands in a folder and has no reputation.
    pub fn unmetered() -> Self {
        Self {
            metered: false,
            ..Self::metered(QUIET)
        }
    }

    /// The guard as the last hour's figures call for it.
    pub fn set_guard(&self, guard: Guard) {
        *self.guard.lock().expect("the guard's lock") = guard;
    }

    /// Whether an email may take its turn now. An unproven one that may is counted as sent at
    /// once, so emails in flight together never pass their share.
    pub fn turn(&self, proven: bool, now: Instant) -> Turn {
        let mut recent = self.recent.lock().expect("the sends' lock");
        if proven || !self.metered {
            Self::record(&mut recent, now, false);
            return Turn::Go;
        }
        if *self.guard.lock().expect("the guard's lock") != Guard::Down {
            return Turn::Wait;
        }
        let quiet = recent
            .back()
            .is_none_or(|(at, _)| now.duration_since(*at) >= self.quiet);
        let had_its_share = recent.iter().any(|(_, unproven)| *unproven);
        if quiet || !had_its_share {
            Self::record(&mut recent, now, true);
            Turn::Go
        } else {
            Turn::Wait
        }
    }

    fn record(recent: &mut VecDeque<(Instant, bool)>, now: Instant, unproven: bool) {
        recent.push_back((now, unproven));
        while recent.len() > SHARE {
            recent.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mail_health::Alarm;

    #[tokio::test(start_paused = true)]
    async fn one_unproven_email_goes_among_a_hundred_sends() {
        let mail = UnprovenMail::metered(QUIET);
        let now = Instant::now();
        assert_eq!(mail.turn(false, now), Turn::Go);
        assert_eq!(mail.turn(false, now), Turn::Wait, "its share is taken");
        for _ in 0..98 {
            assert_eq!(mail.turn(true, now), Turn::Go);
        }
        assert_eq!(mail.turn(true, now), Turn::Go);
        assert_eq!(mail.turn(false, now), Turn::Wait, "99 sends since");
        assert_eq!(mail.turn(true, now), Turn::Go);
        assert_eq!(mail.turn(false, now), Turn::Go, "a hundred sends since");
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_instance_lets_one_go_and_none_while_the_guard_is_up() {
        let mail = UnprovenMail::metered(QUIET);
        let now = Instant::now();
        assert_eq!(mail.turn(false, now), Turn::Go);
        assert_eq!(mail.turn(false, now + QUIET / 2), Turn::Wait);
        assert_eq!(mail.turn(false, now + QUIET), Turn::Go);
        mail.set_guard(Guard::Up(Alarm::Bounces));
        assert_eq!(mail.turn(false, now + QUIET * 10), Turn::Wait);
        assert_eq!(
            mail.turn(true, now + QUIET * 10),
            Turn::Go,
            "proven mail goes"
        );
        mail.set_guard(Guard::Down);
        assert_eq!(mail.turn(false, now + QUIET * 20), Turn::Go);
    }

    #[tokio::test(start_paused = true)]
    async fn the_local_stack_holds_nothing() {
        let mail = UnprovenMail::unmetered();
        mail.set_guard(Guard::Up(Alarm::UnprovenFlood));
        assert!((0..10).all(|_| mail.turn(false, Instant::now()) == Turn::Go));
    }
}
