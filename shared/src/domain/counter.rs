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

/// A stream record's position in its shard. DynamoDB's are decimal strings of up to 40 digits,
/// ordered as numbers, so they are compared by length first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceNumber(String);

impl SequenceNumber {
    pub fn parse(raw: &str) -> Option<Self> {
        let digits = raw.trim_start_matches('0');
        (!raw.is_empty() && raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_digit())).then(|| {
            Self(if digits.is_empty() {
                "0".into()
            } else {
                digits.to_owned()
            })
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The local feed numbers its changes: a number is a sequence number as it is.
impl From<u64> for SequenceNumber {
    fn from(n: u64) -> Self {
        Self(n.to_string())
    }
}

impl Ord for SequenceNumber {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for SequenceNumber {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_order_as_numbers() {
        let n = |s| SequenceNumber::parse(s).unwrap();
        assert!(n("9") < n("10"));
        assert!(n("0009") < n("10"));
        assert!(n("100000000000000000001") > n("99999999999999999999"));
        assert_eq!(n("007"), n("7"));
        assert!(SequenceNumber::parse("12a").is_none());
        assert_eq!(SequenceNumber::from(0), n("0"));
        assert_eq!(SequenceNumber::from(120), n("000120"));
        assert!(SequenceNumber::from(9) < SequenceNumber::from(10));
        assert!(SequenceNumber::parse("").is_none());
    }

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
