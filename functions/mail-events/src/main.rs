//! Reads SES's bounce and complaint events from SNS: no more email to a mailbox that does not
//! exist, no pending signature left for one whose owner called our email spam, and no more
//! updates to a signer whose mailbox refused one.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::events::mail_events::{MailEventsState, handle_mail_events};
use people_first::{config, telemetry};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let store = DynamoStore::from_sdk_config(&aws, config::table()?);
    let state = MailEventsState {
        store: Box::new(store.clone()),
        updates: Box::new(store.clone()),
        keyring: config::keyring(&aws).await?,
        health: Box::new(store),
        clock: Box::new(SystemClock),
    };
    run(service_fn(|event| handle_mail_events(&state, event))).await
}
