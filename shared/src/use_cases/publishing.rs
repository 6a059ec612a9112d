//! The supporters list reaches the site: every minute the pages that show it are rendered again,
//! in every language, and those that changed (after an approval or a removal, or a deploy that
//! put an older list back) are published.

use crate::domain::{Organisation, supporters_list};
use crate::ports::{PublishError, SiteFile, SitePublisher, StoreError, SupporterStore};

#[derive(Debug, thiserror::Error)]
pub enum PublishFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Publish(#[from] PublishError),
}

/// What a publication did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Published {
    /// How many organisations the list shows.
    pub listed: usize,
    /// How many pages changed and were written.
    pub pages: usize,
}

/// Renders the pages that show the list as the store has it, with the edge's `render`, and
/// publishes those that changed. A change the index does not show yet is published the minute
/// after.
pub async fn publish_supporters(
    store: &dyn SupporterStore,
    publisher: &dyn SitePublisher,
    render: impl Fn(&[Organisation]) -> Vec<SiteFile>,
) -> Result<Published, PublishFailure> {
    // The pages show the approved alone.
    let all = store
        .organisations_in(crate::domain::Standing::Approved)
        .await?;
    let pages = publisher.publish(&render(&all)).await?;
    Ok(Published {
        listed: supporters_list(&all).len(),
        pages,
    })
}
