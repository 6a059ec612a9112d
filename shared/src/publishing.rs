//! The supporters list reaches the site: every minute the pages that show it are rendered again,
//! in every language, and those that changed (after an approval or a removal, or a deploy that
//! put an older list back) are published.

use crate::domain::{Organisation, supporters_list};
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

/// Renders the pages that show the list, as the store has it with `changed` applied (the index
/// it is read from may not show yet a change the caller knows of), and publishes those that
/// changed.
pub async fn publish_supporters(
    store: &dyn SupporterStore,
    publisher: &dyn SitePublisher,
    site: &SiteSettings,
    changed: &[Organisation],
) -> Result<Published, PublishFailure> {
    let mut all = store.organisations().await?;
    for organisation in changed {
        match all.iter().position(|o| o.id == organisation.id) {
            Some(known) => all[known].clone_from(organisation),
            None => all.push(organisation.clone()),
        }
    }
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

/// What the publishing function is given: nothing from its schedule; from a caller that knows
/// of a change the index may not show yet, the organisations it changed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PublishRequest {
    #[serde(default)]
    pub changed: Vec<Organisation>,
}

/// The publishing function, run every minute. A failure fails the invocation; the next minute
/// publishes anyway.
pub async fn handle_publish(
    state: &PublishState,
    event: lambda_runtime::LambdaEvent<serde_json::Value>,
) -> Result<Published, lambda_runtime::Error> {
    let request: PublishRequest = serde_json::from_value(event.payload).unwrap_or_default();
    let published = publish_supporters(
        state.store.as_ref(),
        state.publisher.as_ref(),
        &state.site,
        &request.changed,
    )
    .await?;
    if published.pages > 0 {
        tracing::info!(
            listed = published.listed,
            pages = published.pages,
            "supporters' pages published"
        );
    }
    Ok(published)
}
