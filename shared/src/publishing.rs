//! The supporters list reaches the site: every minute the pages that show it are rendered again,
//! in every language, and those that changed (after an approval or a removal, or a deploy that
//! put an older list back) are published.

use crate::domain::supporters_list;
use crate::ports::{PublishError, SitePublisher, StoreError, SupporterStore};
use crate::site::{SiteSettings, supporter_pages};

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

/// Renders the pages that show the list as the store has it, and publishes those that changed.
/// A change the index does not show yet is published the minute after.
pub async fn publish_supporters(
    store: &dyn SupporterStore,
    publisher: &dyn SitePublisher,
    site: &SiteSettings,
) -> Result<Published, PublishFailure> {
    let all = store.organisations().await?;
    let pages = publisher.publish(&supporter_pages(site, &all)).await?;
    Ok(Published {
        listed: supporters_list(&all).len(),
        pages,
    })
}

/// What the publishing function needs, built once per process.
pub struct PublishState {
    pub store: Box<dyn SupporterStore>,
    pub publisher: Box<dyn SitePublisher>,
    pub site: SiteSettings,
}

/// The publishing function, run every minute; what its schedule sends it says nothing it
/// needs. A failure fails the invocation; the next minute publishes anyway.
pub async fn handle_publish(
    state: &PublishState,
    _scheduled: lambda_runtime::LambdaEvent<serde_json::Value>,
) -> Result<Published, lambda_runtime::Error> {
    let published =
        publish_supporters(state.store.as_ref(), state.publisher.as_ref(), &state.site).await?;
    if published.pages > 0 {
        tracing::info!(
            listed = published.listed,
            pages = published.pages,
            "supporters' pages published"
        );
    }
    Ok(published)
}
