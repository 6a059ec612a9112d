//! The functions on the table's stream: the mail queue and the aggregate. Each reads a batch into
//! the change feed's shape and names the record Lambda must deliver again from, if any.

use crate::adapters::stream::{change_of, changes_in};
use crate::domain::{Change, SequenceNumber};

/// The answer that asks Lambda to deliver the batch again from `sequence` on.
fn retry_from(sequence: &SequenceNumber) -> aws_lambda_events::streams::DynamoDbBatchItemFailure {
    let mut failure = aws_lambda_events::streams::DynamoDbBatchItemFailure::default();
    failure.item_identifier = Some(sequence.as_str().to_owned());
    failure
}

/// The mailer's reading of a batch: a record it cannot place in the stream is logged, counted
/// and passed over like any unreadable record, since failing the batch for it would hold back
/// every email of the shard until the stream drops them.
fn readable(records: Vec<aws_lambda_events::dynamodb::EventRecord>) -> Vec<Change> {
    records
        .into_iter()
        .filter_map(|record| {
            change_of(record)
                .inspect_err(|reason| {
                    tracing::error!(%reason, "unreadable stream record skipped");
                    crate::telemetry::count("UnreadableRecords");
                })
                .ok()
        })
        .collect()
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
    let batch = readable(event.payload.records);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::{MailError, MailQueue, MailRequest};
    use std::sync::Mutex;

    #[derive(Default)]
    struct Queued(Mutex<Vec<MailRequest>>);

    #[async_trait::async_trait]
    impl MailQueue for Queued {
        async fn enqueue(&self, requests: &[MailRequest]) -> Result<(), MailError> {
            self.0.lock().unwrap().extend_from_slice(requests);
            Ok(())
        }
    }

    fn record(sequence: Option<&str>, pk: &str) -> serde_json::Value {
        let image = serde_json::json!({
            "pk": {"S": pk}, "status": {"S": "pending"}, "name": {"S": "Olena"},
            "email": {"S": "olena@example.org"}, "country": {"S": "UA"}, "locale": {"S": "uk"},
            "updates": {"BOOL": false}, "privacy_policy": {"S": "2026-11-29"},
            "signed_at": {"N": "1764374400"}, "link_nonce": {"S": "01".repeat(16)},
            "secret_hash": {"S": "02".repeat(32)}, "link_sent_at": {"N": "1764374400"},
            "link_expires_at": {"N": "1764979200"},
        });
        let mut change = serde_json::json!({
            "Keys": {"pk": {"S": pk}}, "NewImage": image, "StreamViewType": "NEW_AND_OLD_IMAGES",
            "SizeBytes": 300,
        });
        if let Some(sequence) = sequence {
            change["SequenceNumber"] = sequence.into();
        }
        serde_json::json!({
            "eventID": "1", "eventName": "INSERT", "eventSource": "aws:dynamodb",
            "awsRegion": "eu-west-1", "dynamodb": change,
        })
    }

    #[tokio::test]
    async fn a_record_without_a_sequence_number_holds_back_no_email() {
        let event: aws_lambda_events::dynamodb::Event = serde_json::from_value(serde_json::json!({
            "Records": [record(None, &"11".repeat(32)), record(Some("200"), &"22".repeat(32))],
        }))
        .unwrap();
        let queued = std::sync::Arc::new(Queued::default());
        let state = MailQueueState {
            queue: Box::new(queued.clone()),
        };
        let event = lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
        let response = handle_stream_batch(&state, event).await.unwrap();
        assert!(response.batch_item_failures.is_empty());
        let queued = queued.0.lock().unwrap();
        assert_eq!(queued.len(), 1, "the numbered record's email is queued");
        let MailRequest::Confirmation { signer, .. } = &queued[0] else {
            panic!("a signature's request: {:?}", queued[0]);
        };
        assert_eq!(signer.to_hex(), "22".repeat(32));
    }
}
