//! The whole flow while a twentieth of the calls to DynamoDB and SES fail (throttled, 500, or
//! carried out with the answer lost), stream batches are redelivered, and handlers are killed
//! mid-batch. Nothing accepted is lost, no signer sees a 500, every pending signature is mailed,
//! and the counter equals the confirmed signatures.

use people_first::testing as support;

use aws_lambda_events::dynamodb::{EventRecord, TimeWindowEvent};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::partners::ApprovedPartners;
use people_first::adapters::ses::SesMailer;
use people_first::adapters::sqs::SqsQueue;
use people_first::domain::{Email, SignatureStatus};
use people_first::events::mailer::{MailerState, handle_mail_requests};
use people_first::events::stream::{
    AggregateState, MailQueueState, handle_count_batch, handle_stream_batch,
};
use people_first::http::confirm::{ConfirmState, handle_confirm};
use people_first::http::sign::{SignState, handle_sign};
use people_first::ports::{CounterStore, SignatureMailing, SignatureScan};
use people_first::use_cases::sending::Pace;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::Duration;
use support::faults::{FaultyProxy, aws_through};
use support::stack::{address, request};

const SIGNERS: usize = 150;
const FAULT_RATE: f64 = 0.05;
/// Redeliveries are bounded, as an event source mapping's retries are.
const ATTEMPTS: usize = 200;

fn answer(response: &lambda_http::Response<lambda_http::Body>) -> (u16, Option<String>) {
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry_after)
}

/// Delivers `records` as the event source mapping does: in batches, again from the first
/// reported failure, and once with the handler killed mid-batch.
async fn deliver<F, Fut>(records: &[EventRecord], batch: usize, random: &mut StdRng, mut handler: F)
where
    F: FnMut(Vec<EventRecord>) -> Fut,
    Fut: Future<Output = Option<String>>,
{
    let mut start = 0;
    let mut killed = false;
    for _ in 0..ATTEMPTS {
        if start >= records.len() {
            return;
        }
        let chunk = records[start..(start + batch).min(records.len())].to_vec();
        if !killed && random.random_bool(0.3) {
            killed = true;
            let _ = tokio::time::timeout(Duration::from_millis(2), handler(chunk)).await;
            continue; // the whole batch comes again
        }
        match handler(chunk.clone()).await {
            None => start += chunk.len(),
            Some(failed) => {
                start += chunk
                    .iter()
                    .position(|r| r.change.sequence_number.as_deref() == Some(failed.as_str()))
                    .unwrap();
            }
        }
    }
    panic!("the stream was not drained in {ATTEMPTS} deliveries");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[allow(clippy::too_many_lines)] // one flow, from the first signature to the count
async fn nothing_accepted_is_lost_while_a_twentieth_of_aws_calls_fail() {
    let seed: u64 = rand::random();
    let mut random = StdRng::seed_from_u64(seed);
    let direct = support::aws().await;
    let table = support::fresh_table(&direct).await;
    let ses = support::MailerUnderTest::ses().await;
    let queue = ses.queue.clone().unwrap();
    let proxy = FaultyProxy::start(support::emulator(), FAULT_RATE, seed).await;
    let faulty = aws_through(&proxy.endpoint).await;
    let store = Arc::new(DynamoStore::from_sdk_config(&faulty, &table));
    let truth = DynamoStore::from_sdk_config(&direct, &table);
    let keyring = Arc::new(support::keyring());

    // Signing: every answer is a 202 or a 503 with Retry-After.
    let sign = SignState {
        store: store.clone(),
        partners: Arc::new(ApprovedPartners::new(store.clone(), Arc::new(SystemClock))),
        keyring: keyring.clone(),
        clock: Arc::new(SystemClock),
        challenge: None,
        answer_time: people_first::http::answer_time::AnswerTime::AT_ONCE,
    };
    let mut accepted = Vec::new();
    let mut refused = 0;
    for n in 0..SIGNERS {
        let email = address(&format!("faulty{n}"));
        let country = ["UA", "PL", "DE"][n % 3];
        let body = serde_json::json!({ "name": "Anna", "email": email, "country": country, "locale": "en" });
        let signing = request(
            "POST",
            "/api/sign",
            Some("application/json"),
            &body.to_string(),
        );
        let (status, retry_after) = answer(&handle_sign(&sign, signing).await.unwrap());
        match status {
            202 => accepted.push(email),
            503 => {
                assert!(
                    retry_after.is_some(),
                    "a 503 says when to retry (seed {seed})"
                );
                refused += 1;
            }
            other => panic!("signing answered {other} (seed {seed})"),
        }
    }
    for email in &accepted {
        let signer = keyring.signer_key(&Email::parse(email).unwrap());
        assert!(
            truth.find(&signer).await.unwrap().is_some(),
            "an accepted signature is stored (seed {seed})"
        );
    }

    // Mail, queued through SQS and sent through SES, all behind the same faults.
    let records = support::stream::read_event(&direct, &table).await.records;
    let queueing = MailQueueState {
        queue: Box::new(SqsQueue::from_sdk_config(&faulty, &queue)),
    };
    deliver(&records, 25, &mut random, |chunk| {
        let mut event = aws_lambda_events::dynamodb::Event::default();
        event.records = chunk;
        let queueing = &queueing;
        async move {
            let answer = handle_stream_batch(
                queueing,
                lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default()),
            )
            .await
            .unwrap();
            answer
                .batch_item_failures
                .first()
                .and_then(|f| f.item_identifier.clone())
        }
    })
    .await;
    let mailer = MailerState {
        mailer: Box::new(SesMailer::from_sdk_config(&faulty)),
        store: Box::new(DynamoStore::from_sdk_config(&faulty, &table)),
        supporters: Box::new(DynamoStore::from_sdk_config(&faulty, &table)),
        domains: Box::new(support::mail_domains()),
        health: Box::new(DynamoStore::from_sdk_config(&faulty, &table)),
        unproven: std::sync::Arc::new(people_first::use_cases::unproven::UnprovenMail::unmetered()),
        clock: Box::new(people_first::adapters::clock::SystemClock),
        keyring: support::keyring(),
        settings: support::mail_settings(),
        pace: Pace::unlimited(),
    };
    let mut drained = false;
    for _ in 0..ATTEMPTS {
        let failed = support::queue::deliver(&direct, &queue, |event| {
            handle_mail_requests(&mailer, event)
        })
        .await;
        if failed.is_empty() && support::queue::is_empty(&direct, &queue).await {
            drained = true;
            break;
        }
    }
    assert!(drained, "the mail queue was drained (seed {seed})");
    let sent = support::emulator_sent_mail().await;
    let mut tokens = Vec::new();
    for email in &accepted {
        let mail = sent.iter().rfind(|m| &m.to == email);
        let mail = mail.unwrap_or_else(|| panic!("{email} was never mailed (seed {seed})"));
        tokens.push(support::link_token(mail));
    }

    // Confirming, pressing again after a 503 as a person would.
    let confirm = ConfirmState {
        store: store.clone(),
        clock: Arc::new(SystemClock),
    };
    for token in &tokens {
        let body = serde_json::json!({ "t": token }).to_string();
        let mut confirmed = false;
        for _ in 0..10 {
            let pressing = request("POST", "/api/confirm", Some("application/json"), &body);
            let (status, retry_after) = answer(&handle_confirm(&confirm, pressing).await.unwrap());
            match status {
                200 => {
                    confirmed = true;
                    break;
                }
                503 => assert!(retry_after.is_some()),
                other => panic!("confirming answered {other} (seed {seed})"),
            }
        }
        assert!(
            confirmed,
            "a confirmation got through within ten presses (seed {seed})"
        );
    }

    // Counting, through the same faults, with redeliveries and a killed handler.
    let records = support::stream::read_event(&direct, &table).await.records;
    let aggregate = AggregateState {
        counter: Box::new(DynamoStore::from_sdk_config(&faulty, &table)),
        clock: Box::new(SystemClock),
    };
    deliver(&records, 40, &mut random, |chunk| {
        let mut event = TimeWindowEvent::default();
        event.dynamo_db_event.records = chunk;
        event.time_window_properties.shard_id = Some("shardId-00000001".into());
        let aggregate = &aggregate;
        async move {
            let answer = handle_count_batch(
                aggregate,
                lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default()),
            )
            .await
            .unwrap();
            answer
                .batch_item_failures
                .first()
                .and_then(|f| f.item_identifier.clone())
        }
    })
    .await;

    let mut confirmed = 0;
    let mut from = None;
    loop {
        let page = truth.scan(from).await.unwrap();
        confirmed += page
            .signatures
            .iter()
            .filter(|s| s.status == SignatureStatus::Confirmed)
            .count() as u64;
        match page.next {
            Some(next) => from = Some(next),
            None => break,
        }
    }
    assert_eq!(
        confirmed,
        accepted.len() as u64,
        "every accepted signature was confirmed (seed {seed})"
    );
    assert_eq!(
        truth.read_counter().await.unwrap().total(),
        confirmed,
        "the count is exact (seed {seed})"
    );
    assert!(accepted.len() + refused == SIGNERS);
    let injected = proxy.injected.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        injected > 20,
        "the proxy failed {injected} calls: the faults really happened"
    );
    aws_sdk_dynamodb::Client::new(&direct)
        .delete_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
}
