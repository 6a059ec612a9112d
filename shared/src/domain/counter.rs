use super::{Country, Timestamp};
use std::collections::BTreeMap;

/// The public count of confirmed signatures, in total and per country.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counter {
    pub countries: BTreeMap<Country, u64>,
    pub updated_at: Option<Timestamp>,
    /// Grows with every write, so a recount can tell whether the counter moved meanwhile.
    pub revision: u64,
}

impl Counter {
    pub fn total(&self) -> u64 {
        self.countries.values().sum()
    }

    /// The counter moved by `delta`; a country never goes below zero.
    pub fn apply(&mut self, delta: &CounterDelta, at: Timestamp) {
        for (country, by) in &delta.countries {
            let count = self.countries.entry(*country).or_default();
            *count = count.saturating_add_signed(*by);
            if *count == 0 {
                self.countries.remove(country);
            }
        }
        self.updated_at = Some(at);
        self.revision += 1;
    }
}

/// How a batch of changes moves the counter: confirmations add one to the signer's country,
/// erasures of confirmed signatures take one away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterDelta {
    pub countries: BTreeMap<Country, i64>,
}

impl CounterDelta {
    pub fn add(&mut self, country: Country, by: i64) {
        let entry = self.countries.entry(country).or_default();
        *entry += by;
        if *entry == 0 {
            self.countries.remove(&country);
        }
    }

    pub fn merge(&mut self, other: &CounterDelta) {
        for (country, by) in &other.countries {
            self.add(*country, *by);
        }
    }

    pub fn total(&self) -> i64 {
        self.countries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_cancel_out() {
        let ua = Country::parse("UA").unwrap();
        let mut delta = CounterDelta::default();
        delta.add(ua, 1);
        delta.add(ua, -1);
        assert!(delta.is_empty());
        delta.add(ua, 2);
        assert_eq!(delta.total(), 2);
    }
}
