//! The sign form's fields as they arrive, and what they parse to.

use super::PublicForm;
use crate::domain::challenge::{BotSignals, Widget};
use crate::domain::routes::Page;
use crate::domain::{
    Country, Email, Field, FieldErrors, InputError, Locale, SignerName, Source, proof,
};
use crate::pages;
use crate::use_cases::sign::Petition;
use std::collections::BTreeMap;

/// The fields of a signing request as they arrive, before parsing.
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct PetitionForm {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub updates: bool,
    /// The honeypot: people leave it empty, simple bots fill it.
    #[serde(default)]
    pub website: Option<String>,
    /// Milliseconds between showing the form and sending it, as the page's script measured them
    /// (no cookie needed); absent when the page runs without it.
    #[serde(default)]
    pub elapsed: Option<u64>,
    /// The bot challenge's answer, when one is asked: as the page's script sends it, or as the
    /// provider's widget names it in a plain form.
    #[serde(default)]
    pub challenge: Option<String>,
    #[serde(default, rename = "cf-turnstile-response")]
    pub turnstile_response: Option<String>,
    #[serde(default, rename = "h-captcha-response")]
    pub hcaptcha_response: Option<String>,
    /// The nonce of the page's proof of work for this address, when its script found one.
    #[serde(default)]
    pub proof: Option<String>,
    /// The partner or channel the signer came through, as the link or the partner's frame
    /// named it. Not the signer's to get wrong: anything unknown is no source.
    #[serde(default)]
    pub src: Option<String>,
    /// "Keep me informed by {partner}", which only the partner's frame shows.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub partner_updates: bool,
}

impl BotSignals for PetitionForm {
    fn honeypot(&self) -> Option<&str> {
        self.website.as_deref()
    }

    fn elapsed(&self) -> Option<u64> {
        self.elapsed
    }

    fn challenge_answers(&self) -> [Option<&str>; 3] {
        [
            self.challenge.as_deref(),
            self.turnstile_response.as_deref(),
            self.hcaptcha_response.as_deref(),
        ]
    }
}

/// JSON sends a boolean; an HTML checkbox sends "on" or nothing.
fn lenient_bool<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(
        match <Option<Flag> as serde::Deserialize>::deserialize(deserializer)? {
            Some(Flag::Bool(b)) => b,
            Some(Flag::Text(t)) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
            None => false,
        },
    )
}

impl PublicForm for PetitionForm {
    type Parsed = Petition;
    const NAME: &'static str = "signature";
    const TAKEN_PAGE: Page = Page::CheckEmail;

    /// The language the signer asked for, if it is one of ours.
    fn locale(&self) -> Option<Locale> {
        self.locale.as_deref().and_then(|l| Locale::parse(l).ok())
    }

    fn parse(&self) -> Result<Petition, FieldErrors> {
        let field = |value: &Option<String>| value.clone().unwrap_or_default();
        let name = SignerName::parse(&field(&self.name));
        let email = Email::parse(&field(&self.email));
        let country = Country::parse(&field(&self.country));
        let locale = Locale::parse(&field(&self.locale));
        match (name, email, country, locale) {
            (Ok(name), Ok(email), Ok(country), Ok(locale)) => Ok(Petition {
                name,
                email,
                country,
                locale,
                updates: self.updates,
                proven: self
                    .proof
                    .as_deref()
                    .is_some_and(|nonce| proof::proves(&field(&self.email), nonce)),
                source: self.src.as_deref().and_then(|src| Source::parse(src).ok()),
                partner_updates: self.partner_updates,
                partner_name: None,
            }),
            (name, email, country, locale) => {
                let mut errors = FieldErrors::new();
                let mut note = |field, result: Result<(), InputError>| {
                    if let Err(e) = result {
                        errors.insert(field, e);
                    }
                };
                note(Field::Name, name.map(drop));
                note(Field::Email, email.map(drop));
                note(Field::Country, country.map(drop));
                note(Field::Locale, locale.map(drop));
                Err(errors)
            }
        }
    }

    fn max_chars(_field: Field) -> usize {
        SignerName::MAX_CHARS
    }

    fn page_again(
        &self,
        locale: Locale,
        errors: &BTreeMap<&str, String>,
        widget: Option<&Widget>,
    ) -> String {
        pages::sign_page(locale, self, errors, widget)
    }
}
