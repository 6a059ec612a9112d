//! The mail queue on Amazon SQS: each request one message, sent ten to a call; and whether any
//! waits, which the follow-up mail asks before it sends.

use crate::ports::{ConfirmationsWaiting, MailError, MailQueue, MailRequest};
use async_trait::async_trait;
use aws_sdk_sqs::Client;
use aws_sdk_sqs::error::DisplayErrorContext;
use aws_sdk_sqs::types::{QueueAttributeName, SendMessageBatchRequestEntry};

pub struct SqsQueue {
    client: Client,
    url: String,
}

/// The most messages SQS takes in one call.
const BATCH: usize = 10;

impl SqsQueue {
    pub fn new(client: Client, url: impl Into<String>) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }

    pub fn from_sdk_config(config: &aws_config::SdkConfig, url: impl Into<String>) -> Self {
        Self::new(Client::new(config), url)
    }

    async fn send_ten(&self, requests: &[MailRequest]) -> Result<(), MailError> {
        let entries = requests
            .iter()
            .enumerate()
            .map(|(n, request)| {
                let body = serde_json::to_string(request)
                    .map_err(|e| MailError::Unavailable(e.to_string()))?;
                SendMessageBatchRequestEntry::builder()
                    .id(n.to_string())
                    .message_body(body)
                    .build()
                    .map_err(|e| MailError::Unavailable(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let answer = self
            .client
            .send_message_batch()
            .queue_url(&self.url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(|e| MailError::Unavailable(DisplayErrorContext(&e).to_string()))?;
        // A call that succeeds can still refuse some of its messages.
        match answer.failed.first() {
            None => Ok(()),
            Some(failed) => Err(MailError::Unavailable(format!(
                "{} of {} messages not queued: {}",
                answer.failed.len(),
                requests.len(),
                failed.code
            ))),
        }
    }
}

#[async_trait]
impl MailQueue for SqsQueue {
    async fn enqueue(&self, requests: &[MailRequest]) -> Result<(), MailError> {
        let calls = requests.chunks(BATCH).map(|ten| self.send_ten(ten));
        futures_util::future::try_join_all(calls).await.map(drop)
    }
}

/// What SQS counts of a queue's messages: waiting, in a mailer's hands, or delayed. Its counts
/// are approximate and lag by a minute at most; a message it misses is sent by a mailer all the
/// same, and the follow-up mail only yields to it a second later.
const WAITING: [QueueAttributeName; 3] = [
    QueueAttributeName::ApproximateNumberOfMessages,
    QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
    QueueAttributeName::ApproximateNumberOfMessagesDelayed,
];

#[async_trait]
impl ConfirmationsWaiting for SqsQueue {
    async fn waiting(&self) -> Result<bool, MailError> {
        let answer = self
            .client
            .get_queue_attributes()
            .queue_url(&self.url)
            .set_attribute_names(Some(WAITING.to_vec()))
            .send()
            .await
            .map_err(|e| MailError::Unavailable(DisplayErrorContext(&e).to_string()))?;
        let attributes = answer.attributes.unwrap_or_default();
        Ok(WAITING.iter().any(|name| {
            attributes
                .get(name)
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| n > 0)
        }))
    }
}
