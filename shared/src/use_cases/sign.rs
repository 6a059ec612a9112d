//! Signing the appeal: a pending signature, and a confirmation link the mailer will send.

use crate::domain::{
    ConfirmationLink, Country, Email, Field, FieldErrors, InputError, LinkNonce, Locale,
    PRIVACY_POLICY_VERSION, Signature, SignatureStatus, SignerName, Timestamp,
};
use crate::keyring::Keyring;
use crate::ports::Clock;
use crate::ports::{Insertion, LinkRenewal, SignatureStore, SignerChoices, StoreError};
use tracing::instrument;

/// How long a confirmation link works.
pub const LINK_LIFETIME_SECONDS: i64 = 7 * 24 * 3600;
/// At most one email per address in this interval, so a form cannot be used to flood someone.
pub const RESEND_INTERVAL_SECONDS: i64 = 5 * 60;
/// An unconfirmed signature outlives its last link by a day, then the table forgets it.
pub const PENDING_LIFETIME_SECONDS: i64 = LINK_LIFETIME_SECONDS + 24 * 3600;

/// A signing request, parsed: every field is known good.
#[derive(Debug, Clone)]
pub struct Petition {
    pub name: SignerName,
    pub email: Email,
    pub country: Country,
    pub locale: Locale,
    pub updates: bool,
}

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
}

pub use crate::domain::challenge::MIN_FILL_MILLIS;

impl crate::domain::challenge::BotSignals for PetitionForm {
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

impl PetitionForm {
    /// The language the signer asked for, if it is one of ours.
    pub fn locale(&self) -> Option<Locale> {
        self.locale.as_deref().and_then(|l| Locale::parse(l).ok())
    }

    pub fn parse(&self) -> Result<Petition, FieldErrors> {
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
}

/// What signing did; the answer to the signer is the same whichever it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutcome {
    Created,
    LinkRenewed,
    /// A pending signature took the newer submission's choices; its live link stays.
    Revised,
    Unchanged,
    /// The mailbox had its emails for the day: nothing was written, the live link stays live.
    Withheld,
}

/// The store could not be read or written: the signer is asked to try again, and whatever was
/// written is safe to write again.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SignError(#[from] StoreError);

/// The most confirmation emails one mailbox is sent in a UTC day, whatever `+tags` its
/// addresses carry: a signer needs one, and two more leave room to sign again.
pub const EMAILS_PER_MAILBOX_PER_DAY: u32 = 3;

fn fresh_link(
    keyring: &Keyring,
    signer: &crate::domain::SignerKey,
    now: Timestamp,
) -> ConfirmationLink {
    let nonce = LinkNonce::random();
    ConfirmationLink {
        nonce,
        secret_hash: keyring.confirmation_secret(signer, &nonce).hash(),
        sent_at: now,
        expires_at: now.plus_seconds(LINK_LIFETIME_SECONDS),
    }
}

/// Records a signature, or renews its link, within the mailbox's emails for the day. The email
/// is counted before anything is written, so a mailbox past its limit keeps the link it was
/// last sent (a renewal would kill it), and the count is given back when no email results.
#[instrument(skip_all, err(Display))]
pub async fn sign_petition(
    store: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    petition: Petition,
) -> Result<SignOutcome, SignError> {
    let now = clock.now();
    let mailbox = keyring.mailbox_key(&petition.email);
    if !store
        .count_email_to(&mailbox, now, EMAILS_PER_MAILBOX_PER_DAY)
        .await?
    {
        tracing::warn!(
            outcome = "withheld",
            "the mailbox had its emails for the day"
        );
        crate::telemetry::count("EmailsWithheld");
        // No email today, but a pending signature still takes the newer choices: a stranger
        // who used up the mailbox's emails does not keep theirs on the owner's link.
        return Ok(revise_without_email(store, keyring, &petition).await?);
    }
    let outcome = record(store, keyring, now, petition).await;
    if !matches!(outcome, Ok(SignOutcome::Created | SignOutcome::LinkRenewed))
        && let Err(e) = store.uncount_email_to(&mailbox, now).await
    {
        tracing::warn!(error = %e, "an email counted for nothing could not be given back");
    }
    if let Ok(outcome) = &outcome {
        tracing::info!(outcome = ?outcome, "signature recorded");
    }
    Ok(outcome?)
}

async fn revise_without_email(
    store: &dyn SignatureStore,
    keyring: &Keyring,
    petition: &Petition,
) -> Result<SignOutcome, StoreError> {
    let signer = keyring.signer_key(&petition.email);
    let Some(existing) = store.find(&signer).await?.filter(|s| !s.is_confirmed()) else {
        return Ok(SignOutcome::Withheld);
    };
    let choices = SignerChoices {
        name: petition.name.clone(),
        country: petition.country,
        locale: petition.locale,
        updates: petition.updates,
    };
    Ok(
        if store
            .revise_pending(&signer, &choices, None, existing.link.sent_at)
            .await?
        {
            SignOutcome::Revised
        } else {
            SignOutcome::Withheld
        },
    )
}

async fn record(
    store: &dyn SignatureStore,
    keyring: &Keyring,
    now: Timestamp,
    petition: Petition,
) -> Result<SignOutcome, StoreError> {
    let signer = keyring.signer_key(&petition.email);
    let link = fresh_link(keyring, &signer, now);
    let choices = SignerChoices {
        name: petition.name.clone(),
        country: petition.country,
        locale: petition.locale,
        updates: petition.updates,
    };
    let erase_nonce = LinkNonce::random();
    let signature = Signature {
        signer,
        status: SignatureStatus::Pending,
        name: petition.name,
        email: Some(petition.email),
        country: petition.country,
        locale: petition.locale,
        updates: petition.updates,
        privacy_policy: PRIVACY_POLICY_VERSION.to_owned(),
        signed_at: now,
        link,
        confirmed_at: None,
        erase_nonce,
        erase_hash: keyring.erasure_secret(&signer, &erase_nonce).hash(),
        mailed_link: None,
        undeliverable: false,
        expires_at: Some(now.plus_seconds(PENDING_LIFETIME_SECONDS)),
    };
    let existing = match store.insert_pending(&signature).await? {
        Insertion::Inserted => return Ok(SignOutcome::Created),
        Insertion::AlreadySigned(existing) => existing,
    };
    if existing.is_confirmed() {
        return Ok(SignOutcome::Unchanged);
    }
    // Whoever submits last decides what the signature says: the address's owner, signing
    // after a stranger used their address, is never left confirming the stranger's choices.
    // A fresh link goes out at most every few minutes.
    let renewal =
        (now >= existing.link.sent_at.plus_seconds(RESEND_INTERVAL_SECONDS)).then(|| LinkRenewal {
            link,
            expires_at: now.plus_seconds(PENDING_LIFETIME_SECONDS),
        });
    let revised = store
        .revise_pending(&signer, &choices, renewal.as_ref(), existing.link.sent_at)
        .await?;
    Ok(match (revised, renewal) {
        (true, Some(_)) => SignOutcome::LinkRenewed,
        (true, None) => SignOutcome::Revised,
        // Another request renewed it or confirmed it in between: nothing more to do.
        (false, _) => SignOutcome::Unchanged,
    })
}
