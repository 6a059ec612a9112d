//! `GET|HEAD|POST /api/confirm`: the page a link opens, and the button that confirms.

use super::link::{LinkRequest, dead_link, link_request, pressed};
use super::{browser_locale, page};
use crate::domain::Locale;
use crate::domain::routes::Page;
use crate::pages;
use crate::ports::Clock;
use crate::ports::SignatureStore;
use crate::use_cases::confirm::{ConfirmError, confirm_signature, inspect_link};
use http::StatusCode;
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

#[derive(Clone)]
pub struct ConfirmState {
    pub store: Arc<dyn SignatureStore>,
    pub clock: Arc<dyn Clock>,
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_confirm(
    state: &ConfirmState,
    request: Request,
) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    let answer = match link_request(&request, locale) {
        LinkRequest::Refused(refusal) => refusal,
        LinkRequest::Open(token) => {
            match inspect_link(state.store.as_ref(), state.clock.as_ref(), &token).await {
                Ok(link) => page(
                    StatusCode::OK,
                    link.choices.locale,
                    pages::confirm_page(&token.encode(), link.already_confirmed, &link.choices),
                ),
                Err(e) => refused(&request, &e, locale),
            }
        }
        LinkRequest::Press(encoding, token, _) => {
            match confirm_signature(state.store.as_ref(), state.clock.as_ref(), &token).await {
                Ok(locale) => pressed(encoding, locale, Page::ThankYou, "confirmed"),
                Err(e) => refused(&request, &e, locale),
            }
        }
    };
    Ok(super::without_body_for_head(request.method(), answer))
}

/// A link that confirms nothing: dead, or waiting for the store.
fn refused(request: &Request, error: &ConfirmError, locale: Locale) -> Response<Body> {
    match error {
        ConfirmError::UnknownLink => dead_link(request, locale),
        ConfirmError::Store(fault) => super::unavailable(request, locale, fault),
    }
}
