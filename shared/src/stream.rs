//! DynamoDB stream records, as Lambda delivers them, read as signature changes.

use crate::domain::{Signature, SignerKey};
use crate::mailing::{BatchRecord, SignatureChange};
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

/// One record: its sequence number (the id Lambda wants back for a retry) and its change.
pub fn signature_change(record: EventRecord) -> BatchRecord {
    let id = record.change.sequence_number.clone().unwrap_or_default();
    if !is_signature(&record) {
        return (id, Ok(None));
    }
    let change = image(record.change.old_image)
        .and_then(|old| image(record.change.new_image).map(|new| SignatureChange { old, new }));
    (id, change.map(Some))
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
    let batch = event
        .payload
        .records
        .into_iter()
        .map(signature_change)
        .collect();
    let failed = crate::mailing::queue_batch(state.queue.as_ref(), batch).await;
    let mut response = aws_lambda_events::streams::DynamoDbEventResponse::default();
    if let Some(id) = failed {
        let mut failure = aws_lambda_events::streams::DynamoDbBatchItemFailure::default();
        failure.item_identifier = Some(id);
        response.batch_item_failures.push(failure);
    }
    Ok(response)
}

/// What the aggregate function needs, built once per process.
pub struct AggregateState {
    pub counter: Box<dyn crate::ports::CounterStore>,
    pub clock: Box<dyn crate::clock::Clock>,
}

/// A batch's records as the counter reads them: sequence numbers parsed, changes decoded.
pub fn count_records(
    records: Vec<EventRecord>,
) -> Result<Vec<crate::aggregate::CountRecord>, String> {
    records
        .into_iter()
        .map(|record| {
            let (id, change) = signature_change(record);
            crate::domain::SequenceNumber::parse(&id)
                .map(|seq| (seq, change))
                .ok_or_else(|| format!("a record without a sequence number: {id:?}"))
        })
        .collect()
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
    let records = count_records(event.payload.dynamo_db_event.records)?;
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
        let mut failure = aws_lambda_events::streams::DynamoDbBatchItemFailure::default();
        failure.item_identifier = Some(seq.as_str().to_owned());
        response.batch_item_failures.push(failure);
    }
    Ok(response)
}
