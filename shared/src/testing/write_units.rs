//! What a confirmed signature costs in DynamoDB write units, priced from the table's own stream
//! by DynamoDB's published rules, for a fixed flow through the real handlers on the emulator.
//! `tests/run` holds it to the budget; `tests/bench` reports it beside where the units go.

// Counts here are small: as f64 for ratios they lose nothing.
#![allow(clippy::cast_precision_loss)]

use super::stack::{Stack, address};
use super::{Delivered, Feed, emulator_sent_mail, link_token};
use aws_lambda_events::dynamodb::{EventRecord, TimeWindowEvent};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::{BTreeMap, HashMap};

/// Write units a confirmed signature may cost. Four writes of an item under a kilobyte: the
/// pending signature, its mailbox's count for the day, the mark that its email went out, and
/// the confirmation; plus the counter's transaction, shared by a batch of the stream (0.04 at
/// 100 records a batch), and the mail's health, one write for each batch the mailer sends. Each of the four is what a guarantee costs (the mailbox limit, an
/// email sent once, the count), and together they are under $3 per million signatures against
/// SES's $100 (BENCHMARKS.md).
pub const BUDGET: f64 = 4.05;

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

/// An item's size: its attributes' names and values.
fn item_bytes(item: &HashMap<String, AttributeValue>) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_bytes(value))
        .sum()
}

/// One unit per started kilobyte of the larger image, twice that inside a transaction.
pub fn write_units(record: &EventRecord) -> usize {
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
pub fn kind_of(record: &EventRecord) -> String {
    let key: HashMap<String, AttributeValue> = record.change.keys.clone().into();
    let pk = key
        .get("pk")
        .and_then(|k| k.as_s().ok())
        .cloned()
        .unwrap_or_default();
    if crate::domain::SignerKey::from_hex(&pk).is_ok() {
        "signature".to_owned()
    } else {
        pk.split('#').next().unwrap_or_default().to_owned()
    }
}

/// The units per confirmed signature, and by item kind and event where they go.
pub struct WriteUnits {
    pub per_signature: f64,
    pub by_kind: BTreeMap<String, f64>,
}

/// `signers` sign through the sign handler, are mailed by the mailer, confirm through the
/// confirm handler, and are counted by the aggregate in stream batches of `batch`: every write
/// the table streamed, priced.
pub async fn per_confirmed_signature(signers: usize, batch: usize) -> WriteUnits {
    let stack = Stack::aws().await;
    let addresses: Vec<String> = (0..signers)
        .map(|n| address(&format!("signer{n}")))
        .collect();
    for email in &addresses {
        let body = serde_json::json!({ "name": "Оксана Петренко", "email": email, "country": "UA", "locale": "uk" });
        assert_eq!(stack.sign_json(&body).await.status, 202);
    }
    assert_eq!(stack.run_mailer().await, None);
    let sent: HashMap<String, Delivered> = emulator_sent_mail()
        .await
        .into_iter()
        .map(|m| (m.to.clone(), m))
        .collect();
    for email in &addresses {
        assert_eq!(
            stack.confirm_json(&link_token(&sent[email])).await.status,
            200
        );
    }
    let Feed::Dynamo { config, table } = &stack.store.feed else {
        unreachable!("Stack::aws runs on DynamoDB")
    };
    let state = crate::events::stream::AggregateState {
        counter: Box::new(crate::adapters::dynamo::DynamoStore::from_sdk_config(
            config, table,
        )),
        clock: Box::new(crate::adapters::clock::SystemClock),
    };
    let records = super::stream::read_event(config, table).await.records;
    for chunk in records.chunks(batch) {
        let mut event = TimeWindowEvent::default();
        event.dynamo_db_event.records = chunk.to_vec();
        event.time_window_properties.shard_id = Some("shardId-00000001".into());
        crate::events::stream::handle_count_batch(
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
    let every_write = super::stream::read_event(config, table).await.records;
    // Units are summed whole and divided once: a sum of fractions drifts past a budget that
    // the units meet exactly.
    let mut units = BTreeMap::<String, usize>::new();
    for record in &every_write {
        *units
            .entry(format!("{} {}", kind_of(record), record.event_name))
            .or_default() += write_units(record);
    }
    WriteUnits::of(units, signers)
}

impl WriteUnits {
    /// Units by kind, shared among `signers`.
    fn of(units: BTreeMap<String, usize>, signers: usize) -> Self {
        let per_signature = |units: usize| units as f64 / signers as f64;
        Self {
            per_signature: per_signature(units.values().sum()),
            by_kind: units
                .into_iter()
                .map(|(kind, units)| (kind, per_signature(units)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(event: &str, pk: &str, attribute_bytes: usize) -> EventRecord {
        let mut record = EventRecord::default();
        record.event_name = event.into();
        let key = HashMap::from([("pk".to_owned(), AttributeValue::S(pk.into()))]);
        let mut item = key.clone();
        // "v" and its value: one byte of name, the rest of value.
        item.insert(
            "v".into(),
            AttributeValue::S("x".repeat(attribute_bytes - 1 - 2 - pk.len())),
        );
        record.change.keys = key.into();
        record.change.new_image = item.into();
        record
    }

    #[test]
    fn units_that_meet_the_budget_exactly_meet_it() {
        // 500 signers' flow in stream batches of 100, as the bench measured it.
        let units = [
            ("checkpoint INSERT", 2),
            ("checkpoint MODIFY", 10),
            ("counter INSERT", 2),
            ("counter MODIFY", 10),
            ("mail-health INSERT", 1),
            ("mailbox INSERT", 500),
            ("signature INSERT", 500),
            ("signature MODIFY", 1000),
        ];
        let units = units.map(|(kind, n)| (kind.to_owned(), n)).into();
        assert!(WriteUnits::of(units, 500).per_signature <= BUDGET);
    }

    #[test]
    fn a_write_costs_a_unit_per_started_kilobyte_twice_in_a_transaction() {
        let signer = "00".repeat(32);
        assert_eq!(write_units(&record("INSERT", &signer, 1024)), 1);
        assert_eq!(write_units(&record("INSERT", &signer, 1025)), 2);
        assert_eq!(write_units(&record("MODIFY", "counter", 100)), 2);
        assert_eq!(
            write_units(&record("MODIFY", "mailbox#ab#2026-12-04", 100)),
            1
        );
    }
}
