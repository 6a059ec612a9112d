//! `GET|HEAD|POST /api/unsubscribe?t=`: the link every update carries in `List-Unsubscribe`.
//! A `POST` to it stops the campaign's updates at once, as RFC 8058's one-click asks: a mail
//! client sends it with no cookie, page or script, and whatever body it sends is only the
//! RFC's marker. A `GET` (a person's click, or a mail scanner's) shows one button, which posts
//! the same, and changes nothing. The signature stays; an address kept only for the updates goes.

use super::link::dead_link;
use super::{browser_locale, page, query_parameter};
use crate::domain::LinkToken;
use crate::i18n::MessageId;
use crate::pages;
use crate::use_cases::consent::{Consent, withdraw};
use crate::use_cases::erase::inspect_erasure;
use http::{Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use tracing::instrument;

pub use super::erase::EraseState as UnsubscribeState;

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_unsubscribe(
    state: &UnsubscribeState,
    request: Request,
) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    let token = query_parameter(&request, "t").and_then(|raw| LinkToken::parse(&raw).ok());
    let answer = match (request.method().clone(), token) {
        (Method::GET | Method::HEAD | Method::POST, None) => dead_link(&request, locale),
        (Method::GET | Method::HEAD, Some(token)) => {
            match inspect_erasure(state.store.as_ref(), &token).await {
                Ok(Some(held)) if held.updates => page(
                    StatusCode::OK,
                    held.locale,
                    pages::unsubscribe_page(held.locale, &token.encode(), update(&request)),
                ),
                Ok(Some(held)) => unsubscribed(held.locale),
                Ok(None) => dead_link(&request, locale),
                Err(fault) => super::unavailable(&request, locale, &fault),
            }
        }
        (Method::POST, Some(token)) => {
            let store = state.store.as_ref();
            match withdraw(store, state.clock.as_ref(), &token, Consent::Campaign).await {
                Ok(Some(withdrawn)) => {
                    if withdrawn.changed {
                        count_for_the_update(state, &request).await;
                    }
                    unsubscribed(withdrawn.locale)
                }
                Ok(None) => dead_link(&request, locale),
                Err(fault) => super::unavailable(&request, locale, &fault),
            }
        }
        _ => super::method_not_allowed(&request, locale, "GET, HEAD, POST"),
    };
    Ok(super::without_body_for_head(request.method(), answer))
}

/// The update whose email carried the link (`u=`), if it names one.
fn update(request: &Request) -> Option<crate::domain::UpdateNumber> {
    query_parameter(request, "u").and_then(|u| u.parse().ok())
}

/// Adds one unsubscribe to the update whose link it was (`u=`): what staff read in its
/// status. A count that fails is logged; the signer's wish is what matters.
async fn count_for_the_update(state: &UnsubscribeState, request: &Request) {
    let Some(number) = update(request) else {
        return;
    };
    let counts = crate::domain::UpdateCounts {
        unsubscribed: 1,
        ..crate::domain::UpdateCounts::default()
    };
    if let Err(e) = state.updates.count_update(number, &counts).await {
        tracing::warn!(error = %crate::telemetry::Causes(&e), "the unsubscribe could not be counted");
    }
}

/// The updates are stopped: said in place, with no redirect for a mail client to follow.
fn unsubscribed(locale: crate::domain::Locale) -> Response<Body> {
    page(
        StatusCode::OK,
        locale,
        pages::message_page(
            locale,
            MessageId::UNSUBSCRIBED_TITLE,
            MessageId::UNSUBSCRIBED_BODY,
            pages::Onward::Home,
        ),
    )
}
