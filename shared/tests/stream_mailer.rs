//! The mailer function's handler on real stream records: read from the emulator's table stream
//! with GetRecords, shaped into the Lambda event, and answered with partial batch failures.

mod support;

use async_trait::async_trait;
use people_first::clock::{Clock, ManualClock};
use people_first::domain::Timestamp;
use people_first::http::sign::SignState;
use people_first::ports::{MailError, Mailer, OutgoingEmail};
use people_first::stream::{MailerState, handle_stream_batch};
use std::sync::Arc;
use support::stack::address;
use support::{Feed, MailerUnderTest, StoreUnderTest};

/// SES, except that it is down for one recipient.
struct DownFor {
    ses: Arc<dyn Mailer>,
    recipient: String,
}

#[async_trait]
impl Mailer for DownFor {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        if email.to.as_str() == self.recipient {
            return Err(MailError::Unavailable("throttled".into()));
        }
        self.ses.send(email).await
    }
}

async fn sign(store: &StoreUnderTest, clock: &Arc<ManualClock>, email: &str) {
    let state = SignState {
        store: store.store.clone(),
        keyring: Arc::new(support::keyring()),
        clock: clock.clone(),
        challenge: None,
    };
    let body =
        serde_json::json!({ "name": "Anna", "email": email, "country": "PL", "locale": "en" });
    let request = support::stack::request(
        "POST",
        "/api/sign",
        Some("application/json"),
        &body.to_string(),
    );
    let answer = people_first::http::sign::handle_sign(&state, request)
        .await
        .unwrap();
    assert_eq!(answer.status(), 202);
}

async fn invoke(mailer: Box<dyn Mailer>, event: aws_lambda_events::dynamodb::Event) -> Vec<String> {
    let state = MailerState {
        mailer,
        keyring: support::keyring(),
        settings: support::mail_settings(),
    };
    let invocation = lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
    let answer = handle_stream_batch(&state, invocation).await.unwrap();
    answer
        .batch_item_failures
        .into_iter()
        .filter_map(|f| f.item_identifier)
        .collect()
}

#[tokio::test]
async fn a_failed_send_is_reported_by_its_sequence_number_and_the_retry_sends_each_email_once() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let (first, second, third) = (address("first"), address("second"), address("third"));
    for email in [&first, &second, &third] {
        sign(&store, &clock, email).await;
    }
    let event = support::stream::read_event(config, table).await;
    assert_eq!(event.records.len(), 3);
    let sequence_numbers: Vec<String> = event
        .records
        .iter()
        .map(|r| r.change.sequence_number.clone().unwrap())
        .collect();

    let flaky = Box::new(DownFor {
        ses: ses.mailer.clone(),
        recipient: second.clone(),
    });
    let failures = invoke(flaky, event.clone()).await;
    assert_eq!(
        failures,
        vec![sequence_numbers[1].clone()],
        "the first failed record is reported"
    );
    assert_eq!(ses.sent_to(&first).await.len(), 1);
    assert!(
        ses.sent_to(&third).await.is_empty(),
        "records after the failure wait for the retry"
    );

    // The event source mapping retries from the reported record on.
    let mut retry = event;
    retry.records.drain(..1);
    assert!(
        invoke(Box::new(Arc::clone(&ses.mailer)), retry)
            .await
            .is_empty()
    );
    for email in [&first, &second, &third] {
        assert_eq!(
            ses.sent_to(email).await.len(),
            1,
            "{email} got exactly one email"
        );
    }
}

#[tokio::test]
async fn a_confirmation_or_an_unchanged_link_sends_nothing() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let email = address("once");
    sign(&store, &clock, &email).await;
    let signature = store
        .store
        .find(&support::keyring().signer_key(&people_first::domain::Email::parse(&email).unwrap()))
        .await
        .unwrap()
        .unwrap();
    store
        .store
        .confirm(
            &signature.signer,
            &signature.secret_hash,
            clock.now(),
            false,
        )
        .await
        .unwrap();
    let event = support::stream::read_event(config, table).await;
    assert_eq!(event.records.len(), 2);
    assert_eq!(event.records[1].event_name, "MODIFY");
    assert!(
        invoke(Box::new(Arc::clone(&ses.mailer)), event)
            .await
            .is_empty()
    );
    assert_eq!(
        ses.sent_to(&email).await.len(),
        1,
        "only the new signature was mailed"
    );
}

#[tokio::test]
async fn a_message_ses_rejects_is_dropped_rather_than_retried_forever() {
    let store = StoreUnderTest::dynamo().await;
    let _ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let email = address("rejected");
    sign(&store, &clock, &email).await;
    let event = support::stream::read_event(config, table).await;
    // SES refuses a sender it has not verified.
    let mut settings = support::mail_settings();
    settings.sender = "Nobody <unverified@elsewhere.example>".into();
    let state = MailerState {
        mailer: Box::new(people_first::adapters::ses::SesMailer::from_sdk_config(
            config,
        )),
        keyring: support::keyring(),
        settings,
    };
    let invocation = lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
    let answer = handle_stream_batch(&state, invocation).await.unwrap();
    assert!(answer.batch_item_failures.is_empty());
    assert!(
        support::emulator_sent_mail()
            .await
            .iter()
            .all(|m| m.to != email)
    );
}

#[tokio::test]
async fn records_that_are_not_signatures_are_skipped() {
    let store = StoreUnderTest::dynamo().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    aws_sdk_dynamodb::Client::new(config)
        .put_item()
        .table_name(table)
        .item(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S("counter".into()),
        )
        .item(
            "total",
            aws_sdk_dynamodb::types::AttributeValue::N("0".into()),
        )
        .send()
        .await
        .unwrap();
    let event = support::stream::read_event(config, table).await;
    assert_eq!(event.records.len(), 1);
    let ses = MailerUnderTest::ses().await;
    assert!(
        invoke(Box::new(Arc::clone(&ses.mailer)), event)
            .await
            .is_empty()
    );
}
