//! The bot challenge, asked of its provider: `siteverify`, a form POST answered with
//! `{"success": true|false}`, as Turnstile and hCaptcha both define it.

use crate::challenge::{Challenge, ChallengeUnavailable, Widget};
use async_trait::async_trait;
use http_body_util::{BodyExt, Full};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// A provider slower than this is treated as unreachable: the signer retries.
const TIMEOUT: Duration = Duration::from_secs(3);

/// The provider's answer; the rest of it (error codes, host name) is not needed.
#[derive(serde::Deserialize)]
struct Verdict {
    success: bool,
}

pub struct SiteVerify {
    widget: Widget,
    url: String,
    secret: String,
    client: Client<HttpsConnector<HttpConnector>, Full<bytes::Bytes>>,
}

impl SiteVerify {
    /// `url` replaces the provider's own address (a test's stand-in). Fails when the system
    /// has no root certificates to check the provider by.
    pub fn new(widget: Widget, secret: String, url: Option<String>) -> std::io::Result<Self> {
        let https = HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Self {
            url: url.unwrap_or_else(|| widget.provider.verify_url().to_owned()),
            widget,
            secret,
            client: Client::builder(TokioExecutor::new()).build(https),
        })
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
            .body(Full::from(form))
            .map_err(|e| unavailable(&e))?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| unavailable(&e))?;
        if !response.status().is_success() {
            return Err(unavailable(&response.status()));
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| unavailable(&e))?;
        let verdict: Verdict =
            serde_json::from_slice(&body.to_bytes()).map_err(|e| unavailable(&e))?;
        Ok(verdict.success)
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
