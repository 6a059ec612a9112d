//! `POST /api/sign`.

use super::{Encoding, browser_locale, json, method_not_allowed, problem, redirect};
use crate::challenge::Challenge;
use crate::clock::Clock;
use crate::domain::{InputError, Locale, SignerName};
use crate::i18n::{self, Medium};
use crate::keyring::Keyring;
use crate::pages;
use crate::ports::SignatureStore;
use crate::sign::{FieldErrors, PetitionForm, sign_petition};
use http::{Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use std::collections::BTreeMap;
use std::sync::Arc;
use tracing::instrument;

/// What the signing handler needs, built once per process.
#[derive(Clone)]
pub struct SignState {
    pub store: Arc<dyn SignatureStore>,
    pub keyring: Arc<Keyring>,
    pub clock: Arc<dyn Clock>,
    /// The bot challenge, when it is switched on.
    pub challenge: Option<Arc<dyn Challenge>>,
}

/// The message id for a field's error.
pub fn error_message_id(field: &str, error: InputError) -> String {
    let kind = match error {
        InputError::Missing => "missing",
        InputError::TooLong => "too-long",
        InputError::ControlCharacters => "control",
        InputError::Invalid => "invalid",
        InputError::Unsendable => "unsendable",
        InputError::NotAName => "not-a-name",
    };
    format!("error-{field}-{kind}")
}

fn localised(
    errors: &FieldErrors,
    locale: Locale,
    medium: Medium,
) -> BTreeMap<&'static str, String> {
    let max = fluent_bundle::FluentValue::from(SignerName::MAX_CHARS);
    errors
        .iter()
        .map(|(field, error)| {
            let id = error_message_id(field, *error);
            (
                *field,
                i18n::message(locale, medium, &id, &[("max", max.clone())]),
            )
        })
        .collect()
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_sign(state: &SignState, request: Request) -> Result<Response<Body>, Error> {
    let locale = browser_locale(&request);
    if request.method() != Method::POST {
        return Ok(method_not_allowed(&request, locale, "POST"));
    }
    let (encoding, form): (Encoding, PetitionForm) = match super::read_body(&request, locale) {
        Ok(read) => read,
        Err(refusal) => return Ok(*refusal),
    };
    let locale = form.locale().unwrap_or(locale);
    let accepted = || match encoding {
        Encoding::Json => json(
            StatusCode::ACCEPTED,
            &serde_json::json!({ "status": "check-email" }),
        ),
        Encoding::Form => redirect(&format!("/{locale}/check-email/")),
    };
    if form.is_bot() {
        // The same answer as for a person, so the bot learns nothing; nothing is stored.
        tracing::info!(outcome = "honeypot", "signature refused");
        return Ok(accepted());
    }
    let petition = match form.parse() {
        Ok(petition) => petition,
        Err(errors) => {
            tracing::info!(fields = ?errors.keys().collect::<Vec<_>>(), "signature refused");
            return Ok(match encoding {
                Encoding::Json => json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &serde_json::json!({ "errors": localised(&errors, locale, Medium::PlainText) }),
                ),
                Encoding::Form => {
                    let widget = state.challenge.as_ref().map(|c| c.widget());
                    let html = pages::sign_page(
                        locale,
                        &form,
                        &localised(&errors, locale, Medium::Html),
                        widget,
                    );
                    let mut page = super::page(StatusCode::UNPROCESSABLE_ENTITY, locale, html);
                    if let Some(widget) = widget {
                        // The challenge's widget runs the provider's script in a frame of its own.
                        if let Ok(policy) = http::HeaderValue::from_str(&widget.page_policy()) {
                            page.headers_mut().insert("content-security-policy", policy);
                        }
                    }
                    page
                }
            });
        }
    };
    // Asked only of a petition otherwise fit to sign: the widget's answer is good once, and a
    // person correcting a typo sends it again.
    if let Some(challenge) = &state.challenge {
        match challenge.passed(form.challenge_answer()).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::info!(outcome = "challenge failed", "signature refused");
                return Ok(accepted());
            }
            Err(e) => {
                tracing::warn!(error = %e, "the challenge could not be checked");
                return Ok(problem(
                    &request,
                    StatusCode::SERVICE_UNAVAILABLE,
                    locale,
                    "error-unavailable",
                ));
            }
        }
    }
    match sign_petition(
        state.store.as_ref(),
        &state.keyring,
        state.clock.as_ref(),
        petition,
    )
    .await
    {
        Ok(_) => Ok(accepted()),
        Err(_) => Ok(problem(
            &request,
            StatusCode::SERVICE_UNAVAILABLE,
            locale,
            "error-unavailable",
        )),
    }
}
