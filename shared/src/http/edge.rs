//! Only through the CDN. The CDN adds a secret header to every request it sends the API, and a
//! function answers only requests that carry it: a call to the API's own address would skip the
//! firewall, the CDN's cache and its headers.

use crate::i18n::MessageId;
use lambda_http::{Body, Error, Request, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The header the CDN adds to requests for the API (infra/template.yaml, the API's origin).
pub const ORIGIN_HEADER: &str = "x-people-first-origin";

/// The metric counting calls to the API's own address (infra/template.yaml's alarm on it).
pub const CALLS_SKIPPING_THE_CDN: &str = "CallsSkippingTheCdn";

/// The secret the CDN sends, kept as its SHA-256, so that checking a request takes the same time
/// whatever it carries.
pub struct EdgeSecret([u8; 32]);

impl EdgeSecret {
    pub fn new(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// The request carries the secret: it came through the CDN.
    pub fn admits(&self, request: &Request) -> bool {
        let Some(carried) = request.headers().get(ORIGIN_HEADER) else {
            return false;
        };
        let carried: [u8; 32] = Sha256::digest(carried.as_bytes()).into();
        self.0.ct_eq(&carried).into()
    }

    /// Hands the request to the handler when it came through the CDN; otherwise a 403, before
    /// anything of the request is read, counted as `CallsSkippingTheCdn`: the CDN always sends
    /// the secret, so any such call means the API's own address is known outside the stack
    /// (infra/README.md, "Operating").
    pub async fn guard<Handler, Handled>(
        &self,
        request: Request,
        handler: Handler,
    ) -> Result<Response<Body>, Error>
    where
        Handler: FnOnce(Request) -> Handled,
        Handled: Future<Output = Result<Response<Body>, Error>>,
    {
        let admitted = self.admits(&request);
        if !admitted {
            crate::telemetry::count(CALLS_SKIPPING_THE_CDN);
        }
        super::guarded(
            admitted,
            request,
            MessageId::ERROR_NOT_THROUGH_SITE,
            handler,
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(origin: Option<&str>) -> Request {
        let mut builder = http::Request::builder().uri("/api/count");
        if let Some(value) = origin {
            builder = builder.header(ORIGIN_HEADER, value);
        }
        builder.body(Body::Empty).unwrap()
    }

    #[test]
    fn only_the_cdns_secret_is_admitted() {
        let secret = EdgeSecret::new("s3cr3t-of-the-cdn");
        assert!(secret.admits(&request(Some("s3cr3t-of-the-cdn"))));
        assert!(!secret.admits(&request(Some("s3cr3t-of-the-cdN"))));
        assert!(!secret.admits(&request(Some(""))));
        assert!(!secret.admits(&request(None)));
    }
}
