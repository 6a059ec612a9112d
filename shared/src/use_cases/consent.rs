//! A signer's consents after signing: withdrawn from the link in their emails, each on its own and
//! apart from erasing the signature; and a partner's share of them, exported for delivery to it.

use super::erase::{EraseError, check};
use crate::domain::{LinkToken, Locale, OrganisationId, Signature, Timestamp};
use crate::ports::{
    Clock, Consents, SignatureScan, SignatureStore, StoreError, read_every_signature,
};
use tracing::instrument;

/// A consent a signer may withdraw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// The campaign's updates.
    Campaign,
    /// The partner's whose frame they signed in.
    Partner,
}

/// The consents once one is withdrawn at `now`. A partner's consent its partner already
/// received is kept, marked withdrawn, until the next export tells the partner; one it never
/// received is dropped at once.
fn without(consents: &Consents, consent: Consent, now: Timestamp) -> Consents {
    let mut kept = consents.clone();
    match consent {
        Consent::Campaign => kept.updates = false,
        Consent::Partner => {
            kept.partner_consent = kept
                .partner_consent
                .filter(|c| c.exported_at.is_some())
                .map(|mut c| {
                    c.withdrawn_at.get_or_insert(now);
                    c
                });
        }
    }
    kept
}

/// Whether a signature's address may go once its consents are `kept`: confirmed, and needed by
/// no consent (a withdrawn one waiting for its partner's next export still needs it).
fn forgets_email(signature: &Signature, kept: &Consents) -> bool {
    signature.is_confirmed() && !kept.updates && kept.partner_consent.is_none()
}

/// Withdraws one consent from the signature the link erases; the signature stays. Its
/// language, or `None` when nothing of it is left (as `erase_signature`).
#[instrument(skip_all)]
pub async fn withdraw(
    store: &dyn SignatureStore,
    clock: &dyn Clock,
    token: &LinkToken,
    consent: Consent,
) -> Result<Option<Locale>, EraseError> {
    // Twice at most: a click racing an export or another click finds the consents changed.
    for _ in 0..2 {
        let Some(signature) = check(store.find(&token.signer).await?, token) else {
            return Ok(None);
        };
        let seen = Consents::of(&signature);
        let kept = without(&seen, consent, clock.now());
        if kept == seen
            || store
                .replace_consents(
                    &token.signer,
                    &signature.erase_hash,
                    &seen,
                    &kept,
                    forgets_email(&signature, &kept),
                )
                .await?
        {
            tracing::info!(consent = ?consent, "consent withdrawn");
            return Ok(Some(signature.locale));
        }
    }
    Err(EraseError::from(StoreError::unavailable(
        "the consents kept changing while being withdrawn",
    )))
}

/// A partner's share of the confirmed signatures: those who agreed to hear from it, and those
/// who withdrew since its last export.
#[derive(Debug, Default)]
pub struct PartnerShare {
    pub consenting: Vec<Signature>,
    pub withdrawn: Vec<Signature>,
}

/// Reads every signature for `partner`'s share; `progress` hears how many were read.
pub async fn partner_share(
    scan: &dyn SignatureScan,
    partner: &OrganisationId,
    progress: impl FnMut(u64),
) -> Result<PartnerShare, StoreError> {
    let mut share = PartnerShare::default();
    read_every_signature(
        scan,
        |signature| {
            let Some(consent) = signature.partner_consent.as_ref() else {
                return;
            };
            if !signature.is_confirmed() || consent.partner != *partner {
                return;
            }
            if consent.withdrawn_at.is_some() {
                share.withdrawn.push(signature);
            } else {
                share.consenting.push(signature);
            }
        },
        progress,
    )
    .await?;
    Ok(share)
}

/// What marking an export delivered did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Consents marked as received by the partner.
    pub marked: usize,
    /// Withdrawals the partner was told of, now forgotten, with the address where no other
    /// consent needs it.
    pub forgotten: usize,
    /// Signatures that changed since the scan (a withdrawal, an erasure): left for the next
    /// export.
    pub changed: usize,
}

/// Replaces a signature's consents as a staff command read them, with its own erasure hash;
/// whether they were still as read.
async fn replace_as_read(
    store: &dyn SignatureStore,
    signature: &Signature,
    kept: &Consents,
) -> Result<bool, StoreError> {
    let seen = Consents::of(signature);
    store
        .replace_consents(
            &signature.signer,
            &signature.erase_hash,
            &seen,
            kept,
            forgets_email(signature, kept),
        )
        .await
}

/// Once the export is written: each consent it carried is marked as received at `at`, and each
/// withdrawal it told of is forgotten.
pub async fn mark_delivered(
    store: &dyn SignatureStore,
    share: &PartnerShare,
    at: Timestamp,
) -> Result<Delivered, StoreError> {
    let mut delivered = Delivered::default();
    for signature in &share.consenting {
        let mut kept = Consents::of(signature);
        if let Some(consent) = kept.partner_consent.as_mut() {
            consent.exported_at = Some(at);
        }
        if replace_as_read(store, signature, &kept).await? {
            delivered.marked += 1;
        } else {
            delivered.changed += 1;
        }
    }
    for signature in &share.withdrawn {
        let kept = Consents {
            partner_consent: None,
            ..Consents::of(signature)
        };
        if replace_as_read(store, signature, &kept).await? {
            delivered.forgotten += 1;
        } else {
            delivered.changed += 1;
        }
    }
    Ok(delivered)
}
