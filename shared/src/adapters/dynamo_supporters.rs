//! The supporters list on DynamoDB: an item per organisation, found through a sparse index, and
//! its contact in an item of its own that the table's TTL deletes on the day it is forgotten.

use super::dynamo::{DynamoStore, Item, applied, put_applied, unavailable};
use crate::domain::{
    Contact, FrameOrigin, Organisation, OrganisationId, SecretHash, Standing, Timestamp,
};
use crate::ports::{OrganisationReading, StoreError, SupporterStore, SupportersList};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem, Update};

/// The sparse index every organisation whose contact confirmed is in, and nothing else: a flood
/// of unconfirmed requests never reaches what `publish` and each confirmation read whole.
/// `infra/template.yaml` and the tests' tables define it.
pub const ORGANISATIONS_INDEX: &str = "organisations";
/// Its key attribute, whose value is the organisation's standing: each standing is read apart,
/// so signing, which reads the approved every minute, never reads a flood of waiting requests.
const LISTED_IN: &str = "listed_in";

fn standing_value(standing: Standing) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(standing).map_err(corrupt)
}
/// The attribute the table's TTL reads.
const EXPIRES_AT: &str = "expires_at";

fn organisation_key(id: &OrganisationId) -> AttributeValue {
    AttributeValue::S(format!("organisation#{id}"))
}

/// What a contact's key starts with, before its organisation's id: the stream reads it too.
pub const CONTACT_KEY_PREFIX: &str = "organisation-contact#";

fn contact_key(id: &OrganisationId) -> AttributeValue {
    AttributeValue::S(format!("{CONTACT_KEY_PREFIX}{id}"))
}

fn number(t: Timestamp) -> AttributeValue {
    AttributeValue::N(t.unix_seconds().to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn organisation_item(organisation: &Organisation) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::to_item(organisation).map_err(corrupt)?;
    item.insert("pk".into(), organisation_key(&organisation.id));
    if organisation.standing != Standing::Unconfirmed {
        item.insert(LISTED_IN.into(), standing_value(organisation.standing)?);
    }
    Ok(item)
}

fn contact_item(id: &OrganisationId, contact: &Contact) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::to_item(contact).map_err(corrupt)?;
    item.insert("pk".into(), contact_key(id));
    item.insert(EXPIRES_AT.into(), number(contact.forget_at));
    Ok(item)
}

fn read_organisation(mut item: Item) -> Result<Organisation, StoreError> {
    item.remove("pk");
    item.remove(LISTED_IN);
    serde_dynamo::from_item(item).map_err(corrupt)
}

fn read_contact(mut item: Item) -> Result<Contact, StoreError> {
    item.remove("pk");
    item.remove(EXPIRES_AT);
    serde_dynamo::from_item(item).map_err(corrupt)
}

/// Whether a transaction was cancelled, on a condition or because a concurrent one (a double
/// click) wrote the same items first: an answer, not a fault; the caller reads what now is.
fn cancelled<R>(e: &SdkError<TransactWriteItemsError, R>) -> bool {
    matches!(
        e.as_service_error(),
        Some(TransactWriteItemsError::TransactionCanceledException(_))
    )
}

impl DynamoStore {
    async fn get(&self, key: AttributeValue) -> Result<Option<Item>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", key)
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(found.item)
    }
}

#[async_trait]
impl OrganisationReading for DynamoStore {
    async fn organisation(
        &self,
        id: &OrganisationId,
    ) -> Result<Option<(Organisation, Option<Contact>)>, StoreError> {
        let Some(item) = self.get(organisation_key(id)).await? else {
            return Ok(None);
        };
        let organisation = read_organisation(item)?;
        let contact = self
            .get(contact_key(id))
            .await?
            .map(read_contact)
            .transpose()?;
        Ok(Some((organisation, contact)))
    }
}

#[async_trait]
impl SupportersList for DynamoStore {
    async fn organisations_in(&self, standing: Standing) -> Result<Vec<Organisation>, StoreError> {
        if standing == Standing::Unconfirmed {
            return Ok(Vec::new());
        }
        let mut all = Vec::new();
        let mut from = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(ORGANISATIONS_INDEX)
                .key_condition_expression("#listed = :listed")
                .expression_attribute_names("#listed", LISTED_IN)
                .expression_attribute_values(":listed", standing_value(standing)?)
                .set_exclusive_start_key(from)
                .send()
                .await
                .map_err(unavailable)?;
            for item in page.items.unwrap_or_default() {
                all.push(read_organisation(item)?);
            }
            match page.last_evaluated_key {
                Some(next) if !next.is_empty() => from = Some(next),
                _ => return Ok(all),
            }
        }
    }
}

#[async_trait]
impl SupporterStore for DynamoStore {
    async fn insert_request(
        &self,
        organisation: &Organisation,
        contact: &Contact,
    ) -> Result<(), StoreError> {
        let put = |item| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(pk)")
                .build()
                .map_err(corrupt)
        };
        self.client
            .transact_write_items()
            .transact_items(
                TransactWriteItem::builder()
                    .put(put(organisation_item(organisation)?)?)
                    .build(),
            )
            .transact_items(
                TransactWriteItem::builder()
                    .put(put(contact_item(&organisation.id, contact)?)?)
                    .build(),
            )
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn confirm_contact(
        &self,
        id: &OrganisationId,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        // The link is checked by the condition, as a signature's is: the caller has just read it.
        let forget_at = crate::domain::retention::contact_forgotten_while_waiting(at);
        let organisation = Update::builder()
            .table_name(&self.table)
            .key("pk", organisation_key(id))
            .update_expression("SET standing = :waiting, #listed = :waiting REMOVE expires_at")
            .condition_expression("standing = :unconfirmed")
            .expression_attribute_names("#listed", LISTED_IN)
            .expression_attribute_values(":waiting", standing_value(Standing::Waiting)?)
            .expression_attribute_values(":unconfirmed", standing_value(Standing::Unconfirmed)?)
            .build()
            .map_err(corrupt)?;
        let contact = Update::builder()
            .table_name(&self.table)
            .key("pk", contact_key(id))
            // The link's hash stays: only the link itself may tell that it was used.
            .update_expression("SET forget_at = :forget, expires_at = :forget")
            .condition_expression("link_hash = :link")
            .expression_attribute_values(":forget", number(forget_at))
            .expression_attribute_values(":link", AttributeValue::S(link.to_hex()))
            .build()
            .map_err(corrupt)?;
        let result = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().update(organisation).build())
            .transact_items(TransactWriteItem::builder().update(contact).build())
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if cancelled(&e) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn decide(
        &self,
        decided: &Organisation,
        from: Standing,
        forget_contact_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let from = serde_dynamo::to_attribute_value::<_, AttributeValue>(from).map_err(corrupt)?;
        let written = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(organisation_item(decided)?))
            .condition_expression("standing = :from")
            .expression_attribute_values(":from", from)
            .send()
            .await;
        if !put_applied(written)? {
            return Ok(false);
        }
        // The contact may be forgotten already; the decision stands either way.
        let contact = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", contact_key(&decided.id))
            .update_expression("SET forget_at = :forget, expires_at = :forget")
            // A contact past its day stays forgotten, whatever is decided now.
            .condition_expression("attribute_exists(pk) AND forget_at > :decided")
            .expression_attribute_values(":forget", number(forget_contact_at))
            .expression_attribute_values(
                ":decided",
                number(decided.decided_at.unwrap_or(forget_contact_at)),
            )
            .send()
            .await;
        match contact {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(UpdateItemError::is_conditional_check_failed_exception) =>
            {
                Ok(true)
            }
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn set_frame_origins(
        &self,
        id: &OrganisationId,
        origins: &[FrameOrigin],
    ) -> Result<bool, StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", organisation_key(id))
            .condition_expression("attribute_exists(pk)");
        update = if origins.is_empty() {
            update.update_expression("REMOVE frame_origins")
        } else {
            let listed = origins
                .iter()
                .map(|o| AttributeValue::S(o.as_str().to_owned()))
                .collect();
            update
                .update_expression("SET frame_origins = :origins")
                .expression_attribute_values(":origins", AttributeValue::L(listed))
        };
        applied(update.send().await)
    }

    async fn forget_contact(&self, id: &OrganisationId) -> Result<bool, StoreError> {
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", contact_key(id))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(deleted.attributes.is_some_and(|a| !a.is_empty()))
    }

    async fn seed(&self, organisations: &[Organisation]) -> Result<usize, StoreError> {
        let mut written = 0;
        for organisation in organisations {
            let result = self
                .client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(organisation_item(organisation)?))
                .condition_expression("attribute_not_exists(pk)")
                .send()
                .await;
            written += usize::from(put_applied(result)?);
        }
        Ok(written)
    }
}
