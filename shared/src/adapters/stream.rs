//! DynamoDB stream records, as Lambda delivers them, read into the change feed's shape.

use super::dynamo_supporters::CONTACT_KEY_PREFIX;
use crate::domain::{
    Change, ChangedItem, ContactChange, OrganisationId, SequenceNumber, SignatureChange, SignerKey,
};
use aws_lambda_events::dynamodb::EventRecord;

fn image<T: serde::de::DeserializeOwned>(item: serde_dynamo::Item) -> Result<Option<T>, String> {
    if item.is_empty() {
        return Ok(None);
    }
    serde_dynamo::from_item(item)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// What an item is, by its key: a signature's is its signer's key, a contact's names its
/// organisation; counters, checkpoints and organisations are none of a consumer's business.
enum Keyed {
    Signature,
    Contact(OrganisationId),
    Other,
}

fn keyed(record: &EventRecord) -> Keyed {
    let key: Result<std::collections::HashMap<String, String>, _> =
        serde_dynamo::from_item(record.change.keys.clone());
    let Some(pk) = key.ok().and_then(|mut k| k.remove("pk")) else {
        return Keyed::Other;
    };
    if SignerKey::from_hex(&pk).is_ok() {
        return Keyed::Signature;
    }
    pk.strip_prefix(CONTACT_KEY_PREFIX)
        .and_then(|id| OrganisationId::parse(id).ok())
        .map_or(Keyed::Other, Keyed::Contact)
}

/// One record, read once into the change feed's shape. DynamoDB numbers every record; one
/// without a number is refused, since no retry could be asked from it.
pub fn change_of(record: EventRecord) -> Result<Change, String> {
    let raw = record.change.sequence_number.as_deref().unwrap_or_default();
    let sequence = SequenceNumber::parse(raw)
        .ok_or_else(|| format!("a record without a sequence number: {raw:?}"))?;
    let item = match keyed(&record) {
        Keyed::Other => ChangedItem::Other,
        Keyed::Signature => image(record.change.old_image)
            .and_then(|old| image(record.change.new_image).map(|new| SignatureChange { old, new }))
            .map_or_else(ChangedItem::Unreadable, ChangedItem::Signature),
        Keyed::Contact(organisation) => image(record.change.old_image)
            .and_then(|old| {
                image(record.change.new_image).map(|new| ContactChange {
                    organisation,
                    old,
                    new,
                })
            })
            .map_or_else(ChangedItem::Unreadable, ChangedItem::Contact),
    };
    Ok(Change { sequence, item })
}

/// A batch's records as the consumers read them.
pub fn changes_in(records: Vec<EventRecord>) -> Result<Vec<Change>, String> {
    records.into_iter().map(change_of).collect()
}
