//! Sends confirmation emails from the signature table's stream, through SES.

use lambda_runtime::{Error, run, service_fn};
use people_first::adapters::ses::SesMailer;
use people_first::stream::{MailerState, handle_stream_batch};
use people_first::{config, telemetry};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init_json();
    let aws = config::lambda_aws()?;
    let state = MailerState {
        mailer: Box::new(SesMailer::from_sdk_config(&aws)),
        keyring: config::keyring(&aws).await?,
        settings: config::mail_settings()?,
    };
    run(service_fn(|event| handle_stream_batch(&state, event))).await
}
