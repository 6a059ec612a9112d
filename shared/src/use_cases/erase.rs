//! Erasing a signature from the link in any of its emails. The counter is never touched here:
//! the deletion reaches the aggregate through the stream, which subtracts a confirmed signature
//! exactly once however often the link is used.

use crate::domain::{LinkToken, Locale, Signature};
use crate::ports::{Clock, SignatureStore, StoreError};
use tracing::instrument;

/// The store could not be read or written; nothing was erased, and the link still works.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct EraseError(#[from] StoreError);

/// The signature a link erases, or `None` when nothing of its signature is left: erased before,
/// expired unconfirmed, or since followed by a newer signature of the same address (whose link
/// is another). All three answer alike, so an old link never tells that its signer signed again.
pub(super) fn check(signature: Option<Signature>, token: &LinkToken) -> Option<Signature> {
    signature.filter(|s| s.erase_hash.matches(&token.secret.hash()))
}

/// What the link's page shows: the signature's language, and the consents it may withdraw
/// while the signature stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub locale: Locale,
    /// The campaign's updates.
    pub updates: bool,
    /// The partner whose news the signer agreed to, by the name the form showed, unless
    /// withdrawn already.
    pub partner: Option<String>,
}

/// For the page a `GET` shows: what the signature holds, or `None` when nothing is left to erase.
#[instrument(skip_all)]
pub async fn inspect_erasure(
    store: &dyn SignatureStore,
    token: &LinkToken,
) -> Result<Option<Held>, EraseError> {
    Ok(
        check(store.find(&token.signer).await?, token).map(|s| Held {
            locale: s.locale,
            updates: s.updates,
            partner: s
                .partner_consent
                .filter(|c| c.withdrawn_at.is_none())
                .map(|c| c.name),
        }),
    )
}

/// Deletes the signature; the same answer when it is already gone.
#[instrument(skip_all)]
pub async fn erase_signature(
    store: &dyn SignatureStore,
    clock: &dyn Clock,
    token: &LinkToken,
) -> Result<Option<Locale>, EraseError> {
    let Some(signature) = check(store.find(&token.signer).await?, token) else {
        tracing::info!(outcome = "already gone", "erasure");
        return Ok(None);
    };
    let hash = token.secret.hash();
    // `None` here means a concurrent request erased it first: the same outcome.
    let erased = store.erase(&token.signer, Some(&hash), clock.now()).await?;
    tracing::info!(
        outcome = if erased.is_some() {
            "erased"
        } else {
            "already gone"
        },
        "erasure"
    );
    Ok(Some(signature.locale))
}
