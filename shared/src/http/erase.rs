//! `GET|HEAD|POST /api/erase`: the page an erasure link opens, the button that erases, and the
//! buttons that withdraw a consent while the signature stays.

use super::link::{LinkRequest, dead_link, link_request, pressed};
use super::{browser_locale, page};
use crate::domain::routes::Page;
use crate::i18n::MessageId;
use crate::pages;
use crate::ports::{Clock, SignatureStore};
use crate::use_cases::consent::{Consent, withdraw};
use crate::use_cases::erase::{erase_signature, inspect_erasure};
use http::StatusCode;
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

#[derive(Clone)]
pub struct EraseState {
    pub store: Arc<dyn SignatureStore>,
    /// Where an update's unsubscribes are counted.
    pub updates: Arc<dyn crate::ports::UpdateStore>,
    /// When a consent is withdrawn.
    pub clock: Arc<dyn Clock>,
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_erase(state: &EraseState, request: Request) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    let answer = match link_request(&request, locale) {
        LinkRequest::Refused(refusal) => refusal,
        LinkRequest::Open(token) => match inspect_erasure(state.store.as_ref(), &token).await {
            Ok(Some(held)) => page(
                StatusCode::OK,
                held.locale,
                pages::erase_page(
                    held.locale,
                    &token.encode(),
                    held.updates,
                    held.partner.as_deref(),
                ),
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
        LinkRequest::Press(encoding, token, None) => {
            match erase_signature(state.store.as_ref(), state.clock.as_ref(), &token).await {
                Ok(erased) => pressed(encoding, erased.unwrap_or(locale), Page::Erased, "erased"),
                Err(fault) => super::unavailable(&request, locale, &fault),
            }
        }
        LinkRequest::Press(encoding, token, Some(button)) => {
            let consent = match button.as_str() {
                "campaign" => Consent::Campaign,
                "partner" => Consent::Partner,
                _ => return Ok(dead_link(&request, locale)),
            };
            let store = state.store.as_ref();
            match withdraw(store, state.clock.as_ref(), &token, consent).await {
                Ok(Some(withdrawn)) => {
                    pressed(encoding, withdrawn.locale, Page::Withdrawn, "withdrawn")
                }
                // Nothing left of the signature: as an erasure link that leads nowhere.
                Ok(None) => dead_link(&request, locale),
                Err(fault) => super::unavailable(&request, locale, &fault),
            }
        }
    };
    Ok(super::without_body_for_head(request.method(), answer))
}
