//! Signing only from our pages. A form on any other site can POST to `/api/sign` without a
//! preflight, turning its visitors' browsers into signers; browsers say where such a request
//! comes from (`Origin`, `Sec-Fetch-Site`), and one from another site is refused unless a
//! partner's origin is listed. A request that names neither (curl, an old browser) is no
//! browser acting for another site, and passes.

use crate::i18n::MessageId;
use lambda_http::{Body, Error, Request, Response};

pub struct SignOrigins {
    allowed: Vec<String>,
}

/// An origin as browsers write it: scheme, host and port, lower case, no trailing slash.
fn normalised(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

impl SignOrigins {
    /// The site's own origins and the partners'.
    pub fn new<'a>(origins: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            allowed: origins
                .into_iter()
                .map(normalised)
                .filter(|o| !o.is_empty())
                .collect(),
        }
    }

    pub fn admits(&self, request: &Request) -> bool {
        let header = |name| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        match (header("origin"), header("sec-fetch-site").as_deref()) {
            (Some(origin), _) if origin != "null" => self.allowed.contains(&normalised(&origin)),
            // No origin, or `null`: what a browser sends for our own form under the pages'
            // `Referrer-Policy: no-referrer`, and for a sandboxed frame anywhere. The fetch
            // metadata tells them apart where the browser sends it.
            (_, Some("same-origin" | "none") | None) => true,
            (_, Some(_)) => false,
        }
    }

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
            tracing::warn!("a signature from another site refused");
        }
        super::guarded(admitted, request, MessageId::ERROR_OTHER_SITE, handler).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(headers: &[(&str, &str)]) -> Request {
        let mut builder = http::Request::builder().method("POST").uri("/api/sign");
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Body::Empty).unwrap()
    }

    #[test]
    fn only_our_pages_and_listed_partners_may_sign_from_a_browser() {
        let origins = SignOrigins::new(["https://people1st.example/", "https://Partner.example"]);
        for admitted in [
            vec![
                ("origin", "https://people1st.example"),
                ("sec-fetch-site", "same-origin"),
            ],
            vec![
                ("origin", "https://partner.example"),
                ("sec-fetch-site", "cross-site"),
            ],
            vec![("sec-fetch-site", "same-origin")],
            vec![("sec-fetch-site", "none")],
            // Our own form, posted under `Referrer-Policy: no-referrer`.
            vec![("origin", "null"), ("sec-fetch-site", "same-origin")],
            vec![],
        ] {
            assert!(origins.admits(&from(&admitted)), "{admitted:?}");
        }
        for refused in [
            vec![
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
            vec![("origin", "https://evil.example")],
            vec![("origin", "null"), ("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "same-site")],
        ] {
            assert!(!origins.admits(&from(&refused)), "{refused:?}");
        }
    }
}
