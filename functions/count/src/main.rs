//! `GET|HEAD /api/count`, `/api/count.svg` and `/api/count.html` on AWS Lambda, behind the
//! CDN's cache.

use lambda_http::Error;
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::partners::ApprovedPartners;
use people_first::http::count::{CountState, handle_count};
use people_first::http::lambda;
use people_first::{config, telemetry};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let edge = config::edge_secret(&aws).await?;
    let table = Arc::new(DynamoStore::from_sdk_config(&aws, config::table()?));
    let state = CountState {
        counter: table.clone(),
        partners: Arc::new(ApprovedPartners::new(table, Arc::new(SystemClock))),
        goal: config::goal()?,
        smallest_country_shown: config::smallest_country_shown()?,
    };
    lambda::run(|request| edge.guard(request, |request| handle_count(&state, request))).await
}
