//! How well the time of an answer tells two kinds of request apart.

use std::time::Duration;

/// The accuracy of the best rule "at most t: a; more: b" (or the other way round) between two
/// samples of times, each sample weighed as much as the other: 0.5 is chance, 1 tells them
/// apart every time.
#[allow(clippy::cast_precision_loss)] // samples of thousands: exact in an f64
pub fn best_threshold_accuracy(a: &[Duration], b: &[Duration]) -> f64 {
    let mut all: Vec<(Duration, bool)> = a
        .iter()
        .map(|t| (*t, true))
        .chain(b.iter().map(|t| (*t, false)))
        .collect();
    all.sort();
    let (na, nb) = (a.len() as f64, b.len() as f64);
    let (mut a_below, mut b_below) = (0.0, 0.0);
    let mut best: f64 = 0.5;
    for (i, (t, is_a)) in all.iter().enumerate() {
        if *is_a {
            a_below += 1.0;
        } else {
            b_below += 1.0;
        }
        // A threshold falls between distinct times only.
        if all.get(i + 1).is_some_and(|(next, _)| next == t) {
            continue;
        }
        let accuracy = f64::midpoint(a_below / na, (nb - b_below) / nb);
        best = best.max(accuracy).max(1.0 - accuracy);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_apart_is_told_apart_and_what_is_alike_is_not() {
        let ms = Duration::from_millis;
        let fast: Vec<_> = (0..100).map(ms).collect();
        let slow: Vec<_> = (200..300).map(ms).collect();
        let overlapping: Vec<_> = (50..150).map(ms).collect();
        assert!((best_threshold_accuracy(&fast, &slow) - 1.0).abs() < 1e-9);
        assert!((best_threshold_accuracy(&slow, &fast) - 1.0).abs() < 1e-9);
        assert!((best_threshold_accuracy(&fast, &overlapping) - 0.75).abs() < 1e-9);
        assert!((best_threshold_accuracy(&fast, &fast) - 0.5).abs() < 1e-9);
    }
}
