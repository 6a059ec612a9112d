//! Counts confirmed signatures from the signature table's stream into the counter item.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::events::stream::{AggregateState, handle_count_batch};
use people_first::{config, telemetry};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let state = AggregateState {
        counter: Box::new(DynamoStore::from_sdk_config(&aws, config::table()?)),
        clock: Box::new(SystemClock),
    };
    run(service_fn(|event| handle_count_batch(&state, event))).await
}
