//! `GET|HEAD|POST /api/erase` and `/api/unsubscribe` on AWS Lambda: the only function that may
//! delete a signature, and where a signer withdraws a consent.

use lambda_http::Error;
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::domain::routes::Api;
use people_first::http::erase::{EraseState, handle_erase};
use people_first::http::lambda;
use people_first::http::unsubscribe::handle_unsubscribe;
use people_first::{config, telemetry};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let edge = config::edge_secret(&aws).await?;
    let store = Arc::new(DynamoStore::from_sdk_config(&aws, config::table()?));
    let state = EraseState {
        store: store.clone(),
        updates: store,
        clock: Arc::new(SystemClock),
    };
    lambda::run(|request| {
        edge.guard(request, |request| async {
            if Api::of_path(request.uri().path()) == Some(Api::Unsubscribe) {
                handle_unsubscribe(&state, request).await
            } else {
                handle_erase(&state, request).await
            }
        })
    })
    .await
}
