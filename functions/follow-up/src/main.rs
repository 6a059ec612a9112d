//! Every minute, while no confirmation email waits in the mail queue: each pending signature's
//! one reminder a day after its email, then the campaign's update under way, through SES at one
//! mailer's share of the rate.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::ses::SesMailer;
use people_first::adapters::sqs::SqsQueue;
use people_first::events::follow_up::{FollowUpState, handle_follow_up};
use people_first::{config, telemetry};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let store = DynamoStore::from_sdk_config(&aws, config::table()?);
    let state = FollowUpState {
        mailer: Box::new(SesMailer::from_sdk_config(&aws)),
        scan: Box::new(store.clone()),
        signatures: Box::new(store.clone()),
        health: Box::new(store.clone()),
        mailboxes: Box::new(store.clone()),
        updates: Box::new(store.clone()),
        reminders: Box::new(store),
        confirmations: Box::new(SqsQueue::from_sdk_config(&aws, config::mail_queue()?)),
        clock: Box::new(SystemClock),
        keyring: config::keyring(&aws).await?,
        settings: config::mail_settings()?,
        update_wording: &people_first::pages::Emails,
        pace: config::follow_up_pace()?,
    };
    run(service_fn(|event| handle_follow_up(&state, event))).await
}
