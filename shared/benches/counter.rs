//! The counter's costs: the aggregate handler's time per stream record, beside the floor of
//! merely reading the event, and the DynamoDB write units a confirmed signature costs over the
//! whole flow (`testing::write_units`, which `tests/run` holds to the budget).
//!
//! Run by `tests/bench`, which starts the emulator the write-unit figure needs.

// Counts here are small: converting them to f64 for ratios loses nothing.
#![allow(clippy::cast_precision_loss)]

use async_trait::async_trait;
use aws_lambda_events::dynamodb::{EventRecord, TimeWindowEvent};
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

#[tokio::main]
async fn main() {
    let (handler_ns, floor_ns) = time_per_record().await;
    println!("aggregate handler, per record (median of {RUNS} batches of {RECORDS}):");
    println!("  handler        {handler_ns:>8.0} ns");
    println!("  floor (read)   {floor_ns:>8.0} ns   (deserialising the event alone)");
    println!("  ratio          {:>8.2}", handler_ns / floor_ns);
    let signers = 500;
    let mut by_batch = serde_json::Map::new();
    let mut worst: Option<support::write_units::WriteUnits> = None;
    for batch in [100, 1000] {
        let units = support::write_units::per_confirmed_signature(signers, batch).await;
        println!(
            "write units per confirmed signature, {signers} signers, stream batches of {batch}: {:.3} (budget {})",
            units.per_signature,
            support::write_units::BUDGET
        );
        for (kind, per_signature) in &units.by_kind {
            println!("  {kind:<32} {per_signature:>8.3}");
        }
        by_batch.insert(batch.to_string(), units.per_signature.into());
        if worst
            .as_ref()
            .is_none_or(|w| units.per_signature > w.per_signature)
        {
            worst = Some(units);
        }
    }
    let worst = worst.expect("two batch sizes were measured");
    // For `target/bench/results.json`: the worse of the two batch sizes, and where it goes.
    let report = serde_json::json!({
        "wcu_per_signature": worst.per_signature,
        "wcu_budget": support::write_units::BUDGET,
        "by_batch": by_batch,
        "by_kind": worst.by_kind,
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
