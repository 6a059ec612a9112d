//! `POST /api/sign`, and the form framed on partners' pages (`/api/frame`), on AWS Lambda.

use lambda_http::Error;
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::partners::ApprovedPartners;
use people_first::http::answer_time::AnswerTime;
use people_first::http::lambda;
use people_first::http::sign::{self, SignState};
use people_first::{config, telemetry};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    // The secrets in one round trip's time.
    let (keyring, edge, challenge) = tokio::try_join!(
        config::keyring(&aws),
        config::edge_secret(&aws),
        config::challenge(Some(&aws))
    )?;
    let store = Arc::new(DynamoStore::from_sdk_config(&aws, config::table()?));
    let clock = Arc::new(SystemClock);
    let state = SignState {
        store: store.clone(),
        partners: Arc::new(ApprovedPartners::new(store, clock.clone())),
        keyring: Arc::new(keyring),
        clock,
        challenge,
        answer_time: config::answer_time(AnswerTime::ON_AWS)?,
    };
    let origins = config::sign_origins()?;
    lambda::run(|request| edge.guard(request, |request| sign::route(&state, &origins, request)))
        .await
}
