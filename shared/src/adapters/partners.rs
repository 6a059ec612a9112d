//! The approved supporters, read whole from the supporters' store and kept for a minute: a
//! launch's signatures through a partner's frame ask once a minute per instance, not once each.

use crate::domain::{Organisation, OrganisationId, Standing, Timestamp, supporters_list};
use crate::ports::{Clock, Partners, StoreError, SupportersList};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// How long a read of the list is kept. A new partner is credited within this time of its
/// approval; one taken off, within it too.
pub const KEPT_SECONDS: i64 = 60;

/// When the list cannot be read, the last good one serves this much longer before it is asked
/// again: under throttling, each request asking would only add to it.
pub const RETRY_SECONDS: i64 = 10;

type List = Arc<BTreeMap<OrganisationId, Organisation>>;

pub struct ApprovedPartners {
    store: Arc<dyn SupportersList>,
    clock: Arc<dyn Clock>,
    /// The list as last read, and when.
    kept: Mutex<Option<(Timestamp, List)>>,
}

impl ApprovedPartners {
    pub fn new(store: Arc<dyn SupportersList>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            kept: Mutex::new(None),
        }
    }

    async fn list(&self) -> Result<List, StoreError> {
        let now = self.clock.now();
        if let Some((read_at, list)) = self.kept.lock().expect("never poisoned").as_ref()
            && now < read_at.plus_seconds(KEPT_SECONDS)
        {
            return Ok(list.clone());
        }
        let organisations = match self.store.organisations_in(Standing::Approved).await {
            Ok(organisations) => organisations,
            Err(fault) => return self.last_good(now, fault),
        };
        let list: List = Arc::new(
            supporters_list(&organisations)
                .into_iter()
                .map(|o| (o.id.clone(), o.clone()))
                .collect(),
        );
        *self.kept.lock().expect("never poisoned") = Some((now, list.clone()));
        Ok(list)
    }
}

impl ApprovedPartners {
    /// The last list read, kept a little longer, when there is one; the fault otherwise.
    fn last_good(&self, now: Timestamp, fault: StoreError) -> Result<List, StoreError> {
        let mut kept = self.kept.lock().expect("never poisoned");
        let Some((read_at, list)) = kept.as_mut() else {
            return Err(fault);
        };
        tracing::warn!(
            error = %crate::telemetry::Causes(&fault),
            "the supporters list could not be read: the last one read serves a while longer"
        );
        *read_at = now.plus_seconds(RETRY_SECONDS - KEPT_SECONDS);
        Ok(list.clone())
    }
}

#[async_trait]
impl Partners for ApprovedPartners {
    async fn partner(&self, id: &OrganisationId) -> Result<Option<Organisation>, StoreError> {
        Ok(self.list().await?.get(id).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::clock::ManualClock;
    use crate::use_cases::supporters::first_supporters;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// The list, or a throttled table when `failing`; counts how often it is asked.
    #[derive(Default)]
    struct Table {
        failing: AtomicBool,
        asked: AtomicUsize,
    }

    #[async_trait]
    impl SupportersList for Table {
        async fn organisations_in(
            &self,
            standing: Standing,
        ) -> Result<Vec<Organisation>, StoreError> {
            self.asked.fetch_add(1, Ordering::SeqCst);
            if self.failing.load(Ordering::SeqCst) {
                Err(StoreError::unavailable("throttled"))
            } else {
                Ok(first_supporters()
                    .into_iter()
                    .filter(|o| o.standing == standing)
                    .collect())
            }
        }
    }

    #[tokio::test]
    async fn a_list_that_cannot_be_read_is_served_as_last_read_and_asked_again_later() {
        let table = Arc::new(Table::default());
        let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
        let partners = ApprovedPartners::new(table.clone(), clock.clone());
        let s07 = OrganisationId::initial(7);
        assert!(partners.partner(&s07).await.unwrap().is_some());
        assert!(partners.partner(&s07).await.unwrap().is_some());
        assert_eq!(table.asked.load(Ordering::SeqCst), 1, "kept a minute");

        table.failing.store(true, Ordering::SeqCst);
        clock.advance(KEPT_SECONDS);
        assert!(
            partners.partner(&s07).await.unwrap().is_some(),
            "the last good list"
        );
        assert_eq!(table.asked.load(Ordering::SeqCst), 2);
        clock.advance(RETRY_SECONDS - 1);
        partners.partner(&s07).await.unwrap();
        assert_eq!(
            table.asked.load(Ordering::SeqCst),
            2,
            "not asked again at once"
        );
        clock.advance(1);
        partners.partner(&s07).await.unwrap();
        assert_eq!(
            table.asked.load(Ordering::SeqCst),
            3,
            "asked again after a while"
        );

        let cold = ApprovedPartners::new(table.clone(), clock.clone());
        assert!(cold.partner(&s07).await.is_err(), "no list yet: the fault");
    }
}
