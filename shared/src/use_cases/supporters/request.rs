//! An organisation's request: taken with its contact, and the email carrying its link.

use super::contact::link_alive;
use super::{SupportError, UNCONFIRMED_LIFETIME_SECONDS, notice};
use crate::domain::routes::Api;
use crate::domain::{
    ConfirmationSecret, Contact, Country, Email, LinkNonce, Locale, Organisation, OrganisationId,
    OrganisationName, SecretHash, SignerName, Standing, Timestamp, Website,
};
use crate::keyring::Keyring;
use crate::ports::Clock;
use crate::ports::{Notice, OutgoingEmail, SignatureStore, SupporterStore};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use std::collections::BTreeMap;

/// A request to join the list, parsed: every field is known good.
#[derive(Debug, Clone)]
pub struct SupportRequest {
    pub name: OrganisationName,
    pub country: Country,
    pub website: Website,
    pub contact_name: SignerName,
    pub email: Email,
    pub locale: Locale,
    /// Whether the page's script did the work for the contact's address (`domain::proof`).
    pub proven: bool,
}

fn encode_secret(secret: &ConfirmationSecret) -> String {
    URL_SAFE_NO_PAD.encode(secret.0)
}

/// Takes a request: stores it with its contact, and with a link for the contact to confirm it
/// when their mailbox may get another email today (without one, nothing is sent and the request
/// expires unconfirmed). The email goes from the change feed through the mailer, at the pace of
/// every other. Whatever the mailbox's count, the request awaits the same two store calls.
pub async fn request_support(
    store: &dyn SupporterStore,
    limits: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    request: SupportRequest,
) -> Result<(), SupportError> {
    take_request(store, limits, keyring, clock, request, false).await
}

/// What a request a bot sent gets: the same calls as a person's, on a mailbox nobody has, and
/// nothing mailed.
pub async fn request_silently(
    store: &dyn SupporterStore,
    limits: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
) -> Result<(), SupportError> {
    let decoy = SupportRequest {
        name: OrganisationName::parse("People First").expect("a name that parses"),
        country: Country::parse("UA").expect("a country that parses"),
        website: Website::parse("https://people-first.invalid").expect("a website that parses"),
        contact_name: SignerName::parse("People First").expect("a name that parses"),
        email: Email::parse(&format!("{}@decoy.invalid", LinkNonce::random().to_hex()))
            .expect("an address that parses"),
        locale: Locale::En,
        proven: false,
    };
    take_request(store, limits, keyring, clock, decoy, true).await
}

async fn take_request(
    store: &dyn SupporterStore,
    limits: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    request: SupportRequest,
    silently: bool,
) -> Result<(), SupportError> {
    let now = clock.now();
    let mailbox = keyring.contact_mailbox_key(&request.email);
    let limit = if silently {
        crate::use_cases::sign::COUNTS_NOTHING
    } else {
        crate::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY
    };
    let mailed = limits.count_email_to(&mailbox, now, limit).await?;
    if !mailed && !silently {
        tracing::info!(outcome = "mailbox limit", "organisation request not mailed");
    }
    let expires_at = now.plus_seconds(UNCONFIRMED_LIFETIME_SECONDS);
    let organisation = Organisation {
        id: OrganisationId::random(),
        names: BTreeMap::from([(request.locale, request.name)]),
        locale: request.locale,
        country: Some(request.country),
        website: Some(request.website),
        standing: Standing::Unconfirmed,
        requested_at: now,
        decided_at: None,
        position: 0,
        expires_at: Some(expires_at),
        frame_origins: Vec::new(),
    };
    // Derived whatever comes of it, so every request does the same hashing.
    let nonce = LinkNonce::random();
    let link_hash = keyring.contact_secret(&organisation.id, &nonce).hash();
    let contact = Contact {
        name: request.contact_name,
        email: request.email,
        locale: request.locale,
        link_hash: mailed.then_some(link_hash),
        link_nonce: mailed.then_some(nonce),
        proven: request.proven,
        forget_at: expires_at,
    };
    let stored = store.insert_request(&organisation, &contact).await;
    if stored.is_err() && mailed {
        // Nothing will be mailed: the day's count is given back.
        let _ = limits.uncount_email_to(&mailbox, now).await;
    }
    Ok(stored?)
}

/// The email carrying a request's link, while its contact still waits for it: the request
/// unconfirmed, the link the contact's own and not yet expired (an email held in the queue
/// past it would carry a dead link).
pub fn link_email(
    settings: &crate::use_cases::mailing::MailSettings,
    keyring: &Keyring,
    organisation: &Organisation,
    contact: &Contact,
    link: &SecretHash,
    now: Timestamp,
) -> Option<OutgoingEmail> {
    let nonce = contact.link_nonce?;
    let ours = contact.link_hash.is_some_and(|hash| hash.matches(link));
    if organisation.standing != Standing::Unconfirmed || !ours || !link_alive(organisation, now) {
        return None;
    }
    let secret = keyring.contact_secret(&organisation.id, &nonce);
    let url = Api::ContactLink.link(
        &settings.public_url,
        &format!("id={}&t={}", organisation.id, encode_secret(&secret)),
    );
    let locale = contact.locale;
    let notice_of = Notice::ContactLink {
        organisation: organisation.name_in(locale).to_owned(),
        link: url,
    };
    Some(notice(settings, contact.email.clone(), locale, &notice_of))
}
