//! The counter on DynamoDB: one item with a number per country and per source, moved only by transactions
//! that also move the shard's checkpoint, and a full scan for staff recounts.

use super::dynamo::{DynamoStore, Item, decode, unavailable};
use crate::domain::{Counter, CounterDelta, Country, SequenceNumber, SignerKey, Source, Timestamp};
use crate::ports::{CounterStore, SignaturePage, SignatureScan, StoreError};
use async_trait::async_trait;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use std::collections::BTreeMap;

const COUNTER_KEY: &str = "counter";
/// Each country's count is its own top-level number, so `ADD` can create and move it; each
/// source's too.
const COUNTRY_PREFIX: &str = "c_";
const SOURCE_PREFIX: &str = "s_";

fn checkpoint_key(shard: &str) -> AttributeValue {
    AttributeValue::S(format!("checkpoint#{shard}"))
}

fn number(value: &impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn read_number(item: &Item, name: &str) -> Option<i64> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
}

/// The positive counts of the item's attributes named `prefix` and a key `parse` reads.
fn counts<K: Ord>(
    item: &Item,
    prefix: &str,
    parse: impl Fn(&str) -> Option<K>,
) -> BTreeMap<K, u64> {
    item.iter()
        .filter_map(|(name, value)| {
            let key = parse(name.strip_prefix(prefix)?)?;
            let count: u64 = value.as_n().ok()?.parse().ok()?;
            (count > 0).then_some((key, count))
        })
        .collect()
}

fn counter_of(item: &Item) -> Counter {
    Counter {
        countries: counts(item, COUNTRY_PREFIX, |code| Country::parse(code).ok()),
        sources: counts(item, SOURCE_PREFIX, |code| Source::parse(code).ok()),
        updated_at: read_number(item, "updated_at").map(Timestamp::from_unix_seconds),
        revision: read_number(item, "revision")
            .and_then(|r| u64::try_from(r).ok())
            .unwrap_or(0),
    }
}

impl DynamoStore {
    fn counter_update(&self, delta: &CounterDelta, at: Timestamp) -> Result<Update, StoreError> {
        let mut adds = vec!["revision :one".to_owned()];
        let mut update = Update::builder()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(COUNTER_KEY.into()))
            .expression_attribute_values(":one", number(&1))
            .expression_attribute_values(":at", number(&at.unix_seconds()));
        let moves = (delta.countries.iter())
            .map(|(country, by)| (format!("{COUNTRY_PREFIX}{}", country.code()), by))
            .chain(
                (delta.sources.iter())
                    .map(|(source, by)| (format!("{SOURCE_PREFIX}{}", source.code()), by)),
            );
        for (i, (attribute, by)) in moves.enumerate() {
            adds.push(format!("#c{i} :c{i}"));
            update = update
                .expression_attribute_names(format!("#c{i}"), attribute)
                .expression_attribute_values(format!(":c{i}"), number(&by));
        }
        update
            .update_expression(format!("ADD {} SET updated_at = :at", adds.join(", ")))
            .build()
            .map_err(StoreError::unavailable)
    }
}

#[async_trait]
impl CounterStore for DynamoStore {
    async fn read_counter(&self) -> Result<Counter, StoreError> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(COUNTER_KEY.into()))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(answer.item.as_ref().map(counter_of).unwrap_or_default())
    }

    async fn checkpoint(&self, shard: &str) -> Result<Option<SequenceNumber>, StoreError> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", checkpoint_key(shard))
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(answer
            .item
            .as_ref()
            .and_then(|item| item.get("seq"))
            .and_then(|v| v.as_s().ok())
            .and_then(|s| SequenceNumber::parse(s)))
    }

    async fn apply(
        &self,
        shard: &str,
        from: Option<&SequenceNumber>,
        to: &SequenceNumber,
        delta: &CounterDelta,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut checkpoint = Update::builder()
            .table_name(&self.table)
            .key("pk", checkpoint_key(shard))
            .update_expression("SET seq = :to")
            .expression_attribute_values(":to", AttributeValue::S(to.as_str().to_owned()));
        checkpoint = match from {
            None => checkpoint.condition_expression("attribute_not_exists(seq)"),
            Some(from) => checkpoint
                .condition_expression("seq = :from")
                .expression_attribute_values(":from", AttributeValue::S(from.as_str().to_owned())),
        };
        let checkpoint = checkpoint.build().map_err(StoreError::unavailable)?;
        let result = self
            .client
            .transact_write_items()
            .transact_items(
                TransactWriteItem::builder()
                    .update(self.counter_update(delta, at)?)
                    .build(),
            )
            .transact_items(TransactWriteItem::builder().update(checkpoint).build())
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) => match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(cancelled))
                    if cancelled
                        .cancellation_reasons()
                        .iter()
                        .any(|r| r.code() == Some("ConditionalCheckFailed")) =>
                {
                    Ok(false)
                }
                _ => Err(unavailable(e)),
            },
        }
    }

    async fn replace_counter(&self, seen: &Counter, recount: &Counter) -> Result<bool, StoreError> {
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", AttributeValue::S(COUNTER_KEY.into()))
            .item("revision", number(&(seen.revision + 1)))
            .item(
                "updated_at",
                number(&recount.updated_at.map_or(0, Timestamp::unix_seconds)),
            );
        for (country, count) in &recount.countries {
            put = put.item(
                format!("{COUNTRY_PREFIX}{}", country.code()),
                number(&count),
            );
        }
        for (source, count) in &recount.sources {
            put = put.item(format!("{SOURCE_PREFIX}{}", source.code()), number(&count));
        }
        put = if seen.revision == 0 {
            put.condition_expression("attribute_not_exists(revision)")
        } else {
            put.condition_expression("revision = :seen")
                .expression_attribute_values(":seen", number(&seen.revision))
        };
        match put.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(PutItemError::ConditionalCheckFailedException(_))
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(unavailable(e)),
        }
    }
}

#[async_trait]
impl SignatureScan for DynamoStore {
    async fn scan(&self, from: Option<String>) -> Result<SignaturePage, StoreError> {
        let mut request = self
            .client
            .scan()
            .table_name(&self.table)
            .consistent_read(true);
        if let Some(from) = from {
            request = request.exclusive_start_key("pk", AttributeValue::S(from));
        }
        let answer = request.send().await.map_err(unavailable)?;
        let (mut signatures, mut erased, mut mailbox_days) = (Vec::new(), Vec::new(), Vec::new());
        for item in answer.items.unwrap_or_default() {
            // The counter and the checkpoints share the table; only signers' keys are signatures.
            let pk = item.get("pk").and_then(|k| k.as_s().ok()).cloned();
            match pk {
                Some(pk) if SignerKey::from_hex(&pk).is_ok() => signatures.push(decode(item)?),
                Some(pk) if pk.starts_with(super::dynamo::ERASED_CONSENT_PREFIX) => erased.push(
                    serde_dynamo::from_item(item)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                ),
                Some(pk) if pk.starts_with(super::dynamo::MAILBOX_DAY_PREFIX) => {
                    mailbox_days.extend(super::dynamo::mailbox_day_count(&pk, &item));
                }
                _ => {}
            }
        }
        let next = answer
            .last_evaluated_key
            .and_then(|key| key.get("pk").and_then(|k| k.as_s().ok()).cloned());
        Ok(SignaturePage {
            signatures,
            erased,
            mailbox_days,
            next,
        })
    }
}
