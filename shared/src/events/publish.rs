//! The publishing function, on its schedule.

use crate::pages::site::{SiteSettings, supporter_pages};
use crate::ports::{SitePublisher, SupporterStore};
use crate::use_cases::publishing::{Published, publish_supporters};

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
    let published = publish_supporters(state.store.as_ref(), state.publisher.as_ref(), |all| {
        supporter_pages(&state.site, all)
    })
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
