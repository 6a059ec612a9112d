//! Sending email through Amazon SES, as a raw MIME message so it can carry `List-Unsubscribe`.

use crate::ports::{MailError, MailKind, Mailer, OutgoingEmail};
use async_trait::async_trait;
use aws_sdk_ses::Client;
use aws_sdk_ses::error::DisplayErrorContext;
use aws_sdk_ses::operation::send_raw_email::SendRawEmailError;
use aws_sdk_ses::primitives::Blob;
use aws_sdk_ses::types::{MessageTag, RawMessage};
use mail_builder::MessageBuilder;
use mail_builder::headers::raw::Raw;

pub struct SesMailer {
    client: Client,
    /// The configuration set organisations' emails are sent under, where there is one: their
    /// bounces and complaints then count apart from the signatures' (the identity's default
    /// set takes the rest).
    organisations: Option<String>,
}

impl SesMailer {
    pub fn new(client: Client) -> Self {
        Self {
            client,
            organisations: None,
        }
    }

    /// Sends organisations' emails under `configuration_set`.
    #[must_use]
    pub fn organisations_under(mut self, configuration_set: Option<String>) -> Self {
        self.organisations = configuration_set;
        self
    }

    /// A client that does not retry on its own: the mailer's pace and backoff decide when to
    /// call SES again, and the SDK's retries would call it outside that pace.
    pub fn from_sdk_config(config: &aws_config::SdkConfig) -> Self {
        let config = aws_sdk_ses::config::Builder::from(config)
            .retry_config(aws_sdk_ses::config::retry::RetryConfig::disabled())
            .build();
        Self::new(Client::from_conf(config))
    }

    /// A client that retries as the SDK does: for the odd email sent while a person waits.
    pub fn retrying(config: &aws_config::SdkConfig) -> Self {
        Self::new(Client::new(config))
    }
}

/// RFC 8058's header value: a POST of it to the first `List-Unsubscribe` link unsubscribes.
pub const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

/// The whole message as MIME: plain text and HTML alternatives, no remote content.
pub fn mime(email: &OutgoingEmail) -> Result<Vec<u8>, MailError> {
    let mut message = MessageBuilder::new()
        .header("From", Raw::new(email.from.as_str()))
        .to(email.to.as_str())
        .subject(email.subject.as_str())
        .header(
            "List-Unsubscribe",
            Raw::new(email.list_unsubscribe.as_str()),
        );
    if email.one_click {
        message = message.header("List-Unsubscribe-Post", Raw::new(ONE_CLICK));
    }
    message
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
        let tag = |name: &str, value: &str| {
            MessageTag::builder()
                .name(name)
                .value(value)
                .build()
                .map_err(|e| MailError::Rejected(e.to_string()))
        };
        let mut tags = vec![tag(MailKind::TAG, email.kind.tag_value())?];
        if let Some(update) = email.update {
            tags.push(tag(MailKind::UPDATE_TAG, &update.to_string())?);
        }
        let configuration_set = match email.kind {
            MailKind::Organisation => self.organisations.clone(),
            MailKind::Confirmation | MailKind::Reminder | MailKind::Update => None,
        };
        match self
            .client
            .send_raw_email()
            .raw_message(message)
            .set_tags(Some(tags))
            .set_configuration_set_name(configuration_set)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => match e.as_service_error() {
                Some(error) if refusal(error).is_some() => Err(MailError::Rejected(
                    refusal(error).unwrap_or_default().to_owned(),
                )),
                Some(error) if is_throttling(error) && spends_the_day(error) => {
                    Err(MailError::QuotaSpent(DisplayErrorContext(&e).to_string()))
                }
                Some(error) if is_throttling(error) => {
                    Err(MailError::Throttled(DisplayErrorContext(&e).to_string()))
                }
                _ => Err(MailError::Unavailable(DisplayErrorContext(&e).to_string())),
            },
        }
    }
}

/// SES's answers that no retry can change, by their code: the message refused, the sender's
/// domain unverified, or a parameter SES will never take (an address it cannot send to).
/// Everything else (throttling, a fault) is worth retrying.
fn refusal(error: &SendRawEmailError) -> Option<&str> {
    let permanent = error.is_message_rejected()
        || error.is_mail_from_domain_not_verified_exception()
        || error.meta().code() == Some("InvalidParameterValue");
    permanent.then(|| error.meta().code().unwrap_or("rejected"))
}

/// SES's answer to a sender over its rate or daily quota (both are `Throttling`).
fn is_throttling(error: &SendRawEmailError) -> bool {
    error.meta().code() == Some("Throttling")
}

/// Which of the two: the daily quota says so in its message.
fn spends_the_day(error: &SendRawEmailError) -> bool {
    error
        .meta()
        .message()
        .is_some_and(|m| m.contains("Daily message quota exceeded"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ses::error::ErrorMetadata;

    fn answered(code: &str) -> SendRawEmailError {
        SendRawEmailError::generic(ErrorMetadata::builder().code(code).build())
    }

    /// Keeps the body of each request the client would send, and sends none.
    #[derive(Debug, Default, Clone)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

    impl aws_sdk_ses::config::Intercept for Captured {
        fn name(&self) -> &'static str {
            "Captured"
        }

        fn read_before_transmit(
            &self,
            context: &aws_sdk_ses::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
            _: &aws_sdk_ses::config::RuntimeComponents,
            _: &mut aws_sdk_ses::config::ConfigBag,
        ) -> Result<(), aws_sdk_ses::error::BoxError> {
            let body = context.request().body().bytes().unwrap_or_default();
            self.0
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(body).into_owned());
            Err("captured, not sent".into())
        }
    }

    #[tokio::test]
    async fn each_email_is_tagged_with_what_it_is_about_and_organisations_go_apart() {
        let captured = Captured::default();
        let config = aws_sdk_ses::Config::builder()
            .behavior_version(aws_sdk_ses::config::BehaviorVersion::latest())
            .region(aws_sdk_ses::config::Region::new("eu-west-1"))
            .credentials_provider(aws_sdk_ses::config::Credentials::for_tests())
            .interceptor(captured.clone())
            .build();
        let mailer = SesMailer::new(Client::from_conf(config))
            .organisations_under(Some("people-first-organisations".into()));
        for kind in [
            MailKind::Confirmation,
            MailKind::Organisation,
            MailKind::Update,
        ] {
            let email = OutgoingEmail {
                kind,
                from: "People First <signatures@people-first.example>".into(),
                to: crate::domain::Email::parse("olena@example.org").unwrap(),
                subject: "Confirm".into(),
                text: "text".into(),
                html: "<p>html</p>".into(),
                list_unsubscribe: "<mailto:privacy@people-first.example>".into(),
                one_click: kind == MailKind::Update,
                update: (kind == MailKind::Update).then_some(crate::domain::UpdateNumber::new(7)),
            };
            assert!(mailer.send(&email).await.is_err(), "nothing was sent");
        }
        let bodies = captured.0.lock().unwrap().clone();
        assert!(!bodies[0].contains("ConfigurationSetName"), "{}", bodies[0]);
        assert!(
            bodies[1].contains("ConfigurationSetName=people-first-organisations"),
            "{}",
            bodies[1]
        );
        assert!(!bodies[2].contains("ConfigurationSetName"), "{}", bodies[2]);
        assert!(
            bodies[2].contains("Tags.member.2.Name=update&Tags.member.2.Value=7"),
            "feedback counts against the update: {}",
            bodies[2]
        );
        for (body, value) in bodies
            .iter()
            .zip(["confirmation", "organisation", "update"])
        {
            assert!(body.contains("Action=SendRawEmail"), "{body}");
            assert!(
                body.contains(&format!(
                    "Tags.member.1.Name=kind&Tags.member.1.Value={value}"
                )),
                "{body}"
            );
        }
        assert_eq!(bodies.len(), 3);
    }

    #[test]
    fn only_an_update_says_that_a_post_unsubscribes() {
        let email = |one_click| OutgoingEmail {
            kind: MailKind::Update,
            from: "People First <signatures@people-first.example>".into(),
            to: crate::domain::Email::parse("olena@example.org").unwrap(),
            subject: "News".into(),
            text: "text".into(),
            html: "<p>html</p>".into(),
            list_unsubscribe: "<https://people-first.example/api/unsubscribe?t=x>".into(),
            one_click,
            update: None,
        };
        let headers = |one_click| {
            let message = String::from_utf8(mime(&email(one_click)).unwrap()).unwrap();
            message.split("\r\n\r\n").next().unwrap().to_owned()
        };
        assert!(
            headers(true).contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
            "{}",
            headers(true)
        );
        assert!(!headers(false).contains("List-Unsubscribe-Post"));
        assert!(
            headers(true)
                .contains("List-Unsubscribe: <https://people-first.example/api/unsubscribe?t=x>")
        );
    }

    #[test]
    fn an_address_ses_will_never_take_is_not_retried() {
        assert_eq!(
            refusal(&answered("InvalidParameterValue")),
            Some("InvalidParameterValue")
        );
    }

    #[test]
    fn throttling_and_faults_are_retried() {
        for code in ["Throttling", "ServiceUnavailable", "InternalFailure"] {
            assert_eq!(refusal(&answered(code)), None, "{code}");
        }
    }

    #[test]
    fn throttling_is_told_from_a_fault_and_the_daily_quota_from_the_rate() {
        assert!(is_throttling(&answered("Throttling")));
        assert!(!is_throttling(&answered("ServiceUnavailable")));
        let said = |message: &str| {
            SendRawEmailError::generic(
                ErrorMetadata::builder()
                    .code("Throttling")
                    .message(message)
                    .build(),
            )
        };
        assert!(spends_the_day(&said("Daily message quota exceeded.")));
        assert!(!spends_the_day(&said("Maximum sending rate exceeded.")));
    }
}
