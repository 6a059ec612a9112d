//! `GET|HEAD|POST /api/erase`: the page an erasure link opens, and the button that erases.

use super::link::{LinkRequest, link_request, pressed};
use super::{browser_locale, page};
use crate::domain::routes::Page;
use crate::i18n::MessageId;
use crate::pages;
use crate::ports::SignatureStore;
use crate::use_cases::erase::{erase_signature, inspect_erasure};
use http::StatusCode;
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
    let answer = match link_request(&request, locale) {
        LinkRequest::Refused(refusal) => refusal,
        LinkRequest::Open(token) => match inspect_erasure(state.store.as_ref(), &token).await {
            Ok(Some(locale)) => page(
                StatusCode::OK,
                locale,
                pages::erase_page(locale, &token.encode()),
            ),
            Ok(None) => page(
                StatusCode::OK,
                locale,
                pages::message_page(
                    locale,
                    MessageId::ERASED_TITLE,
                    MessageId::ERASED_BODY,
                    pages::Onward::Home,
                ),
            ),
            Err(fault) => super::unavailable(&request, locale, &fault),
        },
        LinkRequest::Press(encoding, token) => {
            match erase_signature(state.store.as_ref(), &token).await {
                Ok(erased) => pressed(encoding, erased.unwrap_or(locale), Page::Erased, "erased"),
                Err(fault) => super::unavailable(&request, locale, &fault),
            }
        }
    };
    Ok(super::without_body_for_head(request.method(), answer))
}
