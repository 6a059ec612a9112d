//! The supporters list reaches the site: after an approval or a removal, the pages that show it
//! are rendered again, in every language, and published.

use crate::domain::{Organisation, supporters_list};
use crate::ports::{PublishError, SitePublisher, StoreError, SupporterStore};
use crate::site::{SiteSettings, supporter_pages};
use aws_lambda_events::dynamodb::EventRecord;

#[derive(Debug, thiserror::Error)]
pub enum PublishFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Publish(#[from] PublishError),
}

/// Renders the pages that show the list, as the store has it with `changed` applied (the index
/// it is read from may not show a change the stream already carries), and publishes them.
/// Returns how many organisations the list now shows.
pub async fn publish_supporters(
    store: &dyn SupporterStore,
    publisher: &dyn SitePublisher,
    site: &SiteSettings,
    changed: &[Organisation],
) -> Result<usize, PublishFailure> {
    let mut all = store.organisations().await?;
    for organisation in changed {
        match all.iter().position(|o| o.id == organisation.id) {
            Some(known) => all[known].clone_from(organisation),
            None => all.push(organisation.clone()),
        }
    }
    publisher.publish(&supporter_pages(site, &all)).await?;
    Ok(supporters_list(&all).len())
}

/// The organisations a stream batch changed, as they now are.
pub fn changed_organisations(records: Vec<EventRecord>) -> Vec<Organisation> {
    records
        .into_iter()
        .filter(|record| {
            record
                .change
                .keys
                .get("pk")
                .and_then(|pk| match pk {
                    serde_dynamo::AttributeValue::S(pk) => Some(pk.starts_with("organisation#")),
                    _ => None,
                })
                .unwrap_or(false)
        })
        .filter_map(|record| {
            serde_dynamo::from_item(record.change.new_image)
                .inspect_err(|e| tracing::warn!(error = %e, "an organisation record does not read"))
                .ok()
        })
        .collect()
}

/// What the publishing function needs, built once per process.
pub struct PublishState {
    pub store: Box<dyn SupporterStore>,
    pub publisher: Box<dyn SitePublisher>,
    pub site: SiteSettings,
}

/// The publishing function: a stream batch of organisations' changes in, the pages published. A
/// failure fails the batch, which Lambda retries: publishing again is harmless.
pub async fn handle_supporter_changes(
    state: &PublishState,
    event: lambda_runtime::LambdaEvent<aws_lambda_events::dynamodb::Event>,
) -> Result<(), lambda_runtime::Error> {
    let changed = changed_organisations(event.payload.records);
    let listed = publish_supporters(
        state.store.as_ref(),
        state.publisher.as_ref(),
        &state.site,
        &changed,
    )
    .await?;
    tracing::info!(
        changed = changed.len(),
        listed,
        "supporters' pages published"
    );
    Ok(())
}
