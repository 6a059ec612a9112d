//! What the two links of an email share: the page a `GET` or `HEAD` opens with `?t=`, the button
//! that posts `t` back, and the answer for a link that leads nowhere.

use super::{Encoding, json, method_not_allowed, page, query_parameter, redirect};
use crate::domain::routes::Page;
use crate::domain::{LinkToken, Locale};
use crate::i18n::MessageId;
use crate::pages;
use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};

/// A request to a link's endpoint, read.
pub(super) enum LinkRequest {
    /// `GET` or `HEAD` with `?t=`: show the page, change nothing.
    Open(LinkToken),
    /// `POST` of `t`, as a form or as JSON: act; `withdraw` names the button of the erasure
    /// page that withdraws a consent instead (`campaign`, `partner`).
    Press(Encoding, LinkToken, Option<String>),
    /// Answered already: a method other than `GET`, `HEAD` or `POST`, an unreadable body, or a
    /// token that cannot be one.
    Refused(Response<Body>),
}

/// Reads a link request.
pub(super) fn link_request(request: &Request, locale: Locale) -> LinkRequest {
    #[derive(serde::Deserialize)]
    struct Posted {
        #[serde(default)]
        t: String,
        #[serde(default)]
        withdraw: Option<String>,
    }
    let unknown = || LinkRequest::Refused(dead_link(request, locale));
    match *request.method() {
        Method::GET | Method::HEAD => {
            let raw = query_parameter(request, "t").unwrap_or_default();
            LinkToken::parse(&raw).map_or_else(|_| unknown(), LinkRequest::Open)
        }
        Method::POST => match super::read_body::<Posted>(request, locale) {
            Ok((encoding, posted)) => LinkToken::parse(&posted.t).map_or_else(
                |_| unknown(),
                |token| LinkRequest::Press(encoding, token, posted.withdraw),
            ),
            Err(refusal) => LinkRequest::Refused(*refusal),
        },
        _ => LinkRequest::Refused(method_not_allowed(request, locale, "GET, HEAD, POST")),
    }
}

/// A pressed button's success: a form goes on to the site's page `next`, in `locale`; a script
/// gets `{"status": status}`.
pub(super) fn pressed(
    encoding: Encoding,
    locale: Locale,
    next: Page,
    status: &str,
) -> Response<Body> {
    match encoding {
        Encoding::Form => redirect(&next.at(locale)),
        Encoding::Json => json(StatusCode::OK, &serde_json::json!({ "status": status })),
    }
}

/// A link that leads nowhere (replaced, mistyped, expired or never existing), in the browser's
/// language: as a page offering to sign again, or as JSON. Every dead link answers alike, so
/// none tells whether a signature stands behind it.
pub(super) fn dead_link(request: &Request, locale: Locale) -> Response<Body> {
    let heading = MessageId::LINK_UNKNOWN_TITLE;
    if request.method() != Method::POST || super::wants_page(request) {
        page(
            StatusCode::NOT_FOUND,
            locale,
            pages::message_page(
                locale,
                heading,
                MessageId::LINK_UNKNOWN_BODY,
                pages::Onward::SignAgain,
            ),
        )
    } else {
        let message = crate::i18n::text(locale, heading);
        json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "status": "unknown-link", "error": message }),
        )
    }
}
