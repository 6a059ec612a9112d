//! The HTTP handlers the functions and the local stack share: plain async functions from a
//! request to a response.

pub mod answer_time;
pub mod confirm;
pub mod count;
pub mod csp;
pub mod edge;
pub mod erase;
pub mod form;
pub mod frame;
pub mod lambda;
mod link;
pub mod origin;
pub mod sign;
pub mod supporters;
pub mod unsubscribe;

use crate::domain::Locale;
use crate::i18n;
use crate::i18n::MessageId;
use crate::telemetry::Causes;
use http::header::{
    ACCEPT, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_LANGUAGE, CONTENT_TYPE, LOCATION,
};
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Request, Response};

/// The largest request body accepted: a signature is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Seconds a client should wait before retrying after a 503.
pub const RETRY_AFTER_SECONDS: u32 = 2;

/// How a request's body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Json,
    Form,
}

pub fn encoding(request: &Request) -> Option<Encoding> {
    let content_type = request.headers().get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Some(Encoding::Json),
        "application/x-www-form-urlencoded" => Some(Encoding::Form),
        _ => None,
    }
}

/// A POST's body, decoded as JSON or as a form into `T`; or the 4xx that refuses it, in the
/// requester's language: too large, of another content type, or unreadable.
pub fn read_body<T: serde::de::DeserializeOwned>(
    request: &Request,
    locale: Locale,
) -> Result<(Encoding, T), Box<Response<Body>>> {
    let refuse = |status, message| Box::new(problem(request, status, locale, message));
    if request.body().len() > MAX_BODY_BYTES {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            MessageId::ERROR_BODY_TOO_LARGE,
        ));
    }
    let Some(encoding) = encoding(request) else {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            MessageId::ERROR_CONTENT_TYPE,
        ));
    };
    let body: &[u8] = request.body().as_ref();
    let parsed = match encoding {
        Encoding::Json => serde_json::from_slice(body).ok(),
        Encoding::Form => serde_urlencoded::from_bytes(body).ok(),
    };
    parsed
        .map(|value| (encoding, value))
        .ok_or_else(|| refuse(StatusCode::BAD_REQUEST, MessageId::ERROR_MALFORMED))
}

/// Whether to answer with a page rather than JSON: forms, and browsers asking for HTML.
pub fn wants_page(request: &Request) -> bool {
    match encoding(request) {
        Some(Encoding::Form) => true,
        Some(Encoding::Json) => false,
        None => header(request, ACCEPT).is_some_and(|a| a.contains("text/html")),
    }
}

pub fn header(request: &Request, name: http::header::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The requester's language by their browser's preference.
pub fn browser_locale(request: &Request) -> Locale {
    Locale::negotiate(header(request, ACCEPT_LANGUAGE))
}

pub fn query_parameter(request: &Request, name: &str) -> Option<String> {
    let query = request.uri().query()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// The headers every response of the functions carries, whoever passes it on.
pub fn secure(headers: &mut http::HeaderMap, policy: &'static str) {
    headers.insert("content-security-policy", HeaderValue::from_static(policy));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
}

fn response(status: StatusCode, content_type: &'static str, body: Body) -> Response<Body> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    let policy = if content_type.starts_with("text/html") {
        csp::PAGE
    } else {
        csp::API
    };
    secure(headers, policy);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Answers about one person's signature are never cached anywhere.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Links carry secrets in their query: never send them on as a referrer.
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}

pub fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    response(status, "application/json", Body::Text(value.to_string()))
}

pub fn page(status: StatusCode, locale: Locale, html: String) -> Response<Body> {
    let mut response = response(status, "text/html; charset=utf-8", Body::Text(html));
    response
        .headers_mut()
        .insert(CONTENT_LANGUAGE, HeaderValue::from_static(locale.code()));
    response
}

pub fn redirect(location: &str) -> Response<Body> {
    let mut response = response(
        StatusCode::SEE_OTHER,
        "text/plain; charset=utf-8",
        Body::Empty,
    );
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// A failure that is not the requester's doing, or a refusal without fields: a message in
/// their language, as a page or as JSON.
pub fn problem(
    request: &Request,
    status: StatusCode,
    locale: Locale,
    message_id: MessageId,
) -> Response<Body> {
    let mut answer = if wants_page(request) {
        let html = crate::pages::message_page(
            locale,
            MessageId::ERROR_TITLE,
            message_id,
            crate::pages::Onward::Home,
        );
        page(status, locale, html)
    } else {
        json(
            status,
            &serde_json::json!({ "error": i18n::text(locale, message_id) }),
        )
    };
    if status == StatusCode::SERVICE_UNAVAILABLE {
        answer.headers_mut().insert(
            http::header::RETRY_AFTER,
            HeaderValue::from(RETRY_AFTER_SECONDS),
        );
    }
    answer
}

pub fn method_not_allowed(
    request: &Request,
    locale: Locale,
    allow: &'static str,
) -> Response<Body> {
    let mut answer = problem(
        request,
        StatusCode::METHOD_NOT_ALLOWED,
        locale,
        MessageId::ERROR_METHOD,
    );
    answer
        .headers_mut()
        .insert(http::header::ALLOW, HeaderValue::from_static(allow));
    answer
}

/// A HEAD is answered like a GET, without the body.
pub fn without_body_for_head(method: &Method, mut response: Response<Body>) -> Response<Body> {
    if method == Method::HEAD {
        *response.body_mut() = Body::Empty;
    }
    response
}

/// Runs `handler` when a guard admitted the request; otherwise a 403 that says why (`refusal`,
/// a message id) in the requester's language.
async fn guarded<Handler, Handled>(
    admitted: bool,
    request: Request,
    refusal: MessageId,
    handler: Handler,
) -> Result<Response<Body>, lambda_http::Error>
where
    Handler: FnOnce(Request) -> Handled,
    Handled: Future<Output = Result<Response<Body>, lambda_http::Error>>,
{
    if admitted {
        handler(request).await
    } else {
        let locale = browser_locale(&request);
        Ok(problem(&request, StatusCode::FORBIDDEN, locale, refusal))
    }
}

/// A passing fault, in the requester's language: 503 with `Retry-After`, and they try again.
/// Every handler answers a fault here, and it is logged here, once, with the causes under it
/// (errors name an operation or a key, never what a person typed).
pub(crate) fn unavailable(
    request: &Request,
    locale: Locale,
    fault: &dyn std::error::Error,
) -> Response<Body> {
    log_fault(fault);
    problem(
        request,
        StatusCode::SERVICE_UNAVAILABLE,
        locale,
        MessageId::ERROR_UNAVAILABLE,
    )
}

/// The one place a handler logs the fault it answers 503 to.
pub(crate) fn log_fault(fault: &dyn std::error::Error) {
    tracing::error!(fault = %Causes(fault), "answered 503: a passing fault");
}

/// The challenge's verdict on a form otherwise fit to take, when one is asked (the widget's
/// answer is good once, and a person correcting a typo sends it again): `Err` holds the 503 to
/// answer when the provider cannot tell.
pub(crate) async fn challenge_passed(
    challenge: Option<&dyn crate::ports::Challenge>,
    answer: &str,
    request: &Request,
    locale: Locale,
) -> Result<bool, Box<Response<Body>>> {
    let Some(challenge) = challenge else {
        return Ok(true);
    };
    challenge
        .passed(answer)
        .await
        .map_err(|fault| Box::new(unavailable(request, locale, &fault)))
}

/// A form shown again with what was wrong (422), with the challenge's widget when one is asked:
/// its script runs in a frame of its own, which the page's policy then lets in.
pub(crate) fn form_again(
    locale: Locale,
    html: String,
    widget: Option<&crate::domain::challenge::Widget>,
) -> Response<Body> {
    let mut answer = page(StatusCode::UNPROCESSABLE_ENTITY, locale, html);
    if let Some(widget) = widget
        && let Ok(policy) = HeaderValue::from_str(&csp::page_with(widget))
    {
        answer
            .headers_mut()
            .insert("content-security-policy", policy);
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::routes::Page;

    #[test]
    fn every_answer_carries_its_own_policy_and_no_sniffing() {
        let request = http::Request::builder()
            .header("accept", "text/html")
            .body(Body::Empty)
            .unwrap();
        let answers = [
            (json(StatusCode::OK, &serde_json::json!({})), csp::API),
            (redirect(&Page::ThankYou.at(Locale::En)), csp::API),
            (page(StatusCode::OK, Locale::En, String::new()), csp::PAGE),
            (
                problem(
                    &request,
                    StatusCode::FORBIDDEN,
                    Locale::En,
                    MessageId::ERROR_OTHER_SITE,
                ),
                csp::PAGE,
            ),
        ];
        for (answer, policy) in answers {
            assert_eq!(answer.headers()["content-security-policy"], policy);
            assert_eq!(answer.headers()["x-content-type-options"], "nosniff");
            assert!(policy.contains("frame-ancestors 'none'"));
        }
    }
}
