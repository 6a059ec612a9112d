//! `POST /api/organisations` and `GET|HEAD|POST /api/organisations/confirm` on AWS Lambda: an
//! organisation asks to join the supporters list, and its contact confirms.

use lambda_http::{Error, Request};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::ses::SesMailer;
use people_first::domain::routes::Api;
use people_first::http::answer_time::AnswerTime;
use people_first::http::lambda;
use people_first::http::supporters::{
    SupportState, handle_contact_link, handle_organisation_request,
};
use people_first::use_cases::supporters::SupportSettings;
use people_first::{config, telemetry};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let (keyring, edge, challenge) = tokio::try_join!(
        config::keyring(&aws),
        config::edge_secret(&aws),
        config::challenge(Some(&aws))
    )?;
    let store = Arc::new(DynamoStore::from_sdk_config(&aws, config::table()?));
    let state = SupportState {
        store: store.clone(),
        limits: store,
        // The moderation mailbox's notice, sent while the contact waits: the SDK's retries
        // are welcome. Contacts' links go through the mail queue.
        mailer: Arc::new(
            SesMailer::retrying(&aws)
                .organisations_under(config::organisation_mail_configuration()),
        ),
        keyring: Arc::new(keyring),
        clock: Arc::new(SystemClock),
        challenge,
        settings: SupportSettings {
            mail: config::mail_settings()?,
            moderation: config::moderation_address()?,
        },
        answer_time: config::answer_time(AnswerTime::ON_AWS)?,
    };
    let origins = config::sign_origins()?;
    lambda::run(|request: Request| {
        edge.guard(request, |request| async {
            if Api::of_path(request.uri().path()) == Some(Api::ContactLink) {
                handle_contact_link(&state, request).await
            } else {
                origins
                    .guard(request, |request| {
                        handle_organisation_request(&state, request)
                    })
                    .await
            }
        })
    })
    .await
}
