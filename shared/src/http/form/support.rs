//! The organisations' form's fields as they arrive, and what they parse to.

use super::PublicForm;
use crate::domain::challenge::{BotSignals, Widget};
use crate::domain::routes::Page;
use crate::domain::{
    Country, Email, Field, FieldErrors, InputError, Locale, OrganisationName, SignerName, Website,
    proof,
};
use crate::pages;
use crate::use_cases::supporters::SupportRequest;
use std::collections::BTreeMap;

/// The fields of a request to join the list as they arrive, before parsing.
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct SupportForm {
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default, rename = "contact-name")]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
    /// The honeypot: people leave it empty, simple bots fill it.
    #[serde(default)]
    pub fax: Option<String>,
    #[serde(default)]
    pub elapsed: Option<u64>,
    #[serde(default)]
    pub challenge: Option<String>,
    #[serde(default, rename = "cf-turnstile-response")]
    pub turnstile_response: Option<String>,
    #[serde(default, rename = "h-captcha-response")]
    pub hcaptcha_response: Option<String>,
    /// The nonce of the page's proof of work for the contact's address, when its script found
    /// one: the contact's email then goes with signers' proven mail.
    #[serde(default)]
    pub proof: Option<String>,
}

impl BotSignals for SupportForm {
    fn honeypot(&self) -> Option<&str> {
        self.fax.as_deref()
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

impl PublicForm for SupportForm {
    type Parsed = SupportRequest;
    const NAME: &'static str = "organisation request";
    const TAKEN_PAGE: Page = Page::OrganisationCheckEmail;

    fn locale(&self) -> Option<Locale> {
        self.locale.as_deref().and_then(|l| Locale::parse(l).ok())
    }

    fn parse(&self) -> Result<Self::Parsed, FieldErrors> {
        let field = |value: &Option<String>| value.clone().unwrap_or_default();
        let mut errors = FieldErrors::new();
        let mut check = |name: Field, result: Result<(), InputError>| {
            if let Err(e) = result {
                errors.insert(name, e);
            }
        };
        let name = OrganisationName::parse(&field(&self.organisation));
        check(Field::Organisation, name.as_ref().map(drop).map_err(|e| *e));
        let country = Country::parse(&field(&self.country));
        check(Field::Country, country.as_ref().map(drop).map_err(|e| *e));
        let website = Website::parse(&field(&self.website));
        check(Field::Website, website.as_ref().map(drop).map_err(|e| *e));
        let contact_name = SignerName::parse(&field(&self.contact_name));
        check(
            Field::ContactName,
            contact_name.as_ref().map(drop).map_err(|e| *e),
        );
        let email = Email::parse(&field(&self.email));
        check(Field::Email, email.as_ref().map(drop).map_err(|e| *e));
        let locale = Locale::parse(&field(&self.locale));
        check(Field::Locale, locale.as_ref().map(drop).map_err(|e| *e));
        match (name, country, website, contact_name, email, locale) {
            (Ok(name), Ok(country), Ok(website), Ok(contact_name), Ok(email), Ok(locale)) => {
                Ok(SupportRequest {
                    name,
                    country,
                    website,
                    contact_name,
                    email,
                    locale,
                    proven: self
                        .proof
                        .as_deref()
                        .is_some_and(|nonce| proof::proves(&field(&self.email), nonce)),
                })
            }
            _ => Err(errors),
        }
    }

    fn max_chars(field: Field) -> usize {
        if field == Field::Organisation {
            OrganisationName::MAX_CHARS
        } else {
            SignerName::MAX_CHARS
        }
    }

    fn page_again(
        &self,
        locale: Locale,
        errors: &BTreeMap<&str, String>,
        widget: Option<&Widget>,
    ) -> String {
        pages::organisation_form_page(locale, self, errors, widget)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_proven_by_the_work_for_its_contacts_address_only() {
        let form = |email: &str, proof: &str| SupportForm {
            organisation: Some("Memorial Deutschland e.V.".into()),
            country: Some("DE".into()),
            website: Some("https://memorial.de".into()),
            contact_name: Some("Anna Schmidt".into()),
            email: Some(email.into()),
            locale: Some("de".into()),
            proof: Some(proof.into()),
            ..SupportForm::default()
        };
        let proven = |email, proof| form(email, proof).parse().unwrap().proven;
        // The first nonce that proves this address (`domain::proof`'s tests).
        assert!(proven("proof@example.org", "45289"));
        assert!(!proven("anna@memorial.de", "45289"));
        assert!(!proven("proof@example.org", ""), "sent without JavaScript");
    }
}
