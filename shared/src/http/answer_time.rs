//! When a public form's request is answered, whatever came of it: no sooner than a floor after
//! it arrived, and, where the machine's own noise would otherwise show through, a random part of
//! a spread on top. Every outcome then answers after the same time distribution, so the time of
//! an answer tells nobody who has signed.

use std::time::Duration;
use tokio::time::Instant;

/// How much of a wait is slept by the system's clock rather than tokio's: more than the
/// millisecond tokio's timers round to.
const PRECISE: Duration = Duration::from_micros(2500);

/// Whatever follows a write (a stream's or a feed's consumers, on the same machine) moves the
/// answer by microseconds; waits spread over milliseconds drown that.
const SPREAD: Duration = Duration::from_millis(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerTime {
    pub floor: Duration,
    pub spread: Duration,
}

impl AnswerTime {
    /// For tests of what a handler does, not when.
    pub const AT_ONCE: Self = Self {
        floor: Duration::ZERO,
        spread: Duration::ZERO,
    };

    /// The functions': above the time three DynamoDB calls take nearly always.
    pub const ON_AWS: Self = Self {
        floor: Duration::from_millis(50),
        spread: SPREAD,
    };

    /// The local stack's: above its store's time, unloaded.
    pub const LOCALLY: Self = Self {
        floor: Duration::from_millis(5),
        spread: SPREAD,
    };

    /// When the request that `arrived` may be answered: each time drawn anew.
    pub fn deadline(self, arrived: Instant) -> Instant {
        let spread = if self.spread.is_zero() {
            Duration::ZERO
        } else {
            rand::random_range(Duration::ZERO..=self.spread)
        };
        arrived + self.floor + spread
    }

    /// Waits until the request that `arrived` may be answered.
    pub async fn wait(self, arrived: Instant) {
        if self == Self::AT_ONCE {
            return;
        }
        let deadline = self.deadline(arrived);
        // Tokio's timers wake on whole milliseconds counted from when the thread went to sleep,
        // so a wait alone would end earlier or later by how long the work took. Its last
        // moments are slept by the system's own clock, to the microsecond.
        tokio::time::sleep_until(deadline.checked_sub(PRECISE).unwrap_or(arrived)).await;
        let rest = deadline.saturating_duration_since(Instant::now());
        if !rest.is_zero() {
            let _ = tokio::task::spawn_blocking(move || std::thread::sleep(rest)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_falls_in_the_window_at_a_time_drawn_anew() {
        let arrived = Instant::now();
        let window = AnswerTime::LOCALLY;
        let deadlines: std::collections::BTreeSet<_> =
            (0..100).map(|_| window.deadline(arrived)).collect();
        for deadline in &deadlines {
            let wait = *deadline - arrived;
            assert!(
                (window.floor..=window.floor + window.spread).contains(&wait),
                "{wait:?}"
            );
        }
        assert!(deadlines.len() > 90, "drawn anew: {}", deadlines.len());
    }
}
