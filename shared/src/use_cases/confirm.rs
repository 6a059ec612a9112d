//! Confirming a signature from the link in its email.

use crate::domain::{LinkToken, Locale, Signature};
use crate::ports::Clock;
use crate::ports::{Consents, SignatureStore, StoreError};
use tracing::instrument;

/// Why a link confirms nothing.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// No such signature, or not this link: it was replaced, mistyped, never existed, or expired.
    #[error("unknown link")]
    UnknownLink,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a link leads to, without changing anything: what pressing its button would confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkState {
    pub already_confirmed: bool,
    pub choices: crate::ports::SignerChoices,
}

fn check(
    signature: Option<Signature>,
    token: &LinkToken,
    clock: &dyn Clock,
) -> Result<Signature, ConfirmError> {
    // An expired link says no more than one that never existed, whatever its signature's
    // state: an old email, or a seized phone, must not prove that its owner signed, nor in
    // which language.
    signature
        .filter(|s| s.link.secret_hash.matches(&token.secret.hash()))
        .filter(|s| clock.now() < s.link.expires_at)
        .ok_or(ConfirmError::UnknownLink)
}

/// For the page a `GET` shows: reads only.
#[instrument(skip_all)]
pub async fn inspect_link(
    store: &dyn SignatureStore,
    clock: &dyn Clock,
    token: &LinkToken,
) -> Result<LinkState, ConfirmError> {
    let signature = check(store.find(&token.signer).await?, token, clock)?;
    Ok(LinkState {
        already_confirmed: signature.is_confirmed(),
        choices: crate::ports::SignerChoices {
            name: signature.name,
            country: signature.country,
            locale: signature.locale,
            updates: signature.updates,
            proven: signature.proven,
            source: signature.source,
            partner_consent: signature.partner_consent,
        },
    })
}

/// Confirms once; confirming again with the same link answers the same.
#[instrument(skip_all)]
pub async fn confirm_signature(
    store: &dyn SignatureStore,
    clock: &dyn Clock,
    token: &LinkToken,
) -> Result<Locale, ConfirmError> {
    let hash = token.secret.hash();
    // Twice at most: a withdrawal from the erase link in the same email may cross the click,
    // and the address is kept only if the consents as confirmed still need it.
    for _ in 0..2 {
        let signature = check(store.find(&token.signer).await?, token, clock)?;
        if signature.is_confirmed() {
            tracing::info!(outcome = "already confirmed", "confirmation");
            return Ok(signature.locale);
        }
        let seen = Consents::of(&signature);
        if store
            .confirm(&token.signer, &hash, clock.now(), &seen)
            .await?
        {
            tracing::info!(outcome = "confirmed", "confirmation");
            return Ok(signature.locale);
        }
        // Lost a race: a concurrent click confirmed it, a new link replaced this one, or a
        // consent was withdrawn; the next reading tells which.
    }
    let signature = check(store.find(&token.signer).await?, token, clock)?;
    if signature.is_confirmed() {
        tracing::info!(outcome = "already confirmed", "confirmation");
        Ok(signature.locale)
    } else if signature.link.secret_hash.matches(&hash) {
        Err(ConfirmError::Store(StoreError::unavailable(
            "the consents kept changing while being confirmed",
        )))
    } else {
        Err(ConfirmError::UnknownLink)
    }
}
