//! The signature store on DynamoDB: one item per signer, keyed by the signer key.

use crate::domain::{MailboxDay, SecretHash, Signature, SignerKey, Timestamp, UtcDay};
use crate::ports::{
    Consents, Insertion, LinkRenewal, Seen, SignatureMailing, SignatureStore, SignerChoices,
    StoreError,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};
use std::collections::HashMap;

#[derive(Clone)]
pub struct DynamoStore {
    pub(super) client: Client,
    pub(super) table: String,
}

pub(super) type Item = HashMap<String, AttributeValue>;

pub(super) fn unavailable<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    StoreError::unavailable(e)
}

pub(super) fn decode(item: Item) -> Result<Signature, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Whether a conditional update was applied: a failed condition is an answer, not a fault.
pub(super) fn applied<T>(
    result: Result<T, SdkError<UpdateItemError, aws_sdk_dynamodb::config::http::HttpResponse>>,
) -> Result<bool, StoreError> {
    match result {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(UpdateItemError::is_conditional_check_failed_exception) =>
        {
            Ok(false)
        }
        Err(e) => Err(unavailable(e)),
    }
}

/// Whether a conditional put was applied, as `applied` says of an update.
pub(super) fn put_applied<T>(
    result: Result<T, SdkError<PutItemError, aws_sdk_dynamodb::config::http::HttpResponse>>,
) -> Result<bool, StoreError> {
    match result {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(PutItemError::is_conditional_check_failed_exception) =>
        {
            Ok(false)
        }
        Err(e) => Err(unavailable(e)),
    }
}

/// A conditional delete of something other than a signature: done, or its condition failed,
/// which is an answer too.
pub(super) fn deleted_or_changed(
    result: Result<
        aws_sdk_dynamodb::operation::delete_item::DeleteItemOutput,
        SdkError<DeleteItemError, aws_sdk_dynamodb::config::http::HttpResponse>,
    >,
) -> Result<(), StoreError> {
    match result {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(DeleteItemError::is_conditional_check_failed_exception) =>
        {
            Ok(())
        }
        Err(e) => Err(unavailable(e)),
    }
}

/// What a conditional delete removed: nothing when its condition failed.
fn deleted(
    result: Result<
        aws_sdk_dynamodb::operation::delete_item::DeleteItemOutput,
        SdkError<DeleteItemError, aws_sdk_dynamodb::config::http::HttpResponse>,
    >,
) -> Result<Option<Signature>, StoreError> {
    match result {
        Ok(deleted) => deleted.attributes.map(decode).transpose(),
        Err(e)
            if e.as_service_error()
                .is_some_and(DeleteItemError::is_conditional_check_failed_exception) =>
        {
            Ok(None)
        }
        Err(e) => Err(unavailable(e)),
    }
}

pub(super) fn key(signer: &SignerKey) -> AttributeValue {
    AttributeValue::S(signer.to_hex())
}

pub(super) fn number(t: Timestamp) -> AttributeValue {
    AttributeValue::N(t.unix_seconds().to_string())
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    pub fn from_sdk_config(config: &aws_config::SdkConfig, table: impl Into<String>) -> Self {
        Self::new(Client::new(config), table)
    }

    async fn read(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key("pk", key(signer))
            // A link clicked seconds after signing must find the signature.
            .consistent_read(true)
            .send()
            .await
            .map_err(unavailable)?;
        answer.item.map(decode).transpose()
    }
}

/// The item under which the emails to a mailbox on a day are counted.
fn partner_consent(consent: &crate::domain::PartnerConsent) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(consent).map_err(StoreError::unavailable)
}

/// The request with the values of the condition that a signature's consents are still `seen`;
/// and that condition.
fn consents_seen(
    request: UpdateItemFluentBuilder,
    seen: &Consents,
) -> Result<(UpdateItemFluentBuilder, &'static str), StoreError> {
    let request =
        request.expression_attribute_values(":seen_updates", AttributeValue::Bool(seen.updates));
    Ok(match &seen.partner_consent {
        Some(consent) => (
            request.expression_attribute_values(":seen_consent", partner_consent(consent)?),
            "updates = :seen_updates AND partner_consent = :seen_consent",
        ),
        None => (
            request,
            "updates = :seen_updates AND attribute_not_exists(partner_consent)",
        ),
    })
}

/// Where an erased signer's notice to its partner is kept: never a signer's key, so the
/// stream's consumers pass it by.
pub(super) const ERASED_CONSENT_PREFIX: &str = "erased#";

fn erased_item_key(erased: &crate::domain::ErasedConsent) -> String {
    format!(
        "{ERASED_CONSENT_PREFIX}{}#{}",
        erased.partner,
        erased.signer.to_hex()
    )
}

pub(super) const MAILBOX_DAY_PREFIX: &str = "mailbox#";

fn mailbox_day_item(day: &MailboxDay) -> String {
    format!(
        "{MAILBOX_DAY_PREFIX}{}#{}",
        day.mailbox.to_hex(),
        day.day.date()
    )
}

/// The day and the count of a mailbox's day, read without its mailbox.
pub(super) fn mailbox_day_count(pk: &str, item: &Item) -> Option<(UtcDay, u32)> {
    let date = pk.rsplit_once('#')?.1;
    let day = UtcDay::parse_date(date)?;
    let emails = item.get("emails")?.as_n().ok()?.parse().ok()?;
    Some((day, emails))
}

#[async_trait]
impl SignatureStore for DynamoStore {
    async fn insert_pending(&self, signature: &Signature) -> Result<Insertion, StoreError> {
        let item: Item =
            serde_dynamo::to_item(signature).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let result = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)")
            // The existing item comes back with the refusal: no second read.
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        match result {
            Ok(_) => Ok(Insertion::Inserted),
            Err(e) => match e.as_service_error() {
                Some(PutItemError::ConditionalCheckFailedException(refusal)) => {
                    let existing = match refusal.item.clone() {
                        Some(item) => decode(item)?,
                        None => self.read(&signature.signer).await?.ok_or_else(|| {
                            StoreError::unavailable("the existing signature vanished")
                        })?,
                    };
                    Ok(Insertion::AlreadySigned(Box::new(existing)))
                }
                _ => Err(unavailable(e)),
            },
        }
    }

    async fn revise_pending(
        &self,
        signer: &SignerKey,
        choices: &SignerChoices,
        renewal: Option<&LinkRenewal>,
        sent_before: Timestamp,
    ) -> Result<bool, StoreError> {
        let mut update = "SET #name = :name, country = :country, #locale = :locale, \
                          updates = :updates, privacy_policy = :policy"
            .to_owned();
        let mut condition = "#status = :pending".to_owned();
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", key(signer))
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#name", "name")
            .expression_attribute_names("#locale", "locale")
            .expression_attribute_values(":pending", AttributeValue::S("pending".into()))
            .expression_attribute_values(":name", AttributeValue::S(choices.name.as_str().into()))
            .expression_attribute_values(
                ":country",
                AttributeValue::S(choices.country.code().into()),
            )
            .expression_attribute_values(":locale", AttributeValue::S(choices.locale.code().into()))
            .expression_attribute_values(":updates", AttributeValue::Bool(choices.updates))
            .expression_attribute_values(
                ":policy",
                AttributeValue::S(crate::domain::PRIVACY_POLICY_VERSION.into()),
            );
        if let Some(renewal) = renewal {
            let link = renewal.link;
            update.push_str(
                ", link_nonce = :nonce, secret_hash = :hash, link_sent_at = :sent, \
                 link_expires_at = :dies, expires_at = :ttl, undeliverable = :no",
            );
            condition.push_str(" AND link_sent_at = :before");
            request = request
                .expression_attribute_values(":nonce", AttributeValue::S(link.nonce.to_hex()))
                .expression_attribute_values(":hash", AttributeValue::S(link.secret_hash.to_hex()))
                .expression_attribute_values(":sent", number(link.sent_at))
                .expression_attribute_values(":dies", number(link.expires_at))
                .expression_attribute_values(":ttl", number(renewal.expires_at))
                // The signer asked again: a mailbox that bounced once may take mail by now, and
                // SES's suppression list still keeps one that bounces for good.
                .expression_attribute_values(":no", AttributeValue::Bool(false))
                .expression_attribute_values(":before", number(sent_before));
        }
        // Each kept only while it is so, as a new signature's item keeps it.
        let mut removed = Vec::new();
        if choices.proven {
            update.push_str(", proven = :proven");
            request = request.expression_attribute_values(":proven", AttributeValue::Bool(true));
        } else {
            removed.push("proven");
        }
        // `source` is one of DynamoDB's reserved words.
        request = request.expression_attribute_names("#source", "source");
        match &choices.source {
            Some(source) => {
                update.push_str(", #source = :source");
                request = request.expression_attribute_values(
                    ":source",
                    AttributeValue::S(source.code().into()),
                );
            }
            None => removed.push("#source"),
        }
        match &choices.partner_consent {
            Some(consent) => {
                update.push_str(", partner_consent = :consent");
                request =
                    request.expression_attribute_values(":consent", partner_consent(consent)?);
            }
            None => removed.push("partner_consent"),
        }
        if !removed.is_empty() {
            update.push_str(" REMOVE ");
            update.push_str(&removed.join(", "));
        }
        let result = request
            .update_expression(update)
            .condition_expression(condition)
            .send()
            .await;
        applied(result)
    }

    async fn confirm(
        &self,
        signer: &SignerKey,
        secret_hash: &SecretHash,
        at: Timestamp,
        seen: &Consents,
    ) -> Result<bool, StoreError> {
        let update = if seen.need_email() {
            "SET #status = :confirmed, confirmed_at = :at REMOVE expires_at"
        } else {
            "SET #status = :confirmed, confirmed_at = :at REMOVE expires_at, email"
        };
        let (request, consents_held) = consents_seen(self.client.update_item(), seen)?;
        let result = request
            .table_name(&self.table)
            .key("pk", key(signer))
            .update_expression(update)
            .condition_expression(format!(
                "#status = :pending AND secret_hash = :hash AND link_expires_at > :at AND {consents_held}"
            ))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":confirmed", AttributeValue::S("confirmed".into()))
            .expression_attribute_values(":pending", AttributeValue::S("pending".into()))
            .expression_attribute_values(":hash", AttributeValue::S(secret_hash.to_hex()))
            .expression_attribute_values(":at", number(at))
            .send()
            .await;
        applied(result)
    }

    async fn replace_consents(
        &self,
        signer: &SignerKey,
        erase_hash: &SecretHash,
        seen: &Seen,
        new: &Consents,
    ) -> Result<bool, StoreError> {
        let (request, consents_held) = consents_seen(self.client.update_item(), &seen.consents)?;
        let mut set = vec!["updates = :updates"];
        let mut removed = Vec::new();
        let mut request = request
            .table_name(&self.table)
            .key("pk", key(signer))
            .condition_expression(format!(
                "erase_hash = :hash AND #status = :status AND {consents_held}"
            ))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(
                ":status",
                AttributeValue::S(
                    if seen.confirmed {
                        "confirmed"
                    } else {
                        "pending"
                    }
                    .into(),
                ),
            )
            .expression_attribute_values(":hash", AttributeValue::S(erase_hash.to_hex()))
            .expression_attribute_values(":updates", AttributeValue::Bool(new.updates));
        match &new.partner_consent {
            Some(new) => {
                set.push("partner_consent = :consent");
                request = request.expression_attribute_values(":consent", partner_consent(new)?);
            }
            None => removed.push("partner_consent"),
        }
        if seen.forgets_email_with(new) {
            removed.push("email");
        }
        let mut update = format!("SET {}", set.join(", "));
        if !removed.is_empty() {
            update = format!("{update} REMOVE {}", removed.join(", "));
        }
        let result = request.update_expression(update).send().await;
        applied(result)
    }

    async fn erase(
        &self,
        signer: &SignerKey,
        erase_hash: Option<&SecretHash>,
        at: Timestamp,
    ) -> Result<Option<Signature>, StoreError> {
        // Twice at most: an export may mark the consent delivered between the two tries.
        for _ in 0..2 {
            let request = self
                .delete_signature(signer)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                );
            // A signature whose address a partner received goes only with its notice, below.
            let request = match erase_hash {
                Some(hash) => request
                    .condition_expression(
                        "erase_hash = :hash AND attribute_not_exists(partner_consent.exported_at)",
                    )
                    .expression_attribute_values(":hash", AttributeValue::S(hash.to_hex())),
                None => request.condition_expression(
                    "attribute_exists(pk) AND attribute_not_exists(partner_consent.exported_at)",
                ),
            };
            let refusal = match request.send().await {
                Ok(deleted) => return deleted.attributes.map(decode).transpose(),
                Err(e) => match e.as_service_error() {
                    Some(DeleteItemError::ConditionalCheckFailedException(refusal)) => {
                        refusal.item.clone()
                    }
                    _ => return Err(unavailable(e)),
                },
            };
            let signature = match refusal {
                Some(item) => decode(item)?,
                None => match self.read(signer).await? {
                    Some(signature) => signature,
                    None => return Ok(None),
                },
            };
            if erase_hash.is_some_and(|hash| !signature.erase_hash.matches(hash)) {
                return Ok(None);
            }
            // A consent delivered without an address left (none is: the address goes only
            // with the last consent needing it) has nothing to tell, and goes as read.
            let erased = crate::domain::ErasedConsent::of(&signature, at);
            if self.erase_leaving(&signature, erased.as_ref()).await? {
                return Ok(Some(signature));
            }
        }
        Err(StoreError::unavailable(
            "the signature kept changing while being erased",
        ))
    }

    async fn forget_erased(&self, erased: &crate::domain::ErasedConsent) -> Result<(), StoreError> {
        // Only the notice as read: one left since (signed, exported and erased again) waits
        // for the next export.
        let result = self
            .client
            .delete_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(erased_item_key(erased)))
            .condition_expression("erased_at = :at")
            .expression_attribute_values(":at", number(erased.erased_at))
            .send()
            .await;
        deleted_or_changed(result)
    }

    async fn erase_pending(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        let request = self
            .delete_signature(signer)
            .condition_expression("#status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", AttributeValue::S("pending".into()));
        deleted(request.send().await)
    }
}

#[async_trait::async_trait]
impl crate::ports::MailboxCounts for DynamoStore {
    async fn count_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Result<bool, StoreError> {
        let day = MailboxDay::of(*mailbox, at);
        let (item, expires_at) = (mailbox_day_item(&day), day.forgotten_at());
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(item))
            // The table's TTL deletes the count the day after.
            .update_expression("ADD emails :one SET expires_at = :expires")
            .condition_expression(if limit == 0 {
                // Nothing is counted, by the same call: signing goes through its motions alike
                // whether or not an email results.
                "attribute_exists(emails) AND emails < :limit"
            } else {
                "attribute_not_exists(emails) OR emails < :limit"
            })
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":limit", AttributeValue::N(limit.to_string()))
            .expression_attribute_values(":expires", number(expires_at))
            .send()
            .await;
        applied(result)
    }

    async fn uncount_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let item = mailbox_day_item(&MailboxDay::of(*mailbox, at));
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", AttributeValue::S(item))
            .update_expression("ADD emails :less")
            .condition_expression("emails > :none")
            .expression_attribute_values(":less", AttributeValue::N("-1".into()))
            .expression_attribute_values(":none", AttributeValue::N("0".into()))
            .send()
            .await;
        applied(result).map(drop)
    }
}

impl DynamoStore {
    /// A deletion of `signer`'s signature that answers with what it deleted.
    fn delete_signature(
        &self,
        signer: &SignerKey,
    ) -> aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", key(signer))
            .return_values(ReturnValue::AllOld)
    }

    /// Deletes `signature` as read, leaving `erased` for its partner, both or neither; false
    /// when the signature changed meanwhile.
    async fn erase_leaving(
        &self,
        signature: &Signature,
        erased: Option<&crate::domain::ErasedConsent>,
    ) -> Result<bool, StoreError> {
        use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
        let consent = signature
            .partner_consent
            .as_ref()
            .ok_or_else(|| StoreError::unavailable("no consent to tell of"))?;
        let delete = Delete::builder()
            .table_name(&self.table)
            .key("pk", key(&signature.signer))
            .condition_expression("erase_hash = :hash AND partner_consent = :seen")
            .expression_attribute_values(":hash", AttributeValue::S(signature.erase_hash.to_hex()))
            .expression_attribute_values(":seen", partner_consent(consent)?)
            .build()
            .map_err(StoreError::unavailable)?;
        let mut request = self
            .client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().delete(delete).build());
        if let Some(erased) = erased {
            let mut item: Item = serde_dynamo::to_item(erased).map_err(StoreError::unavailable)?;
            item.insert("pk".into(), AttributeValue::S(erased_item_key(erased)));
            let put = Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .build()
                .map_err(StoreError::unavailable)?;
            request = request.transact_items(TransactWriteItem::builder().put(put).build());
        }
        let result = request.send().await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error().is_some_and(
                    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::is_transaction_canceled_exception,
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(unavailable(e)),
        }
    }
}

#[async_trait]
impl SignatureMailing for DynamoStore {
    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        self.read(signer).await
    }

    async fn mark_mailed(
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
            .update_expression("SET mailed_link = :hash, mailed_at = :at")
            .expression_attribute_values(":at", number(at))
            .condition_expression("#status = :pending AND secret_hash = :hash")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", AttributeValue::S("pending".into()))
            .expression_attribute_values(":hash", AttributeValue::S(link.to_hex()))
            .send()
            .await;
        applied(result)
    }

    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", key(signer))
            .update_expression("SET undeliverable = :yes")
            .condition_expression("#status = :pending")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", AttributeValue::S("pending".into()))
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .send()
            .await;
        applied(result)
    }
}
