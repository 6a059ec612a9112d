//! Staff's proof that the counter is exact: count the confirmed signatures one by one and
//! compare with the counter item, per country and per source; repair it on request.

use crate::domain::{Counter, Country, SignatureStatus, Source, Timestamp};
use crate::ports::{CounterStore, SignatureScan, StoreError, read_every_signature};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
pub struct Recount {
    /// Confirmed signatures per country, counted from the table.
    pub counted: BTreeMap<Country, u64>,
    /// Confirmed signatures per source, for those that came through one.
    pub counted_sources: BTreeMap<Source, u64>,
    /// The counter as it was read before the scan.
    pub recorded: Counter,
    /// Whether the counter moved while the table was scanned: then the two may differ by the
    /// signatures confirmed meanwhile, and a fix is refused.
    pub moved_meanwhile: bool,
    pub scanned: u64,
}

/// One line of the comparison: a country's, or a source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<K> {
    pub key: K,
    pub counted: u64,
    pub recorded: u64,
}

impl<K> Line<K> {
    pub fn drift(&self) -> i128 {
        i128::from(self.recorded) - i128::from(self.counted)
    }
}

/// Every key either side knows, in order, with both sides' counts.
fn compared<K: Ord + Clone>(
    counted: &BTreeMap<K, u64>,
    recorded: &BTreeMap<K, u64>,
) -> Vec<Line<K>> {
    let keys: BTreeSet<&K> = counted.keys().chain(recorded.keys()).collect();
    keys.into_iter()
        .map(|key| Line {
            key: key.clone(),
            counted: counted.get(key).copied().unwrap_or(0),
            recorded: recorded.get(key).copied().unwrap_or(0),
        })
        .collect()
}

impl Recount {
    /// Every country either side knows, in code order.
    pub fn lines(&self) -> Vec<Line<Country>> {
        compared(&self.counted, &self.recorded.countries)
    }

    /// Every source either side knows, in code order.
    pub fn source_lines(&self) -> Vec<Line<Source>> {
        compared(&self.counted_sources, &self.recorded.sources)
    }

    pub fn is_exact(&self) -> bool {
        self.lines().iter().all(|line| line.drift() == 0)
            && self.source_lines().iter().all(|line| line.drift() == 0)
    }

    pub fn counted_total(&self) -> u64 {
        self.counted.values().sum()
    }
}

/// Scans every signature; `progress` hears how many were read so far.
pub async fn recount(
    scan: &dyn SignatureScan,
    counter: &dyn CounterStore,
    progress: impl FnMut(u64),
) -> Result<Recount, StoreError> {
    let recorded = counter.read_counter().await?;
    let mut confirmed: BTreeMap<Country, u64> = BTreeMap::new();
    let mut sources: BTreeMap<Source, u64> = BTreeMap::new();
    let read = read_every_signature(
        scan,
        |signature| {
            if signature.status == SignatureStatus::Confirmed {
                *confirmed.entry(signature.country).or_default() += 1;
                if let Some(source) = signature.source {
                    *sources.entry(source).or_default() += 1;
                }
            }
        },
        progress,
    )
    .await?;
    let moved_meanwhile = counter.read_counter().await?.revision != recorded.revision;
    Ok(Recount {
        counted: confirmed,
        counted_sources: sources,
        recorded,
        moved_meanwhile,
        scanned: read,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum FixError {
    #[error("the counter moved during the recount: run it again when confirmations are quiet")]
    CounterMoved,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes the counter say what the recount counted, unless it moved since.
pub async fn fix(
    counter: &dyn CounterStore,
    recount: &Recount,
    at: Timestamp,
) -> Result<(), FixError> {
    if recount.moved_meanwhile {
        return Err(FixError::CounterMoved);
    }
    let repaired = Counter {
        countries: recount.counted.clone(),
        sources: recount.counted_sources.clone(),
        updated_at: Some(at),
        revision: 0,
    };
    if counter
        .replace_counter(&recount.recorded, &repaired)
        .await?
    {
        Ok(())
    } else {
        Err(FixError::CounterMoved)
    }
}
