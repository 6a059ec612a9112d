//! DynamoDB stream records, as Lambda delivers them, read into the change feed's shape.

use crate::domain::{Change, ChangedItem, SequenceNumber, Signature, SignatureChange, SignerKey};
use aws_lambda_events::dynamodb::EventRecord;

fn image(item: serde_dynamo::Item) -> Result<Option<Signature>, String> {
    if item.is_empty() {
        return Ok(None);
    }
    serde_dynamo::from_item(item)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Only signature items have a signer key for their key; counters and checkpoints do not.
fn is_signature(record: &EventRecord) -> bool {
    let key: Result<std::collections::HashMap<String, String>, _> =
        serde_dynamo::from_item(record.change.keys.clone());
    key.ok()
        .and_then(|k| k.get("pk").cloned())
        .is_some_and(|pk| SignerKey::from_hex(&pk).is_ok())
}

/// One record, read once into the change feed's shape. DynamoDB numbers every record; one
/// without a number is refused, since no retry could be asked from it.
pub fn change_of(record: EventRecord) -> Result<Change, String> {
    let raw = record.change.sequence_number.as_deref().unwrap_or_default();
    let sequence = SequenceNumber::parse(raw)
        .ok_or_else(|| format!("a record without a sequence number: {raw:?}"))?;
    if !is_signature(&record) {
        return Ok(Change {
            sequence,
            item: ChangedItem::Other,
        });
    }
    let item = image(record.change.old_image)
        .and_then(|old| image(record.change.new_image).map(|new| SignatureChange { old, new }))
        .map_or_else(ChangedItem::Unreadable, ChangedItem::Signature);
    Ok(Change { sequence, item })
}

/// A batch's records as the consumers read them.
pub fn changes_in(records: Vec<EventRecord>) -> Result<Vec<Change>, String> {
    records.into_iter().map(change_of).collect()
}
