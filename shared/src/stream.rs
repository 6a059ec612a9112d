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

/// The answer that asks Lambda to deliver the batch again from `sequence` on.
fn retry_from(sequence: &SequenceNumber) -> aws_lambda_events::streams::DynamoDbBatchItemFailure {
    let mut failure = aws_lambda_events::streams::DynamoDbBatchItemFailure::default();
    failure.item_identifier = Some(sequence.as_str().to_owned());
    failure
}

/// What the mail-queue function needs, built once per process.
pub struct MailQueueState {
    pub queue: Box<dyn crate::ports::MailQueue>,
}

/// The mail-queue function: one stream batch in, the emails it calls for queued, the records to
/// retry out.
pub async fn handle_stream_batch(
    state: &MailQueueState,
    event: lambda_runtime::LambdaEvent<aws_lambda_events::dynamodb::Event>,
) -> Result<aws_lambda_events::streams::DynamoDbEventResponse, lambda_runtime::Error> {
    let batch = changes_in(event.payload.records)?;
    let mut response = aws_lambda_events::streams::DynamoDbEventResponse::default();
    if let Err(e) = crate::mailing::queue_batch(state.queue.as_ref(), &batch).await {
        tracing::warn!(error = %e.cause, "the batch will be retried");
        response.batch_item_failures.push(retry_from(&e.from));
    }
    Ok(response)
}

/// What the aggregate function needs, built once per process.
pub struct AggregateState {
    pub counter: Box<dyn crate::ports::CounterStore>,
    pub clock: Box<dyn crate::clock::Clock>,
}

/// The aggregate function: one shard's batch in, the counter moved, the records to retry out.
/// The event source mapping's tumbling window is what tells each invocation its shard.
pub async fn handle_count_batch(
    state: &AggregateState,
    event: lambda_runtime::LambdaEvent<aws_lambda_events::dynamodb::TimeWindowEvent>,
) -> Result<aws_lambda_events::dynamodb::TimeWindowEventResponse, lambda_runtime::Error> {
    let shard = event
        .payload
        .time_window_properties
        .shard_id
        .clone()
        .ok_or("the event names no shard: the event source mapping needs a tumbling window")?;
    let records = changes_in(event.payload.dynamo_db_event.records)?;
    let mut response = aws_lambda_events::dynamodb::TimeWindowEventResponse::default();
    if let Err(crate::aggregate::AggregateError::RetryFrom(seq, cause)) =
        crate::aggregate::count_batch(
            state.counter.as_ref(),
            state.clock.as_ref(),
            &shard,
            &records,
        )
        .await
    {
        if let Some(cause) = cause {
            tracing::warn!(error = %cause, "the batch will be retried");
        }
        response.batch_item_failures.push(retry_from(&seq));
    }
    Ok(response)
}
