//! The pace of one mailer: evenly spaced slots at its share of the account's rate, and the
//! backoff after throttling or a fault.

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// One mailer instance's share of the account's sending rate: evenly spaced slots, and a hold
/// that pushes back every slot not yet used when SES says the account sends too fast.
pub struct Pace {
    interval: Duration,
    slots: Mutex<Slots>,
}

struct Slots {
    next: Instant,
    held_until: Instant,
}

impl Pace {
    /// `rate` emails a second.
    pub fn per_second(rate: f64) -> Self {
        Self::every(Duration::from_secs_f64(1.0 / rate.max(0.001)))
    }

    /// No pace: the local stack's outbox takes mail as fast as it comes.
    pub fn unlimited() -> Self {
        Self::every(Duration::ZERO)
    }

    fn every(interval: Duration) -> Self {
        let now = Instant::now();
        Self {
            interval,
            slots: Mutex::new(Slots {
                next: now,
                held_until: now,
            }),
        }
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits for the next free slot and takes it; false, without taking one, when that slot
    /// comes after `deadline`. A slot that a hold overtook while it waited is taken again after
    /// the hold, so a batch booked ahead does not fire into SES's throttling.
    pub async fn slot_before(&self, deadline: Instant) -> bool {
        loop {
            let at = {
                let mut slots = self.slots();
                let at = slots.next.max(slots.held_until).max(Instant::now());
                if at > deadline {
                    return false;
                }
                slots.next = at + self.interval;
                at
            };
            tokio::time::sleep_until(at).await;
            if self.slots().held_until <= at {
                return true;
            }
        }
    }

    /// Holds every slot back until `until`.
    pub fn hold_until(&self, until: Instant) {
        let mut slots = self.slots();
        slots.held_until = slots.held_until.max(until);
        slots.next = slots.next.max(until);
    }
}

/// Waits that double from a first one, with jitter so instances throttled together do not come
/// back together.
pub(super) struct Backoff {
    first: Duration,
    attempts: u32,
}

impl Backoff {
    const LONGEST: Duration = Duration::from_mins(1);

    /// After throttling: SES's rate is counted by the second.
    pub(super) fn throttled() -> Self {
        Self {
            first: Duration::from_secs(1),
            attempts: 0,
        }
    }

    /// After a fault: most are over at once, and a batch waits for its slowest email.
    pub(super) fn faulted() -> Self {
        Self {
            first: Duration::from_millis(100),
            attempts: 0,
        }
    }

    pub(super) fn next(&mut self) -> Duration {
        let base = self
            .first
            .saturating_mul(1 << self.attempts.min(10))
            .min(Self::LONGEST);
        self.attempts += 1;
        base.mul_f64(rand::random_range(0.5..1.0))
    }
}
