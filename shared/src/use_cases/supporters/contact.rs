//! The contact's link: what it leads to, and the click that confirms the request.

use super::{SupportError, SupportSettings, notice};
use crate::domain::retention::LINK_LIFETIME;
use crate::domain::{
    ConfirmationSecret, Contact, InputError, Locale, Organisation, OrganisationId, SecretHash,
    Standing, Timestamp,
};
use crate::ports::Clock;
use crate::ports::{Mailer, Notice, StoreError, SupporterStore};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// The hash of a link's `t` parameter, or why it is not one.
pub fn link_hash(raw: &str) -> Result<SecretHash, InputError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(raw.trim())
        .map_err(|_| InputError::Invalid)?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| InputError::Invalid)?;
    Ok(ConfirmationSecret(bytes).hash())
}

/// What a contact's link leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactLink {
    /// Live: the organisation it confirms.
    Live(Organisation, Locale),
    /// Used already: the request waits for moderation or was decided.
    Used(Organisation, Locale),
    /// Expired, mistyped or never sent.
    Dead,
}

/// Whether a request's link still works: for the days its email says.
pub(super) fn link_alive(organisation: &Organisation, now: Timestamp) -> bool {
    now < link_expires_at(organisation)
}

/// When a request's link stops working.
pub fn link_expires_at(organisation: &Organisation) -> Timestamp {
    organisation
        .requested_at
        .plus_seconds(LINK_LIFETIME.seconds())
}

/// A contact as long as it is kept: the table's TTL may take days to delete one past its day.
pub(super) fn kept(contact: Option<Contact>, now: Timestamp) -> Option<Contact> {
    contact.filter(|c| c.forget_at > now)
}

/// Reads what a contact's link leads to, changing nothing (a GET, and mail scanners). Only the
/// link itself tells anything: any other token for the same id is a dead link.
pub async fn read_contact_link(
    store: &dyn SupporterStore,
    clock: &dyn Clock,
    id: &OrganisationId,
    link: &SecretHash,
) -> Result<ContactLink, StoreError> {
    let now = clock.now();
    let Some((organisation, contact)) = store.organisation(id).await? else {
        return Ok(ContactLink::Dead);
    };
    let Some(contact) = kept(contact, now) else {
        return Ok(ContactLink::Dead);
    };
    let ours = contact
        .link_hash
        .as_ref()
        .is_some_and(|hash| hash.matches(link));
    Ok(match organisation.standing {
        _ if !ours => ContactLink::Dead,
        Standing::Unconfirmed if link_alive(&organisation, now) => {
            ContactLink::Live(organisation, contact.locale)
        }
        Standing::Unconfirmed => ContactLink::Dead,
        _ => ContactLink::Used(organisation, contact.locale),
    })
}

/// The contact confirms `organisation`, as its link read it: the request waits for a person. The moderation mailbox hears of it
/// (by the organisation's name only) when no other request was waiting: a person reviewing
/// sees them all, and a flood of requests cannot flood the mailbox. True when this click
/// confirmed it.
pub async fn confirm_contact(
    store: &dyn SupporterStore,
    mailer: &dyn Mailer,
    clock: &dyn Clock,
    settings: &SupportSettings,
    organisation: &Organisation,
    link: &SecretHash,
) -> Result<bool, SupportError> {
    let now = clock.now();
    let id = &organisation.id;
    if !link_alive(organisation, now) || !store.confirm_contact(id, link, now).await? {
        return Ok(false);
    }
    let waiting = store
        .organisations_in(Standing::Waiting)
        .await?
        .iter()
        .filter(|o| o.id != *id)
        .count();
    if let (Some(moderation), 0) = (&settings.moderation, waiting) {
        let locale = Locale::En;
        let name = organisation.name_in(organisation.locale).to_owned();
        let waiting = Notice::Waiting {
            organisation: name,
            id: id.to_string(),
        };
        let email = notice(&settings.mail, moderation.clone(), locale, &waiting);
        // Staff see every waiting request with `supporters pending` anyway: a lost notice is
        // logged, and the contact's confirmation stands.
        if let Err(e) = mailer.send(&email).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the moderation notice was not sent");
        }
    }
    Ok(true)
}
