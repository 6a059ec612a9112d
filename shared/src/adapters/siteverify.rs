//! The bot challenge, asked of its provider: `siteverify`, a form POST answered with
//! `{"success": true|false}`, as Turnstile and hCaptcha both define it. It goes through the AWS
//! SDK's own HTTP client, which every function already carries, rather than a second one.

use crate::domain::challenge::Widget;
use crate::ports::{Challenge, ChallengeUnavailable};
use async_trait::async_trait;
use aws_smithy_http_client::Connector;
use aws_smithy_http_client::tls::{Provider as TlsProvider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::{HttpConnector, HttpConnectorSettings};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use std::time::Duration;

/// A provider slower than this is treated as unreachable: the signer retries.
const TIMEOUT: Duration = Duration::from_secs(3);

/// The provider's answer: whether the widget was solved, on which site, for which action.
#[derive(serde::Deserialize)]
struct Verdict {
    success: bool,
    #[serde(default)]
    hostname: Option<String>,
    #[serde(default)]
    action: Option<String>,
}

/// The action the sign form's widget names (Turnstile's `data-action`).
pub const ACTION: &str = "sign";

pub struct SiteVerify {
    widget: Widget,
    url: String,
    secret: String,
    /// The site's host name: an answer solved on another site (one that shows our site key) does
    /// not count.
    hostname: String,
    connector: Connector,
}

impl SiteVerify {
    /// `url` replaces the provider's own address (a test's stand-in).
    pub fn new(widget: Widget, secret: String, hostname: &str, url: Option<String>) -> Self {
        let settings = HttpConnectorSettings::builder()
            .connect_timeout(TIMEOUT)
            .read_timeout(TIMEOUT)
            .build();
        Self {
            url: url.unwrap_or_else(|| widget.provider.verify_url().to_owned()),
            widget,
            secret,
            hostname: hostname.to_ascii_lowercase(),
            connector: Connector::builder()
                .connector_settings(settings)
                .tls_provider(TlsProvider::Rustls(CryptoMode::Ring))
                .build(),
        }
    }

    async fn ask(&self, answer: &str) -> Result<bool, ChallengeUnavailable> {
        let unavailable = |e: &dyn std::fmt::Display| ChallengeUnavailable(e.to_string());
        let form =
            serde_urlencoded::to_string([("secret", self.secret.as_str()), ("response", answer)])
                .map_err(|e| unavailable(&e))?;
        let request = http::Request::post(&self.url)
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(SdkBody::from(form))
            .map_err(|e| unavailable(&e))?;
        let request = HttpRequest::try_from(request).map_err(|e| unavailable(&e))?;
        let response =
            self.connector.call(request).await.map_err(|e| {
                unavailable(&aws_smithy_types::error::display::DisplayErrorContext(e))
            })?;
        if !response.status().is_success() {
            return Err(unavailable(&response.status().as_u16()));
        }
        let body = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| unavailable(&e))?;
        let verdict: Verdict =
            serde_json::from_slice(&body.into_bytes()).map_err(|e| unavailable(&e))?;
        let here = verdict
            .hostname
            .is_some_and(|h| h.eq_ignore_ascii_case(&self.hostname));
        // hCaptcha names no action; Turnstile names the one the widget was given.
        let for_signing = match self.widget.provider {
            crate::domain::challenge::Provider::Turnstile => {
                verdict.action.as_deref() == Some(ACTION)
            }
            crate::domain::challenge::Provider::HCaptcha => true,
        };
        if verdict.success && !(here && for_signing) {
            tracing::warn!("a challenge solved on another site or for another action");
        }
        Ok(verdict.success && here && for_signing)
    }
}

#[async_trait]
impl Challenge for SiteVerify {
    fn widget(&self) -> &Widget {
        &self.widget
    }

    async fn passed(&self, answer: &str) -> Result<bool, ChallengeUnavailable> {
        if answer.trim().is_empty() {
            return Ok(false);
        }
        tokio::time::timeout(TIMEOUT, self.ask(answer))
            .await
            .map_err(|_| ChallengeUnavailable("no answer in time".into()))?
    }
}
