//! `GET|HEAD|POST /api/erase`: the page an erasure link opens, and the button that erases.

use super::confirm::{link_problem, posted_token};
use super::{Encoding, browser_locale, json, method_not_allowed, page, query_parameter, redirect};
use crate::confirm::LinkError;
use crate::domain::LinkToken;
use crate::erase::{erase_signature, inspect_erasure};
use crate::pages;
use crate::ports::SignatureStore;
use http::{Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

#[derive(Clone)]
pub struct EraseState {
    pub store: Arc<dyn SignatureStore>,
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_erase(state: &EraseState, request: Request) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        let raw = query_parameter(&request, "t").unwrap_or_default();
        let answer = match LinkToken::parse(&raw) {
            Err(_) => link_problem(&request, &LinkError::UnknownLink, locale),
            Ok(token) => match inspect_erasure(state.store.as_ref(), &token).await {
                Ok(Some(locale)) => page(
                    StatusCode::OK,
                    locale,
                    pages::erase_page(locale, &token.encode()),
                ),
                Ok(None) => page(
                    StatusCode::OK,
                    locale,
                    pages::message_page(locale, "erased-title", "erased-body", false),
                ),
                Err(e) => link_problem(&request, &e, locale),
            },
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
    Ok(match erase_signature(state.store.as_ref(), &token).await {
        Ok(erased) => match encoding {
            Encoding::Form => redirect(&format!("/{}/erased/", erased.unwrap_or(locale))),
            Encoding::Json => json(StatusCode::OK, &serde_json::json!({ "status": "erased" })),
        },
        Err(e) => link_problem(&request, &e, locale),
    })
}
