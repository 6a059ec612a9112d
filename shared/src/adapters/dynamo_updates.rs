//! The campaign's updates and the reminders on DynamoDB. Each update is an item (`update#N`)
//! with its texts and its counts, which whoever sees something adds to atomically; `updates`
//! holds the last number. A signer's claim on an update's email is an item of its own
//! (`update#N#<signer>`), so sending writes nothing to the signature and its stream; the
//! table's TTL deletes it a week on. A reminder's claim is the signature's `reminded_at`.

use super::dynamo::{
    DynamoStore, Item, applied, deleted_or_changed, key, number, put_applied, unavailable,
};
use crate::domain::{
    Locale, SecretHash, SignerKey, Timestamp, Update, UpdateCounts, UpdateNumber, UpdateText,
};
use crate::ports::{Claims, ReminderPass, ReminderStore, Settled, StoreError, UpdateStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update as Change};
use std::collections::BTreeMap;

const LATEST: &str = "updates";
const REMINDERS: &str = "reminders";
/// How long a claim is kept: the update's status reads it while it sends, and no longer.
const CLAIM_KEPT_SECONDS: i64 = 7 * 86_400;
const COUNTED: [&str; 5] = ["sent", "refused", "bounced", "complained", "unsubscribed"];

fn text(s: impl Into<String>) -> AttributeValue {
    AttributeValue::S(s.into())
}

fn update_key(number: UpdateNumber) -> AttributeValue {
    text(format!("update#{number}"))
}

fn claim_key(number: UpdateNumber, signer: &SignerKey) -> AttributeValue {
    text(format!("update#{number}#{}", signer.to_hex()))
}

fn count(n: u64) -> AttributeValue {
    AttributeValue::N(n.to_string())
}

fn counts_of(counts: &UpdateCounts) -> [(&'static str, u64); 5] {
    [
        ("sent", counts.sent),
        ("refused", counts.refused),
        ("bounced", counts.bounced),
        ("complained", counts.complained),
        ("unsubscribed", counts.unsubscribed),
    ]
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn read_update(number: UpdateNumber, item: &Item) -> Result<Update, StoreError> {
    let n = |name: &str| {
        item.get(name)
            .and_then(|v| v.as_n().ok())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let texts: BTreeMap<Locale, UpdateText> = item
        .get("texts")
        .cloned()
        .map(serde_dynamo::from_attribute_value)
        .transpose()
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("an update without texts"))?;
    let sent_at = item
        .get("sent_at")
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
        .map(Timestamp::from_unix_seconds)
        .ok_or_else(|| corrupt("an update without its time"))?;
    Ok(Update {
        number,
        texts,
        sent_at,
        from: item.get("from").and_then(|v| v.as_s().ok()).cloned(),
        done: item
            .get("done")
            .and_then(|v| v.as_bool().ok())
            .copied()
            .unwrap_or(false),
        counts: UpdateCounts {
            sent: n("sent"),
            refused: n("refused"),
            bounced: n("bounced"),
            complained: n("complained"),
            unsubscribed: n("unsubscribed"),
        },
    })
}

impl DynamoStore {
    async fn item(&self, pk: AttributeValue) -> Result<Option<Item>, StoreError> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", pk)
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(answer.item)
    }

    async fn latest_number(&self) -> Result<Option<UpdateNumber>, StoreError> {
        Ok(self
            .item(text(LATEST))
            .await?
            .and_then(|item| item.get("latest")?.as_n().ok()?.parse().ok()))
    }
}

#[async_trait]
impl UpdateStore for DynamoStore {
    async fn add_update(
        &self,
        texts: &BTreeMap<Locale, UpdateText>,
        at: Timestamp,
    ) -> Result<Result<UpdateNumber, UpdateNumber>, StoreError> {
        let texts: AttributeValue = serde_dynamo::to_attribute_value(texts).map_err(corrupt)?;
        // Twice at most: another staff member's update may take the number first.
        for _ in 0..2 {
            let latest = self.latest_number().await?;
            if let Some(latest) = latest
                && self.update(latest).await?.is_some_and(|u| !u.done)
            {
                return Ok(Err(latest));
            }
            let number = latest.map_or(UpdateNumber::FIRST, UpdateNumber::next);
            let put = Put::builder()
                .table_name(&self.table)
                .item("pk", update_key(number))
                .item("texts", texts.clone())
                .item("sent_at", super::dynamo::number(at))
                .item("done", AttributeValue::Bool(false))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map_err(StoreError::unavailable)?;
            let mut pointer = Change::builder()
                .table_name(&self.table)
                .key("pk", text(LATEST))
                .update_expression("SET latest = :n")
                .expression_attribute_values(":n", count(u64::from(number.get())));
            pointer = match latest {
                None => pointer.condition_expression("attribute_not_exists(latest)"),
                Some(latest) => pointer
                    .condition_expression("latest = :latest")
                    .expression_attribute_values(":latest", count(u64::from(latest.get()))),
            };
            let result = self
                .client
                .transact_write_items()
                .transact_items(TransactWriteItem::builder().put(put).build())
                .transact_items(
                    TransactWriteItem::builder()
                        .update(pointer.build().map_err(StoreError::unavailable)?)
                        .build(),
                )
                .send()
                .await;
            match result {
                Ok(_) => return Ok(Ok(number)),
                Err(e)
                    if e.as_service_error().is_some_and(
                        TransactWriteItemsError::is_transaction_canceled_exception,
                    ) => {}
                Err(e) => return Err(unavailable(e)),
            }
        }
        Err(StoreError::unavailable(
            "updates kept being added while this one was",
        ))
    }

    async fn latest_update(&self) -> Result<Option<Update>, StoreError> {
        match self.latest_number().await? {
            Some(latest) => self.update(latest).await,
            None => Ok(None),
        }
    }

    async fn update(&self, number: UpdateNumber) -> Result<Option<Update>, StoreError> {
        self.item(update_key(number))
            .await?
            .map(|item| read_update(number, &item))
            .transpose()
    }

    async fn advance_update(
        &self,
        number: UpdateNumber,
        from: Option<&str>,
        to: Option<&str>,
        counts: &UpdateCounts,
    ) -> Result<bool, StoreError> {
        let mut set = vec!["done = :done"];
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", update_key(number))
            .expression_attribute_names("#from", "from")
            .expression_attribute_values(":done", AttributeValue::Bool(to.is_none()))
            .expression_attribute_values(":going", AttributeValue::Bool(false));
        if let Some(to) = to {
            set.push("#from = :to");
            request = request.expression_attribute_values(":to", text(to));
        }
        let mut condition = "done = :going AND ".to_owned();
        match from {
            Some(from) => {
                condition.push_str("#from = :from");
                request = request.expression_attribute_values(":from", text(from));
            }
            None => condition.push_str("attribute_not_exists(#from)"),
        }
        let mut expression = format!("SET {}", set.join(", "));
        if to.is_none() {
            expression.push_str(" REMOVE #from");
        }
        expression.push_str(" ADD ");
        expression.push_str(
            &COUNTED
                .iter()
                .map(|name| format!("{name} :{name}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
        for (name, n) in counts_of(counts) {
            request = request.expression_attribute_values(format!(":{name}"), count(n));
        }
        let result = request
            .update_expression(expression)
            .condition_expression(condition)
            .send()
            .await;
        applied(result)
    }

    async fn count_update(
        &self,
        number: UpdateNumber,
        counts: &UpdateCounts,
    ) -> Result<(), StoreError> {
        let added: Vec<_> = counts_of(counts)
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect();
        if added.is_empty() {
            return Ok(());
        }
        let expression = format!(
            "ADD {}",
            added
                .iter()
                .map(|(name, _)| format!("{name} :{name}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", update_key(number))
            .update_expression(expression)
            // Feedback about an update no longer kept adds nothing.
            .condition_expression("attribute_exists(pk)");
        for (name, n) in added {
            request = request.expression_attribute_values(format!(":{name}"), count(n));
        }
        applied(request.send().await).map(drop)
    }

    async fn claim_update(
        &self,
        number: UpdateNumber,
        signer: &SignerKey,
    ) -> Result<bool, StoreError> {
        let expires = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            + CLAIM_KEPT_SECONDS;
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", claim_key(number, signer))
            .item("claim", text("claimed"))
            .item("expires_at", AttributeValue::N(expires.to_string()))
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        put_applied(result)
    }

    async fn settle_update(
        &self,
        number: UpdateNumber,
        signer: &SignerKey,
        settled: Settled,
    ) -> Result<(), StoreError> {
        let state = match settled {
            Settled::Sent => "sent",
            Settled::Refused => "refused",
            Settled::Returned => {
                let result = self
                    .client
                    .delete_item()
                    .table_name(&self.table)
                    .key("pk", claim_key(number, signer))
                    .condition_expression("claim = :claimed")
                    .expression_attribute_values(":claimed", text("claimed"))
                    .send()
                    .await;
                return deleted_or_changed(result);
            }
        };
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", claim_key(number, signer))
            .update_expression("SET claim = :state")
            .condition_expression("claim = :claimed")
            .expression_attribute_values(":state", text(state))
            .expression_attribute_values(":claimed", text("claimed"))
            .send()
            .await;
        applied(result).map(drop)
    }

    async fn claims(&self, number: UpdateNumber) -> Result<Claims, StoreError> {
        let mut claims = Claims::default();
        let mut from = None;
        loop {
            let answer = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression("begins_with(pk, :prefix)")
                .projection_expression("claim")
                .expression_attribute_values(":prefix", text(format!("update#{number}#")))
                .set_exclusive_start_key(from)
                .send()
                .await
                .map_err(unavailable)?;
            for item in answer.items.unwrap_or_default() {
                match item
                    .get("claim")
                    .and_then(|c| c.as_s().ok())
                    .map(String::as_str)
                {
                    Some("sent") => claims.sent += 1,
                    Some("refused") => claims.refused += 1,
                    Some("claimed") => claims.unsettled += 1,
                    _ => {}
                }
            }
            match answer.last_evaluated_key {
                Some(key) => from = Some(key),
                None => return Ok(claims),
            }
        }
    }
}

#[async_trait]
impl ReminderStore for DynamoStore {
    async fn reminder_pass(&self) -> Result<Option<ReminderPass>, StoreError> {
        self.item(text(REMINDERS))
            .await?
            .map(|item| serde_dynamo::from_item(item).map_err(corrupt))
            .transpose()
    }

    async fn save_reminder_pass(
        &self,
        seen: Option<&ReminderPass>,
        new: &ReminderPass,
    ) -> Result<bool, StoreError> {
        let mut item: Item = serde_dynamo::to_item(new).map_err(corrupt)?;
        item.insert("pk".into(), text(REMINDERS));
        let mut request = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item));
        request = match seen {
            None => request.condition_expression("attribute_not_exists(pk)"),
            Some(seen) => {
                let request = request
                    .expression_attribute_names("#from", "from")
                    .expression_attribute_values(":started", number(seen.started_at))
                    .expression_attribute_values(":done", AttributeValue::Bool(seen.done));
                match &seen.from {
                    Some(from) => request
                        .condition_expression(
                            "started_at = :started AND done = :done AND #from = :from",
                        )
                        .expression_attribute_values(":from", text(from)),
                    None => request.condition_expression(
                        "started_at = :started AND done = :done AND attribute_not_exists(#from)",
                    ),
                }
            }
        };
        put_applied(request.send().await)
    }

    async fn claim_reminder(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", key(signer))
            .update_expression("SET reminded_at = :at")
            .condition_expression(
                "#status = :pending AND secret_hash = :hash AND mailed_link = :hash \
                 AND attribute_not_exists(reminded_at) \
                 AND (attribute_not_exists(undeliverable) OR undeliverable = :no)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", text("pending"))
            .expression_attribute_values(":hash", text(link.to_hex()))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .expression_attribute_values(":at", number(at))
            .send()
            .await;
        applied(result)
    }

    async fn release_reminder(&self, signer: &SignerKey, at: Timestamp) -> Result<(), StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", key(signer))
            .update_expression("REMOVE reminded_at")
            .condition_expression("reminded_at = :at")
            .expression_attribute_values(":at", number(at))
            .send()
            .await;
        applied(result).map(drop)
    }
}
