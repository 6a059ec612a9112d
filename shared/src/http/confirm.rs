//! `GET|HEAD|POST /api/confirm`: the page a link opens, and the button that confirms.

use super::{
    Encoding, browser_locale, json, method_not_allowed, page, problem, query_parameter, redirect,
};
use crate::clock::Clock;
use crate::confirm::{ConfirmError, confirm_signature, inspect_link};
use crate::domain::{LinkToken, Locale};
use crate::pages;
use crate::ports::SignatureStore;
use http::{Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

#[derive(Clone)]
pub struct ConfirmState {
    pub store: Arc<dyn SignatureStore>,
    pub clock: Arc<dyn Clock>,
}

#[derive(serde::Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    t: String,
}

/// A link that leads nowhere: as a page offering to sign again, or as JSON.
fn link_problem(request: &Request, error: &ConfirmError, fallback: Locale) -> Response<Body> {
    let (status, locale, heading, body, code) = match error {
        ConfirmError::ExpiredLink(locale) => (
            StatusCode::GONE,
            *locale,
            "link-expired-title",
            "link-expired-body",
            "expired-link",
        ),
        ConfirmError::UnknownLink => (
            StatusCode::NOT_FOUND,
            fallback,
            "link-unknown-title",
            "link-unknown-body",
            "unknown-link",
        ),
        ConfirmError::Store(_) => {
            return problem(
                request,
                StatusCode::SERVICE_UNAVAILABLE,
                fallback,
                "error-unavailable",
            );
        }
    };
    if request.method() != Method::POST || super::wants_page(request) {
        page(
            status,
            locale,
            pages::message_page(locale, heading, body, true),
        )
    } else {
        let message = crate::i18n::text(locale, heading);
        json(
            status,
            &serde_json::json!({ "status": code, "error": message }),
        )
    }
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_confirm(
    state: &ConfirmState,
    request: Request,
) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        let raw = query_parameter(&request, "t").unwrap_or_default();
        let answer = match LinkToken::parse(&raw) {
            Err(_) => link_problem(&request, &ConfirmError::UnknownLink, locale),
            Ok(token) => {
                match inspect_link(state.store.as_ref(), state.clock.as_ref(), &token).await {
                    Ok(link) => page(
                        StatusCode::OK,
                        link.locale,
                        pages::confirm_page(link.locale, &token.encode(), link.already_confirmed),
                    ),
                    Err(e) => link_problem(&request, &e, locale),
                }
            }
        };
        return Ok(super::without_body_for_head(&method, answer));
    }
    if method != Method::POST {
        return Ok(method_not_allowed(&request, locale, "GET, HEAD, POST"));
    }
    let (encoding, form): (Encoding, ConfirmForm) = match super::read_body(&request, locale) {
        Ok(read) => read,
        Err(refusal) => return Ok(*refusal),
    };
    let Ok(token) = LinkToken::parse(&form.t) else {
        return Ok(link_problem(&request, &ConfirmError::UnknownLink, locale));
    };
    Ok(
        match confirm_signature(state.store.as_ref(), state.clock.as_ref(), &token).await {
            Ok(locale) => match encoding {
                Encoding::Form => redirect(&format!("/{locale}/thank-you/")),
                Encoding::Json => json(
                    StatusCode::OK,
                    &serde_json::json!({ "status": "confirmed" }),
                ),
            },
            Err(e) => link_problem(&request, &e, locale),
        },
    )
}
