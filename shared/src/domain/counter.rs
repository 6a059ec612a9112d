use super::{Country, Source, Timestamp};
use std::collections::BTreeMap;

/// The public count of confirmed signatures: in total, per country, and per source (the partner
/// or channel each came through, for those that came through one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counter {
    pub countries: BTreeMap<Country, u64>,
    pub sources: BTreeMap<Source, u64>,
    pub updated_at: Option<Timestamp>,
    /// Grows with every write, so a recount can tell whether the counter moved meanwhile.
    pub revision: u64,
}

/// Moves one count by `by`, never below zero, and forgets it at zero.
fn moved<K: Ord + Clone>(counts: &mut BTreeMap<K, u64>, key: &K, by: i64) {
    let count = counts.entry(key.clone()).or_default();
    *count = count.saturating_add_signed(by);
    if *count == 0 {
        counts.remove(key);
    }
}

impl Counter {
    pub fn total(&self) -> u64 {
        self.countries.values().sum()
    }

    /// The counter moved by `delta`; no count goes below zero.
    pub fn apply(&mut self, delta: &CounterDelta, at: Timestamp) {
        for (country, by) in &delta.countries {
            moved(&mut self.countries, country, *by);
        }
        for (source, by) in &delta.sources {
            moved(&mut self.sources, source, *by);
        }
        self.updated_at = Some(at);
        self.revision += 1;
    }
}

/// How a batch of changes moves the counter: confirmations add one to the signer's country and
/// source, erasures of confirmed signatures take one away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterDelta {
    pub countries: BTreeMap<Country, i64>,
    pub sources: BTreeMap<Source, i64>,
}

/// Adds `by` to one change, and forgets a change that cancels out.
fn added<K: Ord + Clone>(changes: &mut BTreeMap<K, i64>, key: &K, by: i64) {
    let entry = changes.entry(key.clone()).or_default();
    *entry += by;
    if *entry == 0 {
        changes.remove(key);
    }
}

impl CounterDelta {
    /// One signature confirmed (`by` 1) or its confirmation undone (-1).
    pub fn add(&mut self, country: Country, source: Option<&Source>, by: i64) {
        added(&mut self.countries, &country, by);
        if let Some(source) = source {
            added(&mut self.sources, source, by);
        }
    }

    pub fn merge(&mut self, other: &CounterDelta) {
        for (country, by) in &other.countries {
            added(&mut self.countries, country, *by);
        }
        for (source, by) in &other.sources {
            added(&mut self.sources, source, *by);
        }
    }

    pub fn total(&self) -> i64 {
        self.countries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_cancel_out() {
        let ua = Country::parse("UA").unwrap();
        let telegram = Source::Channel(super::super::Channel::Telegram);
        let mut delta = CounterDelta::default();
        delta.add(ua, Some(&telegram), 1);
        delta.add(ua, Some(&telegram), -1);
        assert!(delta.is_empty());
        delta.add(ua, None, 2);
        delta.add(ua, Some(&telegram), 1);
        assert_eq!(
            delta.total(),
            3,
            "a source is counted beside its country, not again"
        );
        assert_eq!(delta.sources[&telegram], 1);
    }
}
