//! Sends the queued emails (signatures' confirmation links, organisation contacts' links)
//! through SES, at this instance's share of the quota.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::ses::SesMailer;
use people_first::events::mailer::{MailerState, handle_mail_requests};
use people_first::{config, telemetry};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let store = DynamoStore::from_sdk_config(&aws, config::table()?);
    let state = MailerState {
        mailer: Box::new(
            SesMailer::from_sdk_config(&aws)
                .organisations_under(config::organisation_mail_configuration()),
        ),
        store: Box::new(store.clone()),
        supporters: Box::new(store.clone()),
        domains: Box::new(config::mail_domains()?),
        health: Box::new(store),
        unproven: Arc::new(config::unproven_mail()?),
        clock: Box::new(SystemClock),
        keyring: config::keyring(&aws).await?,
        settings: config::mail_settings()?,
        pace: config::sending_pace()?,
    };
    run(service_fn(|event| handle_mail_requests(&state, event))).await
}
