//! The mail queue on the emulator's SQS: fresh queues, and their messages handed to a function
//! as Lambda's SQS event source mapping hands them.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use std::collections::HashMap;

pub async fn fresh_queue(config: &aws_config::SdkConfig) -> String {
    let name = format!("mail-{}-{}", std::process::id(), rand::random::<u32>());
    aws_sdk_sqs::Client::new(config)
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .expect("the emulator creates a queue")
        .queue_url
        .expect("a queue has an address")
}

/// An invocation's context with Lambda's deadline a minute away.
pub fn context() -> lambda_runtime::Context {
    let mut context = lambda_runtime::Context::default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    context.deadline = u64::try_from(now.as_millis()).unwrap() + 60_000;
    context
}

/// Whether no message waits, visible or in flight.
pub async fn is_empty(config: &aws_config::SdkConfig, url: &str) -> bool {
    let attributes = aws_sdk_sqs::Client::new(config)
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::All)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap_or_default();
    let count = |name| {
        attributes
            .get(&name)
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or_default()
    };
    count(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages) == 0
        && count(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessagesNotVisible) == 0
}

/// Every message waiting, received with their receipts.
async fn receive_all(client: &aws_sdk_sqs::Client, url: &str) -> Vec<aws_sdk_sqs::types::Message> {
    let mut all = Vec::new();
    loop {
        let received = client
            .receive_message()
            .queue_url(url)
            .max_number_of_messages(10)
            .visibility_timeout(60)
            .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
            .send()
            .await
            .unwrap();
        match received.messages {
            Some(messages) if !messages.is_empty() => all.extend(messages),
            _ => return all,
        }
    }
}

/// Hands what waits in the queue to `handle` in one event, as the event source mapping does:
/// messages it names as failures are made visible again (at once, where Lambda waits for the
/// visibility timeout), the others are deleted. Returns the failures' message ids.
pub async fn deliver<F, Fut>(config: &aws_config::SdkConfig, url: &str, handle: F) -> Vec<String>
where
    F: FnOnce(lambda_runtime::LambdaEvent<SqsEvent>) -> Fut,
    Fut: Future<Output = Result<SqsBatchResponse, lambda_runtime::Error>>,
{
    let client = aws_sdk_sqs::Client::new(config);
    let messages = receive_all(&client, url).await;
    if messages.is_empty() {
        return Vec::new();
    }
    let mut receipts = HashMap::new();
    let records: Vec<SqsMessage> = messages
        .into_iter()
        .map(|m| {
            let id = m.message_id.clone().unwrap();
            receipts.insert(id.clone(), m.receipt_handle.clone().unwrap());
            let mut record = SqsMessage::default();
            record.message_id = Some(id);
            record.receipt_handle = m.receipt_handle;
            record.body = m.body;
            // As Lambda hands them: how many times it was received, among others.
            record.attributes = m
                .attributes
                .unwrap_or_default()
                .into_iter()
                .map(|(name, value)| (name.as_str().to_owned(), value))
                .collect();
            record.event_source = Some("aws:sqs".into());
            record
        })
        .collect();
    let mut event = SqsEvent::default();
    event.records = records;
    // Through JSON and back, as the runtime hands the event to a function.
    let event: SqsEvent = serde_json::from_value(serde_json::to_value(&event).unwrap()).unwrap();
    let answer = handle(lambda_runtime::LambdaEvent::new(event, context()))
        .await
        .expect("the function answers");
    let failed: Vec<String> = answer
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect();
    for (id, receipt) in receipts {
        if failed.contains(&id) {
            client
                .change_message_visibility()
                .queue_url(url)
                .receipt_handle(receipt)
                .visibility_timeout(0)
                .send()
                .await
                .expect("the emulator makes the message visible");
        } else {
            client
                .delete_message()
                .queue_url(url)
                .receipt_handle(receipt)
                .send()
                .await
                .expect("the emulator deletes the message");
        }
    }
    failed
}
