//! The functions on the table's stream: the mail queue and the aggregate. Each reads a batch into
//! the change feed's shape and names the record Lambda must deliver again from, if any.

use crate::adapters::stream::changes_in;
use crate::domain::SequenceNumber;

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
    if let Err(e) = crate::use_cases::mailing::queue_batch(state.queue.as_ref(), &batch).await {
        tracing::warn!(error = %e.cause, "the batch will be retried");
        response.batch_item_failures.push(retry_from(&e.from));
    }
    Ok(response)
}

/// What the aggregate function needs, built once per process.
pub struct AggregateState {
    pub counter: Box<dyn crate::ports::CounterStore>,
    pub clock: Box<dyn crate::ports::Clock>,
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
    if let Err(crate::use_cases::aggregate::AggregateError::RetryFrom(seq, cause)) =
        crate::use_cases::aggregate::count_batch(
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
