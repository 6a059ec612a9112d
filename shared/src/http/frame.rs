//! `GET|POST /api/frame?partner=CODE&lang=LANG`: the sign form made to be framed on a partner's
//! page. It runs on our origin, so no script of the partner's page (its analytics, a tag
//! manager, a compromised plugin) can read what a signer types; only the partner's own origins
//! may frame it, and each signature it takes is credited to the partner. It works without
//! JavaScript: the form posts to the frame, which answers in the frame.

use super::form::{self, PetitionForm, Shown};
use super::sign::{SignState, sign_as_read};
use super::{csp, page, query_parameter};
use crate::domain::challenge::Widget;
use crate::domain::routes::Api;
use crate::domain::{Locale, Organisation, OrganisationId, Source};
use crate::i18n::MessageId;
use crate::pages::{Frame, frame_page};
use crate::ports::Challenge;
use http::header::CACHE_CONTROL;
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use std::collections::BTreeMap;
use tracing::instrument;

/// The frame is the same for every visitor of a partner's page: the CDN keeps it a few minutes
/// (a partner taken off the list is framed no more within them), browsers a minute.
pub const CACHE_CONTROL_VALUE: &str = "public, max-age=60, s-maxage=300";

/// Whether a request is a partner's page showing the frame: a navigation from another site,
/// which the guard on signing from other sites must let through (the frame's own form is sent
/// from our origin, and stays under that guard).
pub fn is_frame_view(request: &Request) -> bool {
    Api::of_path(request.uri().path()) == Some(Api::Frame)
        && matches!(*request.method(), Method::GET | Method::HEAD)
}

/// The partner a frame is asked for, while it is on the list.
async fn partner(state: &SignState, request: &Request) -> Result<Option<Organisation>, Error> {
    let Some(Ok(Source::Partner(id))) =
        query_parameter(request, "partner").map(|code| Source::parse(&code))
    else {
        return Ok(None);
    };
    Ok(state.partners.partner(&id).await?)
}

/// Where the frame's form goes, and its "check your email", for one partner and language.
fn frame_of(id: &OrganisationId, organisation: &Organisation, locale: Locale) -> Frame {
    let at = Api::Frame.link("", &format!("partner={id}&lang={locale}"));
    Frame {
        code: id.to_string(),
        partner: organisation.name_in(locale).to_owned(),
        sent: format!("{at}&step=sent"),
        action: at,
        in_a_tab: false,
    }
}

/// A frame's answer: a page framed by the partner's origins alone.
fn framed(
    status: StatusCode,
    locale: Locale,
    html: String,
    origins: &[String],
    widget: Option<&Widget>,
) -> Response<Body> {
    let mut answer = page(status, locale, html);
    if let Ok(policy) = HeaderValue::from_str(&csp::framed_by(origins, widget)) {
        answer
            .headers_mut()
            .insert("content-security-policy", policy);
    }
    answer
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_frame(state: &SignState, request: Request) -> Result<Response<Body>, Error> {
    let arrived = tokio::time::Instant::now();
    // Only `lang` chooses: the CDN keeps one frame per partner and language.
    let locale = query_parameter(&request, "lang")
        .and_then(|l| Locale::parse(&l).ok())
        .unwrap_or(Locale::FALLBACK);
    let organisation = match partner(state, &request).await {
        Ok(Some(organisation)) => organisation,
        // No frame for a code nobody has: a page nobody may frame, kept a while by the CDN.
        Ok(None) => {
            let mut answer = super::problem(
                &request,
                StatusCode::NOT_FOUND,
                locale,
                MessageId::ERROR_NOT_FOUND,
            );
            answer
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
            return Ok(answer);
        }
        Err(fault) => return Ok(super::unavailable(&request, locale, fault.as_ref())),
    };
    let id = organisation.id.clone();
    let frame = frame_of(&id, &organisation, locale);
    let origins = organisation.frame_ancestors();
    let widget = state.challenge.as_deref().map(Challenge::widget);
    let method = request.method().clone();
    if method == Method::GET || method == Method::HEAD {
        let sent = query_parameter(&request, "step").as_deref() == Some("sent");
        let html = frame_page(
            locale,
            &frame,
            &PetitionForm::default(),
            &BTreeMap::new(),
            widget,
            sent,
        );
        let mut answer = framed(StatusCode::OK, locale, html, &origins, widget);
        answer
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
        return Ok(super::without_body_for_head(&method, answer));
    }
    let again = |form: &PetitionForm,
                 locale: Locale,
                 errors: &BTreeMap<&str, String>,
                 widget: Option<&Widget>| {
        // Sent without a script, the form opened a tab of its own: its corrections stay there.
        let frame = Frame {
            in_a_tab: true,
            ..frame_of(&id, &organisation, locale)
        };
        let html = frame_page(locale, &frame, form, errors, widget, false);
        framed(
            StatusCode::UNPROCESSABLE_ENTITY,
            locale,
            html,
            &origins,
            widget,
        )
    };
    let next = |locale: Locale| frame_of(&id, &organisation, locale).sent;
    let shown = Shown {
        again: &again,
        next: &next,
    };
    let read = form::read_shown(&request, state.challenge.as_deref(), &shown).await;
    sign_as_read(state, &request, read, arrived).await
}
