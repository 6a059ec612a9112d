//! `GET|HEAD|POST /api/confirm`: the page a link opens, and the button that confirms.

use super::{
    Encoding, browser_locale, json, method_not_allowed, page, problem, query_parameter, redirect,
};
use crate::clock::Clock;
use crate::confirm::{LinkError, confirm_signature, inspect_link};
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

/// A link that leads nowhere: as a page offering to sign again, or as JSON.
/// The `t` a link's page posts, as a form or as JSON; or the answer refusing it.
pub(super) fn posted_token(
    request: &Request,
    locale: Locale,
) -> Result<(Encoding, LinkToken), Box<Response<Body>>> {
    #[derive(serde::Deserialize)]
    struct Posted {
        #[serde(default)]
        t: String,
    }
    let (encoding, posted): (Encoding, Posted) = super::read_body(request, locale)?;
    LinkToken::parse(&posted.t)
        .map(|token| (encoding, token))
        .map_err(|_| Box::new(link_problem(request, &LinkError::UnknownLink, locale)))
}

pub(super) fn link_problem(
    request: &Request,
    error: &LinkError,
    fallback: Locale,
) -> Response<Body> {
    let (status, locale, heading, body, code) = match error {
        LinkError::ExpiredLink(locale) => (
            StatusCode::GONE,
            *locale,
            "link-expired-title",
            "link-expired-body",
            "expired-link",
        ),
        LinkError::UnknownLink => (
            StatusCode::NOT_FOUND,
            fallback,
            "link-unknown-title",
            "link-unknown-body",
            "unknown-link",
        ),
        LinkError::Store(_) => {
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
            Err(_) => link_problem(&request, &LinkError::UnknownLink, locale),
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
    let (encoding, token) = match posted_token(&request, locale) {
        Ok(posted) => posted,
        Err(refusal) => return Ok(*refusal),
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
