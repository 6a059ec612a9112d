//! A signer's consents after signing: withdrawn from the link in their emails, each on its own and
//! apart from erasing the signature; and a partner's share of them, exported for delivery to it.

use super::erase::{EraseError, check};
use crate::domain::{
    ErasedConsent, LinkToken, Locale, OrganisationId, Signature, SignerKey, Timestamp,
};
use crate::ports::{Clock, Consents, Seen, SignatureScan, SignatureStore, StoreError};
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

/// A consent withdrawn: the signer's language, and whether it was still given (a second click
/// changes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withdrawn {
    pub locale: Locale,
    pub changed: bool,
}

/// Withdraws one consent from the signature the link erases; the signature stays. `None` when
/// nothing of it is left (as `erase_signature`).
#[instrument(skip_all)]
pub async fn withdraw(
    store: &dyn SignatureStore,
    clock: &dyn Clock,
    token: &LinkToken,
    consent: Consent,
) -> Result<Option<Withdrawn>, EraseError> {
    // Twice at most: a click racing an export or another click finds the consents changed.
    for _ in 0..2 {
        let Some(signature) = check(store.find(&token.signer).await?, token) else {
            return Ok(None);
        };
        if let Some(withdrawn) = withdraw_as_read(store, &signature, consent, clock.now()).await? {
            return Ok(Some(withdrawn));
        }
    }
    Err(EraseError::from(kept_changing()))
}

fn kept_changing() -> StoreError {
    StoreError::unavailable("the consents kept changing while being withdrawn")
}

/// Withdraws a consent of `signature` as it was read; `None` when it changed meanwhile.
async fn withdraw_as_read(
    store: &dyn SignatureStore,
    signature: &Signature,
    consent: Consent,
    now: Timestamp,
) -> Result<Option<Withdrawn>, StoreError> {
    let seen = Seen::of(signature);
    let kept = without(&seen.consents, consent, now);
    let changed = kept != seen.consents;
    if changed
        && !store
            .replace_consents(&signature.signer, &signature.erase_hash, &seen, &kept)
            .await?
    {
        return Ok(None);
    }
    tracing::info!(consent = ?consent, changed, "consent withdrawn");
    Ok(Some(Withdrawn {
        locale: signature.locale,
        changed,
    }))
}

/// Stops the campaign's updates to a signer whose mailbox bounced one for good or called it
/// spam, as their unsubscribe would; whether they were still getting them.
pub async fn stop_updates(
    store: &dyn SignatureStore,
    signer: &SignerKey,
    now: Timestamp,
) -> Result<bool, StoreError> {
    for _ in 0..2 {
        let Some(signature) = store.find(signer).await? else {
            return Ok(false);
        };
        if let Some(withdrawn) = withdraw_as_read(store, &signature, Consent::Campaign, now).await?
        {
            return Ok(withdrawn.changed);
        }
    }
    Err(kept_changing())
}

/// A partner's share of the confirmed signatures: those who agreed to hear from it, those who
/// withdrew since its last export, and those who erased their signature since.
#[derive(Debug, Default)]
pub struct PartnerShare {
    pub consenting: Vec<Signature>,
    pub withdrawn: Vec<Signature>,
    pub erased: Vec<ErasedConsent>,
}

/// Reads every signature for `partner`'s share; `progress` hears how many were read.
pub async fn partner_share(
    scan: &dyn SignatureScan,
    partner: &OrganisationId,
    mut progress: impl FnMut(u64),
) -> Result<PartnerShare, StoreError> {
    let mut share = PartnerShare::default();
    let (mut read, mut from) = (0, None);
    loop {
        let page = scan.scan(from).await?;
        read += page.signatures.len() as u64;
        for signature in page.signatures {
            let Some(consent) = signature.partner_consent.as_ref() else {
                continue;
            };
            if !signature.is_confirmed() || consent.partner != *partner {
                continue;
            }
            if consent.withdrawn_at.is_some() {
                share.withdrawn.push(signature);
            } else {
                share.consenting.push(signature);
            }
        }
        let theirs = page.erased.into_iter().filter(|e| e.partner == *partner);
        share.erased.extend(theirs);
        progress(read);
        match page.next {
            Some(next) => from = Some(next),
            None => return Ok(share),
        }
    }
}

/// Replaces a signature's consents as a staff command read them, with its own erasure hash;
/// whether they were still as read.
async fn replace_as_read(
    store: &dyn SignatureStore,
    signature: &Signature,
    kept: &Consents,
) -> Result<bool, StoreError> {
    store
        .replace_consents(
            &signature.signer,
            &signature.erase_hash,
            &Seen::of(signature),
            kept,
        )
        .await
}

/// Before an export carries them: each consent is marked as received by the partner at `at`,
/// so a withdrawal from then on waits to be told in the next export. Only those marked may be
/// written; one withdrawn or erased since the scan is left out, and the partner never has it.
pub async fn mark_exported(
    store: &dyn SignatureStore,
    consenting: Vec<Signature>,
    at: Timestamp,
) -> Result<Vec<Signature>, StoreError> {
    let mut marked = Vec::with_capacity(consenting.len());
    for signature in consenting {
        if replace_as_read(store, &signature, &Consents::of(&exported(&signature, at))).await? {
            marked.push(signature);
        }
    }
    Ok(marked)
}

/// `signature` as `mark_exported` leaves it.
fn exported(signature: &Signature, at: Timestamp) -> Signature {
    let mut marked = signature.clone();
    if let Some(consent) = marked.partner_consent.as_mut() {
        consent.exported_at = Some(at);
    }
    marked
}

/// Takes back the marks of an export that could not be written: each consent as it was before
/// `mark_exported` marked it at `at`, unless it changed since. One withdrawn in the seconds
/// between is told in the next export: at worst the partner hears of an address it never had,
/// from someone who had agreed to hear from it. How many could not be taken back.
pub async fn unmark_exported(
    store: &dyn SignatureStore,
    marked: &[Signature],
    at: Timestamp,
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for signature in marked {
        let seen = Seen::of(&exported(signature, at));
        let before = Consents::of(signature);
        if !store
            .replace_consents(&signature.signer, &signature.erase_hash, &seen, &before)
            .await?
        {
            changed += 1;
        }
    }
    Ok(changed)
}

/// Once the export that told the partner is written: each withdrawal and erasure it carried is
/// forgotten, with the address where no other consent needs it. How many changed meanwhile
/// (signed again): those are told again in the next export, which does no harm.
pub async fn forget_told(
    store: &dyn SignatureStore,
    withdrawn: &[Signature],
    erased: &[ErasedConsent],
) -> Result<usize, StoreError> {
    for erased in erased {
        store.forget_erased(erased).await?;
    }
    let mut changed = 0;
    for signature in withdrawn {
        let kept = Consents {
            partner_consent: None,
            ..Consents::of(signature)
        };
        if !replace_as_read(store, signature, &kept).await? {
            changed += 1;
        }
    }
    Ok(changed)
}
