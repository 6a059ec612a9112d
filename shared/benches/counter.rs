//! The counter's costs: the aggregate handler's time per stream record, beside the floor of
//! merely reading the event, and the DynamoDB write units a confirmed signature costs over the
//! whole flow, priced from the table's own stream by DynamoDB's published rules.
//!
//! Run by `tests/bench`, which starts the emulator the write-unit figure needs.

// Counts here are small: converting them to f64 for ratios loses nothing.
#![allow(clippy::cast_precision_loss)]

use async_trait::async_trait;
use aws_lambda_events::dynamodb::{EventRecord, TimeWindowEvent};
use aws_sdk_dynamodb::types::AttributeValue;
use people_first::adapters::clock::SystemClock;
use people_first::domain::{Counter, CounterDelta, SequenceNumber, Timestamp};
use people_first::events::stream::{AggregateState, handle_count_batch};
use people_first::ports::{CounterStore, StoreError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use people_first::testing as support;

const RECORDS: usize = 1000;
const RUNS: usize = 31;

/// Keeps the counter in memory, so the handler's own work is what is timed.
#[derive(Default)]
struct CounterInMemory(Mutex<(Counter, Option<SequenceNumber>)>);

#[async_trait]
impl CounterStore for CounterInMemory {
    async fn read_counter(&self) -> Result<Counter, StoreError> {
        Ok(self.0.lock().unwrap().0.clone())
    }
    async fn checkpoint(&self, _: &str) -> Result<Option<SequenceNumber>, StoreError> {
        Ok(self.0.lock().unwrap().1.clone())
    }
    async fn apply(
        &self,
        _: &str,
        _: Option<&SequenceNumber>,
        to: &SequenceNumber,
        delta: &CounterDelta,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut state = self.0.lock().unwrap();
        state.0.apply(delta, at);
        state.1 = Some(to.clone());
        Ok(true)
    }
    async fn replace_counter(&self, _: &Counter, _: &Counter) -> Result<bool, StoreError> {
        Ok(false)
    }
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// A stream batch of confirmations, as JSON, the way Lambda hands it over.
fn confirmation_batch() -> String {
    let records: Vec<EventRecord> = (0..RECORDS)
        .map(|n| {
            let pending = support::pending_signature(
                &format!("signer{n}@example.org"),
                ["UA", "PL", "DE"][n % 3],
            );
            let signer = pending.signer;
            let mut confirmed = pending.clone();
            confirmed.status = people_first::domain::SignatureStatus::Confirmed;
            confirmed.email = None;
            let mut record = EventRecord::default();
            record.event_name = "MODIFY".into();
            record.change.keys =
                serde_dynamo::to_item(HashMap::from([("pk", signer.to_hex())])).unwrap();
            record.change.old_image = serde_dynamo::to_item(&pending).unwrap();
            record.change.new_image = serde_dynamo::to_item(&confirmed).unwrap();
            record.change.sequence_number = Some(format!(
                "{:021}",
                100_000_000_000_000_000_000_u128 + n as u128
            ));
            record
        })
        .collect();
    let mut event = TimeWindowEvent::default();
    event.dynamo_db_event.records = records;
    event.time_window_properties.shard_id = Some("shardId-00000001".into());
    serde_json::to_string(&event).unwrap()
}

async fn time_per_record() -> (f64, f64) {
    let json = confirmation_batch();
    let mut floor = Vec::new();
    let mut handler = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let event: TimeWindowEvent = serde_json::from_str(&json).unwrap();
        floor.push(started.elapsed().as_secs_f64());
        std::hint::black_box(event);

        let state = AggregateState {
            counter: Box::new(CounterInMemory::default()),
            clock: Box::new(SystemClock),
        };
        let started = Instant::now();
        let event: TimeWindowEvent = serde_json::from_str(&json).unwrap();
        let invocation =
            lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
        let answer = handle_count_batch(&state, invocation).await.unwrap();
        handler.push(started.elapsed().as_secs_f64());
        assert!(answer.batch_item_failures.is_empty());
        assert_eq!(
            state.counter.read_counter().await.unwrap().total(),
            RECORDS as u64
        );
    }
    let per_record = |samples: Vec<f64>| median(samples) / RECORDS as f64 * 1e9;
    (per_record(handler), per_record(floor))
}

/// DynamoDB's size of a stored value, by its published rules.
fn value_bytes(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => {
            let digits = n
                .trim_start_matches('-')
                .chars()
                .filter(char::is_ascii_digit)
                .count();
            digits.div_ceil(2) + 1
        }
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::M(m) => {
            3 + m
                .iter()
                .map(|(k, v)| k.len() + value_bytes(v) + 1)
                .sum::<usize>()
        }
        AttributeValue::L(l) => 3 + l.iter().map(|v| value_bytes(v) + 1).sum::<usize>(),
        _ => 1,
    }
}

fn item_bytes(item: &HashMap<String, AttributeValue>) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_bytes(value))
        .sum()
}

/// One unit per started kilobyte of the larger image, twice that inside a transaction.
fn write_units(record: &EventRecord) -> usize {
    // The emulator streams an UpdateItem that creates an item as two INSERTs, the first with
    // the key alone; DynamoDB streams one. The first is no write of its own.
    let key_alone = record.change.new_image.len() == record.change.keys.len();
    if record.event_name == "INSERT" && key_alone {
        return 0;
    }
    let image = |i: &serde_dynamo::Item| -> HashMap<String, AttributeValue> { i.clone().into() };
    let bytes = item_bytes(&image(&record.change.old_image))
        .max(item_bytes(&image(&record.change.new_image)));
    let units = bytes.div_ceil(1024).max(1);
    // The counter and the checkpoints are only ever written in the aggregate's transactions;
    // signatures and mailbox counts by single writes.
    if matches!(kind_of(record).as_str(), "counter" | "checkpoint") {
        units * 2
    } else {
        units
    }
}

/// What an item is, from its key: a signature, or the prefix of any other item's key.
fn kind_of(record: &EventRecord) -> String {
    let key: HashMap<String, AttributeValue> = record.change.keys.clone().into();
    let pk = key
        .get("pk")
        .and_then(|k| k.as_s().ok())
        .cloned()
        .unwrap_or_default();
    if people_first::domain::SignerKey::from_hex(&pk).is_ok() {
        "signature".to_owned()
    } else {
        pk.split('#').next().unwrap_or_default().to_owned()
    }
}

async fn write_units_per_confirmed_signature(signers: usize, batch: usize) -> f64 {
    let stack = support::stack::Stack::aws().await;
    let addresses: Vec<String> = (0..signers)
        .map(|n| support::stack::address(&format!("signer{n}")))
        .collect();
    for email in &addresses {
        let body = serde_json::json!({ "name": "Оксана Петренко", "email": email, "country": "UA", "locale": "uk" });
        assert_eq!(stack.sign_json(&body).await.status, 202);
    }
    assert_eq!(stack.run_mailer().await, None);
    let sent: HashMap<String, support::Delivered> = support::emulator_sent_mail()
        .await
        .into_iter()
        .map(|m| (m.to.clone(), m))
        .collect();
    for email in &addresses {
        assert_eq!(
            stack
                .confirm_json(&support::link_token(&sent[email]))
                .await
                .status,
            200
        );
    }
    let support::Feed::Dynamo { config, table } = &stack.store.feed else {
        unreachable!()
    };
    let state = AggregateState {
        counter: Box::new(
            people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table),
        ),
        clock: Box::new(SystemClock),
    };
    let records = support::stream::read_event(config, table).await.records;
    for chunk in records.chunks(batch) {
        let mut event = TimeWindowEvent::default();
        event.dynamo_db_event.records = chunk.to_vec();
        event.time_window_properties.shard_id = Some("shardId-00000001".into());
        handle_count_batch(
            &state,
            lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default()),
        )
        .await
        .unwrap();
    }
    assert_eq!(
        state.counter.read_counter().await.unwrap().total(),
        signers as u64
    );
    let every_write = support::stream::read_event(config, table).await.records;
    let units: usize = every_write.iter().map(write_units).sum();
    // Where the units go, by the item's kind (the key's prefix) and the event's name.
    let mut by_kind = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for record in &every_write {
        let entry = by_kind
            .entry(format!("{} {}", kind_of(record), record.event_name))
            .or_default();
        entry.0 += 1;
        entry.1 += write_units(record);
    }
    for (kind, (records, kind_units)) in by_kind {
        println!("  {kind:<32} {records:>6} records {kind_units:>6} units");
    }
    units as f64 / signers as f64
}

#[tokio::main]
async fn main() {
    let (handler_ns, floor_ns) = time_per_record().await;
    println!("aggregate handler, per record (median of {RUNS} batches of {RECORDS}):");
    println!("  handler        {handler_ns:>8.0} ns");
    println!("  floor (read)   {floor_ns:>8.0} ns   (deserialising the event alone)");
    println!("  ratio          {:>8.2}", handler_ns / floor_ns);
    let signers = 500;
    let mut worst: f64 = 0.0;
    for batch in [100, 1000] {
        let wcu = write_units_per_confirmed_signature(signers, batch).await;
        println!(
            "write units per confirmed signature, {signers} signers, stream batches of {batch}: {wcu:.3} (budget 2.05)"
        );
        worst = worst.max(wcu);
    }
    // For `target/bench/results.json`: the worse of the two batch sizes.
    let report = serde_json::json!({
        "wcu_per_signature": worst,
        "aggregate_ns_per_record": handler_ns,
        "aggregate_floor_ns_per_record": floor_ns,
    });
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("counter.json"),
        serde_json::to_vec_pretty(&report).unwrap(),
    )
    .unwrap();
}
