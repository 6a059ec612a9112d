//! Signing the appeal: a pending signature, and a confirmation link the mailer will send.

use crate::domain::retention::{LINK_LIFETIME, PENDING_LIFETIME};
use crate::domain::{
    ConfirmationLink, Country, Email, LinkNonce, Locale, MailFamily, PRIVACY_POLICY_VERSION,
    PartnerConsent, Signature, SignatureStatus, SignerName, Source, Timestamp,
};
use crate::keyring::Keyring;
use crate::ports::Clock;
use crate::ports::{Insertion, LinkRenewal, SignatureStore, SignerChoices, StoreError};
use tracing::instrument;

/// At most one email per address in this interval, so a form cannot be used to flood someone.
pub const RESEND_INTERVAL_SECONDS: i64 = 5 * 60;

/// A signing request, parsed: every field is known good.
#[derive(Debug, Clone)]
pub struct Petition {
    pub name: SignerName,
    pub email: Email,
    pub country: Country,
    pub locale: Locale,
    pub updates: bool,
    /// Whether the page's script did the work for this address (`domain::proof`).
    pub proven: bool,
    /// The partner or channel it came through, once `use_cases::credit` has checked it.
    pub source: Option<Source>,
    /// Whether the signer ticked "Keep me informed by {partner}" in the partner's frame.
    pub partner_updates: bool,
    /// The partner's name as its frame showed it, once `use_cases::credit` found the partner.
    pub partner_name: Option<String>,
}

/// What signing did; the answer to the signer is the same whichever it was, and so is the work
/// it awaited (see `sign_petition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignOutcome {
    Created,
    LinkRenewed,
    /// A pending signature took the newer submission's choices; its live link stays.
    Revised,
    /// Confirmed already, or another request changed it in between: nothing was written.
    Unchanged,
    /// The mailbox had its emails for the day: no email, the live link stays live.
    Withheld,
    /// A bot, or a failed challenge: the same motions on keys nobody has, and nothing changed.
    Silenced,
}

/// The store could not be read or written: the signer is asked to try again, and whatever was
/// written is safe to write again.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SignError(#[from] StoreError);

/// The most confirmation emails one mailbox is sent in a UTC day, whatever `+tags` its
/// addresses carry: a signer needs one, and two more leave room to sign again.
pub const EMAILS_PER_MAILBOX_PER_DAY: u32 = 3;

/// A limit no mailbox is under: counting against it is the motion of counting, with nothing
/// counted.
pub(crate) const COUNTS_NOTHING: u32 = 0;

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
        expires_at: now.plus_seconds(LINK_LIFETIME.seconds()),
    }
}

/// What a submission would do to the signature its address has, before the mailbox's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Insert,
    /// Pending, its link sent long enough ago: a fresh link, and an email.
    Renew {
        sent_before: Timestamp,
    },
    /// Pending, its link sent minutes ago: the newer choices, no email.
    Revise {
        sent_before: Timestamp,
    },
    /// Confirmed: nothing to write.
    Leave,
}

impl Plan {
    fn of(existing: Option<&Signature>, now: Timestamp) -> Self {
        match existing {
            None => Self::Insert,
            Some(s) if s.is_confirmed() => Self::Leave,
            Some(s) if now >= s.link.sent_at.plus_seconds(RESEND_INTERVAL_SECONDS) => Self::Renew {
                sent_before: s.link.sent_at,
            },
            Some(s) => Self::Revise {
                sent_before: s.link.sent_at,
            },
        }
    }

    fn sends_email(self) -> bool {
        matches!(self, Self::Insert | Self::Renew { .. })
    }
}

/// Records a signature, renews its link, or takes its newer choices, within the mailbox's
/// emails for the day.
///
/// Every outcome awaits the same three store calls, in the same order: the signature read, the
/// mailbox's count (with nothing counted where no email results), and one write to the
/// signature's item (which changes nothing where nothing is to change: a confirmed signature,
/// or no signature and no email left). Whoever times the answer learns no more than its
/// content tells: nothing about who signed.
#[instrument(skip_all)]
pub async fn sign_petition(
    store: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    petition: Petition,
) -> Result<SignOutcome, SignError> {
    let outcome = go_through(store, keyring, clock, petition, false).await?;
    tracing::info!(outcome = ?outcome, "signature recorded");
    Ok(outcome)
}

/// What a bot, or a request that failed the challenge, gets: the motions of signing on keys
/// nobody has, so it cannot tell by the time of its answer that it was found out.
#[instrument(skip_all)]
pub async fn sign_silently(
    store: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
) -> Result<SignOutcome, SignError> {
    let decoy = Petition {
        name: SignerName::parse("People First").expect("a name that parses"),
        email: Email::parse(&format!("{}@decoy.invalid", LinkNonce::random().to_hex()))
            .expect("an address that parses"),
        country: Country::parse("UA").expect("a country that parses"),
        locale: Locale::En,
        updates: false,
        proven: false,
        source: None,
        partner_updates: false,
        partner_name: None,
    };
    Ok(go_through(store, keyring, clock, decoy, true).await?)
}

async fn go_through(
    store: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    petition: Petition,
    silently: bool,
) -> Result<SignOutcome, StoreError> {
    let now = clock.now();
    let mailbox = keyring.mailbox_key(&petition.email);
    // Built whatever comes of it, so every outcome does the same hashing.
    let signature = pending_signature(keyring, now, petition);
    let signer = signature.signer;
    let plan = Plan::of(store.find(&signer).await?.as_ref(), now);
    let wants_email = plan.sends_email() && !silently;
    let limit = if wants_email {
        EMAILS_PER_MAILBOX_PER_DAY
    } else {
        COUNTS_NOTHING
    };
    let counted = store.count_email_to(&mailbox, now, limit).await?;
    let choices = SignerChoices {
        name: signature.name.clone(),
        country: signature.country,
        locale: signature.locale,
        updates: signature.updates,
        proven: signature.proven,
        source: signature.source.clone(),
        partner_consent: signature.partner_consent.clone(),
    };
    if silently {
        // A revision of a signature nobody has: the write whose condition cannot hold.
        store.revise_pending(&signer, &choices, None, now).await?;
        return Ok(SignOutcome::Silenced);
    }
    let withheld = wants_email && !counted;
    if withheld {
        tracing::warn!(
            outcome = "withheld",
            "the mailbox had its emails for the day"
        );
        crate::telemetry::count("EmailsWithheld");
    }
    // Whoever submits last decides what a pending signature says: the address's owner, signing
    // after a stranger used their address, is never left confirming the stranger's choices.
    Ok(match plan {
        Plan::Insert if counted => match store.insert_pending(&signature).await? {
            Insertion::Inserted => SignOutcome::Created,
            // Another request inserted it in between: its email goes out, this count is spent,
            // and this submission, the later, still decides what a pending one says. (Only a
            // race costs this fourth call.)
            Insertion::AlreadySigned(existing) if !existing.is_confirmed() => {
                store
                    .revise_pending(&signer, &choices, None, existing.link.sent_at)
                    .await?;
                SignOutcome::Revised
            }
            Insertion::AlreadySigned(_) => SignOutcome::Unchanged,
        },
        Plan::Renew { sent_before } if counted => {
            let renewal = LinkRenewal {
                link: signature.link,
                expires_at: now.plus_seconds(PENDING_LIFETIME.seconds()),
            };
            let renewed = store
                .revise_pending(&signer, &choices, Some(&renewal), sent_before)
                .await?;
            // Not renewed: another request renewed or confirmed it in between.
            if renewed {
                SignOutcome::LinkRenewed
            } else {
                SignOutcome::Unchanged
            }
        }
        // No email: the choices change, the live link stays live.
        Plan::Renew { sent_before } | Plan::Revise { sent_before } => {
            match store
                .revise_pending(&signer, &choices, None, sent_before)
                .await?
            {
                true if withheld => SignOutcome::Withheld,
                true => SignOutcome::Revised,
                false => SignOutcome::Unchanged,
            }
        }
        // Nothing to change (confirmed, or no signature and no email left): a revision, whose
        // condition holds only if a pending signature appeared in between.
        Plan::Insert | Plan::Leave => {
            store
                .revise_pending(&signer, &choices, None, signature.signed_at)
                .await?;
            if withheld {
                SignOutcome::Withheld
            } else {
                SignOutcome::Unchanged
            }
        }
    })
}

/// The consent to hear from the partner, when the signer gave it in the partner's own frame.
fn partner_consent(petition: &Petition, now: Timestamp) -> Option<PartnerConsent> {
    match (&petition.source, &petition.partner_name) {
        (Some(Source::Partner(partner)), Some(name)) if petition.partner_updates => {
            Some(PartnerConsent {
                partner: partner.clone(),
                name: name.clone(),
                at: now,
                privacy_policy: PRIVACY_POLICY_VERSION.to_owned(),
                exported_at: None,
                withdrawn_at: None,
            })
        }
        _ => None,
    }
}

fn pending_signature(keyring: &Keyring, now: Timestamp, petition: Petition) -> Signature {
    let signer = keyring.signer_key(&petition.email);
    let erase_nonce = LinkNonce::random();
    let partner_consent = partner_consent(&petition, now);
    Signature {
        signer,
        status: SignatureStatus::Pending,
        name: petition.name,
        mail_family: Some(MailFamily::of(&petition.email)),
        email: Some(petition.email),
        country: petition.country,
        locale: petition.locale,
        updates: petition.updates,
        proven: petition.proven,
        privacy_policy: PRIVACY_POLICY_VERSION.to_owned(),
        source: petition.source,
        partner_consent,
        signed_at: now,
        link: fresh_link(keyring, &signer, now),
        confirmed_at: None,
        erase_nonce,
        erase_hash: keyring.erasure_secret(&signer, &erase_nonce).hash(),
        mailed_link: None,
        mailed_at: None,
        reminded_at: None,
        undeliverable: false,
        expires_at: Some(now.plus_seconds(PENDING_LIFETIME.seconds())),
    }
}
