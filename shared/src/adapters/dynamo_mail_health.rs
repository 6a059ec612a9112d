//! The mail path's health on DynamoDB: an item per five-minute stretch, its counts added to
//! atomically by whoever saw something, and deleted by the table's TTL two days later.

use super::dynamo::{DynamoStore, unavailable};
use crate::domain::Timestamp;
use crate::domain::mail_health::MailHealth;
use crate::ports::{MailHealthHistory, MailHealthStore, StoreError};
use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes};
use std::collections::HashMap;

/// How long a stretch is kept: the guard reads an hour, staff may look at two days.
const KEPT_SECONDS: i64 = 2 * 86_400;
/// Rounds of a batch read that DynamoDB left keys unread in, before giving up.
const READ_ROUNDS: usize = 3;

const PREFIX: &str = "mail-health#";

fn key(stretch: i64) -> AttributeValue {
    AttributeValue::S(format!("{PREFIX}{stretch}"))
}

fn count(n: u64) -> AttributeValue {
    AttributeValue::N(n.to_string())
}

fn read(item: &HashMap<String, AttributeValue>) -> MailHealth {
    let number = |name: &str| {
        item.get(name)
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    MailHealth {
        sent: number("sent"),
        sent_unproven: number("sent_unproven"),
        bounced: number("bounced"),
        complained: number("complained"),
        new_proven: number("new_proven"),
        new_unproven: number("new_unproven"),
    }
}

#[async_trait]
impl MailHealthStore for DynamoStore {
    async fn note_mail(&self, at: Timestamp, seen: &MailHealth) -> Result<(), StoreError> {
        if seen.is_empty() {
            return Ok(());
        }
        let stretch = MailHealth::stretch_of(at);
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", key(stretch))
            .update_expression(
                "ADD sent :sent, sent_unproven :sent_unproven, bounced :bounced, \
                 complained :complained, new_proven :new_proven, new_unproven :new_unproven \
                 SET expires_at = if_not_exists(expires_at, :expires)",
            )
            .expression_attribute_values(":sent", count(seen.sent))
            .expression_attribute_values(":sent_unproven", count(seen.sent_unproven))
            .expression_attribute_values(":bounced", count(seen.bounced))
            .expression_attribute_values(":complained", count(seen.complained))
            .expression_attribute_values(":new_proven", count(seen.new_proven))
            .expression_attribute_values(":new_unproven", count(seen.new_unproven))
            .expression_attribute_values(
                ":expires",
                AttributeValue::N((stretch + KEPT_SECONDS).to_string()),
            )
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn recent_mail(&self, now: Timestamp) -> Result<MailHealth, StoreError> {
        let mut health = MailHealth::default();
        for (_, seen) in self.stretches(MailHealth::stretches_before(now)).await? {
            health.add(&seen);
        }
        Ok(health)
    }
}

#[async_trait]
impl MailHealthHistory for DynamoStore {
    async fn mail_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, MailHealth)>, StoreError> {
        let mut seen = Vec::new();
        let stretches: Vec<i64> = MailHealth::stretches_between(from, to).collect();
        // BatchGetItem takes a hundred keys at most.
        for some in stretches.chunks(100) {
            seen.extend(self.stretches(some.iter().copied()).await?);
        }
        seen.sort_unstable_by_key(|(stretch, _)| *stretch);
        Ok(seen)
    }
}

impl DynamoStore {
    /// The stretches among `wanted` (a hundred at most) that saw something.
    async fn stretches(
        &self,
        wanted: impl Iterator<Item = i64>,
    ) -> Result<Vec<(i64, MailHealth)>, StoreError> {
        let keys: Vec<_> = wanted
            .map(|stretch| HashMap::from([("pk".to_owned(), key(stretch))]))
            .collect();
        let mut wanted = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .build()
                .map_err(StoreError::unavailable)?,
        );
        let mut seen = Vec::new();
        for _ in 0..READ_ROUNDS {
            let Some(keys) = wanted.take() else {
                return Ok(seen);
            };
            let answer = self
                .client
                .batch_get_item()
                .request_items(&self.table, keys)
                .send()
                .await
                .map_err(unavailable)?;
            for item in answer
                .responses
                .and_then(|mut r| r.remove(&self.table))
                .unwrap_or_default()
            {
                let stretch = item
                    .get("pk")
                    .and_then(|k| k.as_s().ok())
                    .and_then(|k| k.strip_prefix(PREFIX)?.parse().ok())
                    .ok_or_else(|| StoreError::Corrupt("a stretch of mail's health".into()))?;
                seen.push((stretch, read(&item)));
            }
            wanted = answer
                .unprocessed_keys
                .and_then(|mut u| u.remove(&self.table))
                .filter(|k| !k.keys.is_empty());
        }
        match wanted {
            None => Ok(seen),
            Some(_) => Err(StoreError::unavailable(
                "DynamoDB left part of the mail's health unread",
            )),
        }
    }
}
