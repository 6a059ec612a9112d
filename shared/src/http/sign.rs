//! `POST /api/sign`, and the sign function's routes.

use super::answer_time::AnswerTime;
use super::form::{self, PetitionForm, Read};
use super::frame::{handle_frame, is_frame_view};
use super::origin::SignOrigins;
use crate::domain::routes::Api;
use crate::keyring::Keyring;
use crate::ports::Challenge;
use crate::ports::Clock;
use crate::ports::{Partners, SignatureStore};
use crate::use_cases::credit::credit;
use crate::use_cases::sign::{Petition, sign_petition, sign_silently};
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

/// What the signing handler needs, built once per process.
#[derive(Clone)]
pub struct SignState {
    pub store: Arc<dyn SignatureStore>,
    /// Whom a signature may be credited to.
    pub partners: Arc<dyn Partners>,
    pub keyring: Arc<Keyring>,
    pub clock: Arc<dyn Clock>,
    /// The bot challenge, when it is switched on.
    pub challenge: Option<Arc<dyn Challenge>>,
    /// When a request that was taken, or silenced, is answered.
    pub answer_time: AnswerTime,
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_sign(state: &SignState, request: Request) -> Result<Response<Body>, Error> {
    let arrived = tokio::time::Instant::now();
    let read = form::read::<PetitionForm>(&request, state.challenge.as_deref()).await;
    sign_as_read(state, &request, read, arrived).await
}

/// The sign function's addresses: the form, and its frame on partners' pages. Only signing is
/// held to our origins (and the partners'); a partner's page may show the frame.
pub async fn route(
    state: &SignState,
    origins: &SignOrigins,
    request: Request,
) -> Result<Response<Body>, Error> {
    if is_frame_view(&request) {
        return handle_frame(state, request).await;
    }
    origins
        .guard(request, |request| async {
            if Api::of_path(request.uri().path()) == Some(Api::Frame) {
                handle_frame(state, request).await
            } else {
                handle_sign(state, request).await
            }
        })
        .await
}

/// Signs what a form read, and answers as the form said, at the time every answer leaves.
pub(super) async fn sign_as_read(
    state: &SignState,
    request: &Request,
    read: Read<Petition>,
    arrived: tokio::time::Instant,
) -> Result<Response<Body>, Error> {
    let (store, keyring, clock) = (state.store.as_ref(), &state.keyring, state.clock.as_ref());
    let (signed, accepted, locale) = match read {
        Read::Taken(taken) => {
            let mut petition = taken.parsed.clone();
            // The partner's code is checked against the list; the signer's fields never are.
            credit(state.partners.as_ref(), &mut petition).await;
            (
                sign_petition(store, keyring, clock, petition).await,
                taken.accepted(),
                taken.locale,
            )
        }
        // A bot waits as long as a person, and fails as a person would.
        Read::Silenced(taken) => (
            sign_silently(store, keyring, clock).await,
            taken.accepted(),
            taken.locale,
        ),
        Read::Answered(answer) => return Ok(answer),
    };
    // Whatever came of it, the answer leaves at the same time.
    state.answer_time.wait(arrived).await;
    match signed {
        Ok(_) => Ok(accepted),
        Err(fault) => Ok(super::unavailable(request, locale, &fault)),
    }
}
