//! The approved supporters, read whole from the supporters' store and kept for a minute: a
//! launch's signatures through a partner's frame ask once a minute per instance, not once each.

use crate::domain::{Organisation, OrganisationId, Timestamp, supporters_list};
use crate::ports::{Clock, Partners, StoreError, SupporterStore};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// How long a read of the list is kept. A new partner is credited within this time of its
/// approval; one taken off, within it too.
pub const KEPT_SECONDS: i64 = 60;

type List = Arc<BTreeMap<OrganisationId, Organisation>>;

pub struct ApprovedPartners {
    store: Arc<dyn SupporterStore>,
    clock: Arc<dyn Clock>,
    /// The list as last read, and when.
    kept: Mutex<Option<(Timestamp, List)>>,
}

impl ApprovedPartners {
    pub fn new(store: Arc<dyn SupporterStore>, clock: Arc<dyn Clock>) -> Self {
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
        let organisations = self.store.organisations().await?;
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

#[async_trait]
impl Partners for ApprovedPartners {
    async fn partner(&self, id: &OrganisationId) -> Result<Option<Organisation>, StoreError> {
        Ok(self.list().await?.get(id).cloned())
    }
}
