//! A thousand confirmations on DynamoDB in the emulator, their real stream records delivered to
//! the aggregate handler in random batches, overlapping and repeated: the count is exact, the
//! staff recount agrees, and an injected drift is found and repaired.

use people_first::testing as support;

use aws_lambda_events::dynamodb::{EventRecord, TimeWindowEvent};
use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::domain::{Country, Signature};
use people_first::events::stream::{AggregateState, handle_count_batch};
use people_first::ports::SignatureStore;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::sync::Arc;
use support::{Feed, StoreUnderTest};

const SIGNERS: usize = 1000;
const COUNTRIES: [&str; 5] = ["UA", "PL", "DE", "FR", "RU"];

fn pending(n: usize) -> Signature {
    support::pending_signature(
        &format!("signer{n}@example.org"),
        COUNTRIES[n % COUNTRIES.len()],
    )
}

async fn deliver(state: &AggregateState, records: &[EventRecord]) {
    let mut event = TimeWindowEvent::default();
    event.dynamo_db_event.records = records.to_vec();
    event.time_window_properties.shard_id = Some("shardId-00000001".into());
    // Through JSON and back, as the runtime hands it over.
    let event: TimeWindowEvent =
        serde_json::from_value(serde_json::to_value(&event).unwrap()).unwrap();
    let answer = handle_count_batch(
        state,
        lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default()),
    )
    .await
    .unwrap();
    assert!(answer.batch_item_failures.is_empty());
}

fn recount_command(table: &str, fix: bool) -> std::process::Output {
    let mut command = std::process::Command::new(support::runtime_api::binary("people-first"));
    command
        .arg("recount")
        .env("PEOPLE_FIRST_TABLE", table)
        .env("AWS_ENDPOINT_URL", support::emulator())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "eu-west-1");
    if fix {
        command.arg("--fix");
    }
    command.output().unwrap()
}

async fn sign_and_confirm_in_random_order(store: &Arc<DynamoStore>, random: &mut StdRng) {
    let signatures: Vec<Signature> = (0..SIGNERS).map(pending).collect();
    for chunk in signatures.chunks(50) {
        let writes: Vec<_> = chunk
            .iter()
            .cloned()
            .map(|s| {
                let store = store.clone();
                tokio::spawn(async move { store.insert_pending(&s).await.unwrap() })
            })
            .collect();
        for write in writes {
            write.await.unwrap();
        }
    }
    let mut order: Vec<&Signature> = signatures.iter().collect();
    order.shuffle(random);
    for chunk in order.chunks(50) {
        let confirms: Vec<_> = chunk
            .iter()
            .map(|s| {
                let (store, s) = (store.clone(), (*s).clone());
                tokio::spawn(async move {
                    store
                        .confirm(
                            &s.signer,
                            &s.link.secret_hash,
                            s.signed_at,
                            &people_first::ports::Consents::of(&s),
                        )
                        .await
                        .unwrap()
                })
            })
            .collect();
        for confirm in confirms {
            assert!(confirm.await.unwrap());
        }
    }
}

async fn deliver_in_random_overlapping_batches(
    state: &AggregateState,
    records: &[EventRecord],
    random: &mut StdRng,
) {
    let mut start = 0;
    let mut delivered = Vec::new();
    while start < records.len() {
        let size = random.random_range(1..=120).min(records.len() - start);
        deliver(state, &records[start..start + size]).await;
        delivered.push(start..start + size);
        // The next batch overlaps this one at random, and now and then an old batch comes again.
        start += random.random_range(size.div_ceil(2)..=size);
        if random.random_bool(0.2) {
            let again = delivered[random.random_range(0..delivered.len())].clone();
            deliver(state, &records[again]).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_confirmations_delivered_in_random_overlapping_batches_count_exactly() {
    let seed: u64 = rand::random();
    let mut random = StdRng::seed_from_u64(seed);
    let subject = StoreUnderTest::dynamo().await;
    let Feed::Dynamo { config, table } = &subject.feed else {
        unreachable!()
    };
    let store = Arc::new(DynamoStore::from_sdk_config(config, table));

    sign_and_confirm_in_random_order(&store, &mut random).await;

    let records = support::stream::read_event(config, table).await.records;
    assert_eq!(records.len(), 2 * SIGNERS);
    let state = AggregateState {
        counter: Box::new(DynamoStore::from_sdk_config(config, table)),
        clock: Box::new(SystemClock),
    };
    deliver_in_random_overlapping_batches(&state, &records, &mut random).await;

    let counter = state.counter.read_counter().await.unwrap();
    assert_eq!(counter.total(), SIGNERS as u64, "seed {seed}");
    let expected: BTreeMap<Country, u64> = COUNTRIES
        .iter()
        .map(|c| {
            (
                Country::parse(c).unwrap(),
                (SIGNERS / COUNTRIES.len()) as u64,
            )
        })
        .collect();
    assert_eq!(counter.countries, expected, "seed {seed}");

    let exact = recount_command(table, false);
    let said = String::from_utf8_lossy(&exact.stdout);
    assert!(
        exact.status.success() && said.contains("The counter is exact."),
        "{said}"
    );
    assert!(said.contains("Ukraine") && said.contains("1000"), "{said}");

    // Drift, as a bug or a hand edit would leave it.
    aws_sdk_dynamodb::Client::new(config)
        .update_item()
        .table_name(table)
        .key(
            "pk",
            aws_sdk_dynamodb::types::AttributeValue::S("counter".into()),
        )
        .update_expression("ADD c_UA :seven, revision :one")
        .expression_attribute_values(
            ":seven",
            aws_sdk_dynamodb::types::AttributeValue::N("7".into()),
        )
        .expression_attribute_values(
            ":one",
            aws_sdk_dynamodb::types::AttributeValue::N("1".into()),
        )
        .send()
        .await
        .unwrap();
    let drifting = recount_command(table, false);
    let said = String::from_utf8_lossy(&drifting.stdout);
    assert!(
        !drifting.status.success() && said.contains("+7") && said.contains("--fix"),
        "{said}"
    );
    let fixed = recount_command(table, true);
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stdout)
    );
    assert_eq!(
        state.counter.read_counter().await.unwrap().countries,
        expected
    );
    assert!(recount_command(table, false).status.success());

    // The emulator reports everything it holds on every read of its sent mail: keep it small
    // for the tests that follow.
    aws_sdk_dynamodb::Client::new(config)
        .delete_table()
        .table_name(table)
        .send()
        .await
        .unwrap();
}
