//! Queues a confirmation email for each new pending signature or fresh link in the table's
//! stream: the queue keeps them for days, where the stream keeps one.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::sqs::SqsQueue;
use people_first::events::stream::{MailQueueState, handle_stream_batch};
use people_first::{config, telemetry};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let state = MailQueueState {
        queue: Box::new(SqsQueue::from_sdk_config(&aws, config::mail_queue()?)),
    };
    run(service_fn(|event| handle_stream_batch(&state, event))).await
}
