//! Sending email through Amazon SES, as a raw MIME message so it can carry `List-Unsubscribe`.

use crate::ports::{MailError, Mailer, OutgoingEmail};
use async_trait::async_trait;
use aws_sdk_ses::Client;
use aws_sdk_ses::error::DisplayErrorContext;
use aws_sdk_ses::primitives::Blob;
use aws_sdk_ses::types::RawMessage;
use mail_builder::MessageBuilder;
use mail_builder::headers::raw::Raw;

pub struct SesMailer {
    client: Client,
}

impl SesMailer {
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    pub fn from_sdk_config(config: &aws_config::SdkConfig) -> Self {
        Self::new(Client::new(config))
    }
}

/// The whole message as MIME: plain text and HTML alternatives, no remote content.
pub fn mime(email: &OutgoingEmail) -> Result<Vec<u8>, MailError> {
    MessageBuilder::new()
        .header("From", Raw::new(email.from.as_str()))
        .to(email.to.as_str())
        .subject(email.subject.as_str())
        .header(
            "List-Unsubscribe",
            Raw::new(email.list_unsubscribe.as_str()),
        )
        .text_body(email.text.as_str())
        .html_body(email.html.as_str())
        .write_to_vec()
        .map_err(|e| MailError::Rejected(e.to_string()))
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let message = RawMessage::builder()
            .data(Blob::new(mime(email)?))
            .build()
            .map_err(|e| MailError::Rejected(e.to_string()))?;
        match self
            .client
            .send_raw_email()
            .raw_message(message)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(s)
                    if s.is_message_rejected()
                        || s.is_mail_from_domain_not_verified_exception() =>
                {
                    Err(MailError::Rejected(
                        s.meta().code().unwrap_or("rejected").to_owned(),
                    ))
                }
                _ => Err(MailError::Unavailable(DisplayErrorContext(&e).to_string())),
            },
        }
    }
}
