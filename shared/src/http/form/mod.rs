//! What the public's two forms share, signing and an organisation's request: the body read, bots
//! answered as people are, mistakes shown in the sender's language, the challenge asked.

mod petition;
mod support;

pub use petition::PetitionForm;
pub use support::SupportForm;

use super::{Encoding, browser_locale, json, method_not_allowed, redirect};
use crate::domain::challenge::{BotSignals, Widget};
use crate::domain::routes::Page;
use crate::domain::{Field, FieldErrors, Locale};
use crate::i18n::{self, Medium};
use crate::ports::Challenge;
use http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use std::collections::BTreeMap;

/// A form the public sends.
pub trait PublicForm: serde::de::DeserializeOwned + BotSignals {
    type Parsed;
    /// What the logs call it.
    const NAME: &'static str;
    /// Where a browser goes once it is taken.
    const TAKEN_PAGE: Page;

    /// The language it was sent in, if it is one of ours.
    fn locale(&self) -> Option<Locale>;
    fn parse(&self) -> Result<Self::Parsed, FieldErrors>;
    /// The most characters a field takes, for its "too long" message.
    fn max_chars(field: Field) -> usize;
    /// The form's page again, with the fields as sent and what was wrong with them.
    fn page_again(
        &self,
        locale: Locale,
        errors: &BTreeMap<&str, String>,
        widget: Option<&Widget>,
    ) -> String;
}

fn localised<F: PublicForm>(
    errors: &FieldErrors,
    locale: Locale,
    medium: Medium,
) -> BTreeMap<&'static str, String> {
    errors
        .iter()
        .map(|(&field, &error)| {
            let message = i18n::field_error(locale, medium, field, error, F::max_chars(field));
            (field.name(), message)
        })
        .collect()
}

/// A form read: fit to take, to be silenced, or answered already.
pub enum Read<P> {
    Taken(Taken<P>),
    /// A bot, or a failed challenge: to be answered as a person is, after the same motions.
    Silenced(Taken<()>),
    Answered(Response<Body>),
}

/// A form fit to take, and how to tell its sender it was.
pub struct Taken<P> {
    pub parsed: P,
    pub locale: Locale,
    encoding: Encoding,
    /// Where a browser goes once it is taken.
    next: String,
}

impl<P> Taken<P> {
    /// What every sender hears once the form is taken, whatever came of it: bots and
    /// strangers learn nothing.
    pub fn accepted(&self) -> Response<Body> {
        match self.encoding {
            Encoding::Json => json(
                StatusCode::ACCEPTED,
                &serde_json::json!({ "status": "check-email" }),
            ),
            Encoding::Form => redirect(&self.next),
        }
    }
}

/// A form's page again, with the fields as sent and what was wrong with them (by field name).
pub type PageAgain<'a, F> =
    &'a (dyn Fn(&F, Locale, &BTreeMap<&str, String>, Option<&Widget>) -> Response<Body> + Sync);

/// Where a form's sender is shown: its page again, with what was wrong, and where a browser
/// goes once it is taken. The site's own forms use the form's; the partners' frame its own.
pub struct Shown<'a, F> {
    pub again: PageAgain<'a, F>,
    pub next: &'a (dyn Fn(Locale) -> String + Sync),
}

/// Reads a POSTed form; answers a bot as a person, a mistake with the form again (422), and a
/// failed challenge as a person.
pub async fn read<F: PublicForm>(
    request: &Request,
    challenge: Option<&dyn Challenge>,
) -> Read<F::Parsed> {
    let again = |form: &F, locale, errors: &BTreeMap<&str, String>, widget: Option<&Widget>| {
        super::form_again(locale, form.page_again(locale, errors, widget), widget)
    };
    let next = |locale| F::TAKEN_PAGE.at(locale);
    read_shown(
        request,
        challenge,
        &Shown {
            again: &again,
            next: &next,
        },
    )
    .await
}

/// As `read`, shown as `shown` says.
pub async fn read_shown<F: PublicForm>(
    request: &Request,
    challenge: Option<&dyn Challenge>,
    shown: &Shown<'_, F>,
) -> Read<F::Parsed> {
    let locale = browser_locale(request);
    if request.method() != Method::POST {
        return Read::Answered(method_not_allowed(request, locale, "POST"));
    }
    let (encoding, form): (Encoding, F) = match super::read_body(request, locale) {
        Ok(read) => read,
        Err(refusal) => return Read::Answered(*refusal),
    };
    let locale = form.locale().unwrap_or(locale);
    let silenced = || {
        Read::Silenced(Taken {
            parsed: (),
            locale,
            encoding,
            next: (shown.next)(locale),
        })
    };
    if form.is_bot() {
        // The same answer as for a person, after the same time, so the bot learns nothing;
        // nothing is stored.
        tracing::info!(outcome = "honeypot", form = F::NAME, "refused");
        return silenced();
    }
    let parsed = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => {
            tracing::info!(fields = ?errors.keys().collect::<Vec<_>>(), form = F::NAME, "refused");
            return Read::Answered(match encoding {
                Encoding::Json => json(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &serde_json::json!({ "errors": localised::<F>(&errors, locale, Medium::PlainText) }),
                ),
                Encoding::Form => {
                    let widget = challenge.map(Challenge::widget);
                    let errors = localised::<F>(&errors, locale, Medium::Html);
                    (shown.again)(&form, locale, &errors, widget)
                }
            });
        }
    };
    match super::challenge_passed(challenge, form.challenge_answer(), request, locale).await {
        Ok(true) => Read::Taken(Taken {
            parsed,
            locale,
            encoding,
            next: (shown.next)(locale),
        }),
        Ok(false) => {
            tracing::info!(outcome = "challenge failed", form = F::NAME, "refused");
            silenced()
        }
        Err(unavailable) => Read::Answered(*unavailable),
    }
}
