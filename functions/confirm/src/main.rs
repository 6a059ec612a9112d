//! `GET|HEAD|POST /api/confirm` on AWS Lambda.

use lambda_http::Error;
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::http::confirm::{ConfirmState, handle_confirm};
use people_first::http::lambda;
use people_first::{config, telemetry};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let edge = config::edge_secret(&aws).await?;
    let state = ConfirmState {
        store: Arc::new(DynamoStore::from_sdk_config(&aws, config::table()?)),
        clock: Arc::new(SystemClock),
    };
    lambda::run(|request| edge.guard(request, |request| handle_confirm(&state, request))).await
}
