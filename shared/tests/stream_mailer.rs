//! The mail path's functions on real records: the table's stream read from the emulator with
//! GetRecords and handed to the mail-queue function, whose requests go through the emulator's
//! SQS to the mailer function, answered with partial batch failures at each step.

use people_first::testing as support;

use async_trait::async_trait;
use people_first::adapters::clock::ManualClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::sqs::SqsQueue;
use people_first::domain::Timestamp;
use people_first::events::mailer::{MailerState, handle_mail_requests};
use people_first::events::stream::{MailQueueState, handle_stream_batch};
use people_first::http::sign::SignState;
use people_first::ports::Clock;
use people_first::ports::{MailError, MailQueue, MailRequest, Mailer, OutgoingEmail};
use people_first::use_cases::sending::Pace;
use people_first::use_cases::unproven::UnprovenMail;
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
            return Err(MailError::Unavailable("down".into()));
        }
        self.ses.send(email).await
    }
}

async fn sign(store: &StoreUnderTest, clock: &Arc<ManualClock>, email: &str) {
    let state = SignState {
        store: store.store.clone(),
        partners: Arc::new(support::NoPartners),
        keyring: Arc::new(support::keyring()),
        clock: clock.clone(),
        challenge: None,
        answer_time: people_first::http::answer_time::AnswerTime::AT_ONCE,
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

fn parts(store: &StoreUnderTest) -> (&aws_config::SdkConfig, &str) {
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!("these tests run on AWS's parts")
    };
    (config, table)
}

/// The mail-queue function on a stream event: the ids of the records to retry.
async fn queue(
    queue: Box<dyn MailQueue>,
    event: aws_lambda_events::dynamodb::Event,
) -> Vec<String> {
    let state = MailQueueState { queue };
    let invocation = lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
    let answer = handle_stream_batch(&state, invocation).await.unwrap();
    answer
        .batch_item_failures
        .into_iter()
        .filter_map(|f| f.item_identifier)
        .collect()
}

/// Everything in the table's stream so far, queued through the mail-queue function.
async fn queue_the_stream(store: &StoreUnderTest, url: &str) {
    let (config, table) = parts(store);
    let event = support::stream::read_event(config, table).await;
    let event = support::stream::as_mapped(event, "MailQueueFunction");
    let failures = queue(Box::new(SqsQueue::from_sdk_config(config, url)), event).await;
    assert!(failures.is_empty(), "{failures:?}");
}

/// The mailer function over what waits in the queue: the message ids it gave back.
async fn mail(store: &StoreUnderTest, url: &str, mailer: Box<dyn Mailer>) -> Vec<String> {
    let (config, table) = parts(store);
    let state = MailerState {
        mailer,
        store: Box::new(DynamoStore::from_sdk_config(config, table)),
        supporters: Box::new(DynamoStore::from_sdk_config(config, table)),
        domains: Box::new(support::mail_domains()),
        health: Box::new(store.health.clone()),
        unproven: Arc::new(UnprovenMail::unmetered()),
        clock: Box::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000))),
        keyring: support::keyring(),
        settings: support::mail_settings(),
        pace: Pace::unlimited(),
    };
    support::queue::deliver(config, url, |event| handle_mail_requests(&state, event)).await
}

#[tokio::test]
async fn a_failed_send_goes_back_to_the_queue_and_the_retry_sends_each_email_once() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let url = ses.queue.clone().unwrap();
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let (first, second, third) = (address("first"), address("second"), address("third"));
    for email in [&first, &second, &third] {
        sign(&store, &clock, email).await;
    }
    queue_the_stream(&store, &url).await;

    let flaky = Box::new(DownFor {
        ses: ses.mailer.clone(),
        recipient: second.clone(),
    });
    let failures = mail(&store, &url, flaky).await;
    assert_eq!(failures.len(), 1, "only the failed email goes back");
    assert_eq!(ses.sent_to(&first).await.len(), 1);
    assert_eq!(
        ses.sent_to(&third).await.len(),
        1,
        "a failure holds back no other email"
    );
    assert!(ses.sent_to(&second).await.is_empty());

    // The queue brings the failed message back.
    assert!(
        mail(&store, &url, Box::new(Arc::clone(&ses.mailer)))
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
async fn a_request_queued_twice_is_mailed_once() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let url = ses.queue.clone().unwrap();
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let email = address("twice");
    sign(&store, &clock, &email).await;
    // A stream batch retried after its queueing half failed queues its requests again.
    queue_the_stream(&store, &url).await;
    queue_the_stream(&store, &url).await;
    assert!(
        mail(&store, &url, Box::new(Arc::clone(&ses.mailer)))
            .await
            .is_empty()
    );
    assert_eq!(ses.sent_to(&email).await.len(), 1);

    // Noting the email sent changed the signature; that change queues nothing.
    let (config, table) = parts(&store);
    let event = support::stream::read_event(config, table).await;
    // The signature's changes, not the mail's health counted beside it.
    let the_signatures = |r: &aws_lambda_events::dynamodb::EventRecord| {
        r.event_name == "MODIFY"
            && !serde_json::to_value(&r.change.keys).unwrap()["pk"]["S"]
                .as_str()
                .unwrap()
                .starts_with("mail-health#")
    };
    let modified = event.records.iter().filter(|r| the_signatures(r)).count();
    assert_eq!(modified, 1, "the signature was changed once, by the mark");
    let mut only_the_mark = event;
    only_the_mark.records.retain(the_signatures);
    let recorder = Arc::new(Recorder::default());
    assert!(
        queue(Box::new(Arc::clone(&recorder)), only_the_mark)
            .await
            .is_empty()
    );
    assert!(recorder.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_signature_confirmed_or_renewed_before_its_turn_gets_no_stale_email() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let url = ses.queue.clone().unwrap();
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let (confirmed, renewed) = (address("confirmed"), address("renewed"));
    sign(&store, &clock, &confirmed).await;
    sign(&store, &clock, &renewed).await;
    let keyring = support::keyring();
    let find = |email: &str| {
        let signer = keyring.signer_key(&people_first::domain::Email::parse(email).unwrap());
        let store = store.store.clone();
        async move { store.find(&signer).await.unwrap().unwrap() }
    };
    let signature = find(&confirmed).await;
    store
        .store
        .confirm(
            &signature.signer,
            &signature.link.secret_hash,
            clock.now(),
            &people_first::ports::Consents::of(&signature),
        )
        .await
        .unwrap();
    // Signing again later gives a fresh link.
    clock.advance(3600);
    sign(&store, &clock, &renewed).await;
    queue_the_stream(&store, &url).await;
    assert!(
        mail(&store, &url, Box::new(Arc::clone(&ses.mailer)))
            .await
            .is_empty()
    );

    assert!(ses.sent_to(&confirmed).await.is_empty());
    let mail = ses.sent_to(&renewed).await;
    assert_eq!(mail.len(), 1, "one email, for the live link");
    let live = find(&renewed).await;
    let token = support::link_token(&mail[0]);
    let secret = people_first::domain::LinkToken::parse(&token).unwrap();
    assert!(live.link.secret_hash.matches(&secret.secret.hash()));
}

/// A queue that keeps what it is given.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<MailRequest>>);

#[async_trait]
impl MailQueue for Recorder {
    async fn enqueue(&self, requests: &[MailRequest]) -> Result<(), MailError> {
        self.0.lock().unwrap().extend_from_slice(requests);
        Ok(())
    }
}

/// A queue that cannot be reached.
struct Unreachable;

#[async_trait]
impl MailQueue for Unreachable {
    async fn enqueue(&self, _: &[MailRequest]) -> Result<(), MailError> {
        Err(MailError::Unavailable("unreachable".into()))
    }
}

#[tokio::test]
async fn a_queue_that_fails_has_the_whole_stream_batch_retried() {
    let store = StoreUnderTest::dynamo().await;
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    sign(&store, &clock, &address("one")).await;
    sign(&store, &clock, &address("two")).await;
    let (config, table) = parts(&store);
    let event = support::stream::read_event(config, table).await;
    let first = event.records[0].change.sequence_number.clone().unwrap();
    assert_eq!(queue(Box::new(Unreachable), event).await, vec![first]);
}

#[tokio::test]
async fn a_message_ses_rejects_is_dropped_rather_than_retried_forever() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let url = ses.queue.clone().unwrap();
    let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
    let email = address("rejected");
    sign(&store, &clock, &email).await;
    queue_the_stream(&store, &url).await;
    let (config, table) = parts(&store);
    // SES refuses a sender it has not verified.
    let mut settings = support::mail_settings();
    settings.sender = "Nobody <unverified@elsewhere.example>".into();
    let state = MailerState {
        mailer: Box::new(people_first::adapters::ses::SesMailer::from_sdk_config(
            config,
        )),
        store: Box::new(DynamoStore::from_sdk_config(config, table)),
        supporters: Box::new(DynamoStore::from_sdk_config(config, table)),
        domains: Box::new(support::mail_domains()),
        health: Box::new(store.health.clone()),
        unproven: Arc::new(UnprovenMail::unmetered()),
        clock: Box::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000))),
        keyring: support::keyring(),
        settings,
        pace: Pace::unlimited(),
    };
    let failures =
        support::queue::deliver(config, &url, |event| handle_mail_requests(&state, event)).await;
    assert!(failures.is_empty());
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
    let (config, table) = parts(&store);
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
    let recorder = Arc::new(Recorder::default());
    assert!(
        queue(Box::new(Arc::clone(&recorder)), event)
            .await
            .is_empty()
    );
    assert!(recorder.0.lock().unwrap().is_empty());
}
