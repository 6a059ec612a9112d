//! `POST /api/organisations`: an organisation asks to join the list; and
//! `GET|HEAD|POST /api/organisations/confirm`: its contact's link, and the button that confirms.

use super::answer_time::AnswerTime;
use super::form::{self, Read, SupportForm};
use super::{Encoding, browser_locale, json, method_not_allowed, page, query_parameter, redirect};
use crate::domain::routes::Page;
use crate::domain::{Locale, OrganisationId, SecretHash};
use crate::i18n;
use crate::i18n::MessageId;
use crate::keyring::Keyring;
use crate::pages;
use crate::ports::Challenge;
use crate::ports::Clock;
use crate::ports::{Mailer, SignatureStore, SupporterStore};
use crate::use_cases::supporters::{
    ContactLink, SupportSettings, confirm_contact, link_hash, read_contact_link, request_silently,
    request_support,
};
use http::{Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

/// What the organisations' handlers need, built once per process.
#[derive(Clone)]
pub struct SupportState {
    pub store: Arc<dyn SupporterStore>,
    /// Where the day's emails to each mailbox are counted, as for signing.
    pub limits: Arc<dyn SignatureStore>,
    pub mailer: Arc<dyn Mailer>,
    pub keyring: Arc<Keyring>,
    pub clock: Arc<dyn Clock>,
    pub challenge: Option<Arc<dyn Challenge>>,
    pub settings: SupportSettings,
    /// When a request that was taken, or silenced, is answered: as signing's, so the time
    /// tells nobody whether a mailbox was past its emails for the day.
    pub answer_time: AnswerTime,
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_organisation_request(
    state: &SupportState,
    request: Request,
) -> Result<Response<Body>, Error> {
    let arrived = tokio::time::Instant::now();
    let (store, limits) = (state.store.as_ref(), state.limits.as_ref());
    let (keyring, clock) = (&state.keyring, state.clock.as_ref());
    let (taken, accepted, locale) =
        match form::read::<SupportForm>(&request, state.challenge.as_deref()).await {
            Read::Taken(taken) => (
                request_support(store, limits, keyring, clock, taken.parsed.clone()).await,
                taken.accepted(),
                taken.locale,
            ),
            // A bot waits as long as a person, and fails as a person would.
            Read::Silenced(taken) => (
                request_silently(store, limits, keyring, clock).await,
                taken.accepted(),
                taken.locale,
            ),
            Read::Answered(answer) => return Ok(answer),
        };
    // Whatever came of it, the answer leaves at the same time.
    state.answer_time.wait(arrived).await;
    match taken {
        Ok(()) => Ok(accepted),
        Err(fault) => Ok(super::unavailable(&request, locale, &fault)),
    }
}

/// A contact's link or button, read: which request, and the hash of its secret.
fn read_link(
    request: &Request,
    locale: Locale,
) -> Result<(Encoding, OrganisationId, SecretHash), Box<Response<Body>>> {
    #[derive(serde::Deserialize)]
    struct Posted {
        #[serde(default)]
        id: String,
        #[serde(default)]
        t: String,
    }
    let (encoding, posted) = match *request.method() {
        Method::GET | Method::HEAD => (
            Encoding::Form,
            Posted {
                id: query_parameter(request, "id").unwrap_or_default(),
                t: query_parameter(request, "t").unwrap_or_default(),
            },
        ),
        Method::POST => super::read_body::<Posted>(request, locale)?,
        _ => {
            return Err(Box::new(method_not_allowed(
                request,
                locale,
                "GET, HEAD, POST",
            )));
        }
    };
    match (OrganisationId::parse(&posted.id), link_hash(&posted.t)) {
        (Ok(id), Ok(hash)) => Ok((encoding, id, hash)),
        _ => Err(Box::new(dead_link(request, locale))),
    }
}

fn dead_link(request: &Request, locale: Locale) -> Response<Body> {
    if request.method() != Method::POST || super::wants_page(request) {
        page(
            StatusCode::NOT_FOUND,
            locale,
            pages::message_page(
                locale,
                MessageId::LINK_UNKNOWN_TITLE,
                MessageId::ORGANISATION_LINK_DEAD_BODY,
                pages::Onward::AskAgain,
            ),
        )
    } else {
        json(
            StatusCode::NOT_FOUND,
            &serde_json::json!({ "status": "unknown-link", "error": i18n::text(locale, MessageId::LINK_UNKNOWN_TITLE) }),
        )
    }
}

fn confirmed(request: &Request, encoding: Encoding, locale: Locale) -> Response<Body> {
    match encoding {
        Encoding::Json if request.method() == Method::POST => json(
            StatusCode::OK,
            &serde_json::json!({ "status": "confirmed" }),
        ),
        _ => page(
            StatusCode::OK,
            locale,
            pages::message_page(
                locale,
                MessageId::ORGANISATION_CONFIRMED_TITLE,
                MessageId::ORGANISATION_CONFIRMED_BODY,
                pages::Onward::Home,
            ),
        ),
    }
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_contact_link(
    state: &SupportState,
    request: Request,
) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    let (encoding, id, hash) = match read_link(&request, locale) {
        Ok(read) => read,
        Err(refusal) => return Ok(super::without_body_for_head(request.method(), *refusal)),
    };
    let link = match read_contact_link(state.store.as_ref(), state.clock.as_ref(), &id, &hash).await
    {
        Ok(link) => link,
        Err(fault) => return Ok(super::unavailable(&request, locale, &fault)),
    };
    let answer = match (request.method() == Method::POST, link) {
        (_, ContactLink::Dead) => dead_link(&request, locale),
        // Used already: a second click, or a mail scanner's, changes nothing.
        (_, ContactLink::Used(_, locale)) => confirmed(&request, encoding, locale),
        (false, ContactLink::Live(organisation, locale)) => {
            let token = query_parameter(&request, "t").unwrap_or_default();
            page(
                StatusCode::OK,
                locale,
                pages::organisation_confirm_page(
                    locale,
                    id.as_str(),
                    &token,
                    organisation.name_in(locale),
                ),
            )
        }
        (true, ContactLink::Live(organisation, locale)) => match confirm_contact(
            state.store.as_ref(),
            state.mailer.as_ref(),
            state.clock.as_ref(),
            &state.settings,
            &organisation,
            &hash,
        )
        .await
        {
            // A concurrent click may have confirmed first: confirmed either way.
            Ok(_) => match encoding {
                Encoding::Form => redirect_confirmed(locale),
                Encoding::Json => confirmed(&request, encoding, locale),
            },
            Err(fault) => super::unavailable(&request, locale, &fault),
        },
    };
    Ok(super::without_body_for_head(request.method(), answer))
}

/// After the button, the browser lands on a page it may reload without sending the form again.
fn redirect_confirmed(locale: Locale) -> Response<Body> {
    redirect(&Page::OrganisationConfirmed.at(locale))
}
