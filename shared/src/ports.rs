//! The narrow traits the use cases need from the outside world: every one of them is here, and
//! `adapters` fills each.

use crate::domain::{Email, Locale, SecretHash, Signature, SignerKey, Timestamp};
use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Throttled, unreachable or failing: the caller answers 503 and the client retries. The
    /// cause stays an error of its own, with its own causes (`telemetry::Causes` prints them).
    #[error("the signature store is unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A stored item that does not parse: a bug or tampering, never the signer's fault.
    #[error("a stored signature is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn unavailable(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Unavailable(cause.into())
    }
}

/// The result of writing a new pending signature.
#[derive(Debug, Clone, PartialEq)]
pub enum Insertion {
    Inserted,
    /// Someone with this address has signed before; nothing was written.
    AlreadySigned(Box<Signature>),
}

/// What a signer chooses when signing: how their signature reads and whether we may write.
#[derive(Debug, Clone, PartialEq)]
pub struct SignerChoices {
    pub name: crate::domain::SignerName,
    pub country: crate::domain::Country,
    pub locale: crate::domain::Locale,
    pub updates: bool,
    /// Whether the page's script did the work for this address: the latest submission says.
    pub proven: bool,
    /// The partner or channel the latest submission came through.
    pub source: Option<crate::domain::Source>,
    /// Consent to hear from that partner, as the latest submission gave it.
    pub partner_consent: Option<crate::domain::PartnerConsent>,
}

/// What a signature's owner agreed to hear: the campaign's updates, and a partner's.
#[derive(Debug, Clone, PartialEq)]
pub struct Consents {
    pub updates: bool,
    pub partner_consent: Option<crate::domain::PartnerConsent>,
}

impl Consents {
    pub fn of(signature: &Signature) -> Self {
        Self {
            updates: signature.updates,
            partner_consent: signature.partner_consent.clone(),
        }
    }

    /// Whether any of them needs the address kept once the signature is confirmed (a withdrawn
    /// partner's consent does, until the partner's next export tells it).
    pub fn need_email(&self) -> bool {
        self.updates || self.partner_consent.is_some()
    }
}

/// A signature's consents as a use case read them, with whether it was confirmed then: a change
/// to them holds only if both still do, so a confirmation and a withdrawal that cross never keep
/// an address no consent needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub consents: Consents,
    pub confirmed: bool,
}

impl Seen {
    pub fn of(signature: &Signature) -> Self {
        Self {
            consents: Consents::of(signature),
            confirmed: signature.is_confirmed(),
        }
    }

    /// Whether the address goes once the consents are `new`.
    pub fn forgets_email_with(&self, new: &Consents) -> bool {
        self.confirmed && !new.need_email()
    }
}

/// A fresh confirmation link replacing the live one of a pending signature.
#[derive(Debug, Clone, Copy)]
pub struct LinkRenewal {
    pub link: crate::domain::ConfirmationLink,
    /// The new TTL of the pending signature.
    pub expires_at: Timestamp,
}

/// The signatures: signing, confirming, erasing and counting each mailbox's emails, over what
/// the mailer reads and marks.
#[async_trait]
pub trait SignatureStore: SignatureMailing + MailboxCounts {
    /// Writes a pending signature unless one exists for its signer.
    async fn insert_pending(&self, signature: &Signature) -> Result<Insertion, StoreError>;

    /// Replaces the choices of a pending signature with a newer submission's, under the current
    /// privacy policy, and with `renewal` its link too if that was sent at `sent_before` (and
    /// forgets that its mailbox bounced: the signer asked again); false when it is no longer
    /// pending, or another request renewed the link first.
    async fn revise_pending(
        &self,
        signer: &SignerKey,
        choices: &SignerChoices,
        renewal: Option<&LinkRenewal>,
        sent_before: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Moves a pending signature whose live link has `secret_hash` and whose consents are still
    /// `seen` to confirmed, forgetting the address unless they need it; false when it was not
    /// pending with that live link, or a withdrawal changed its consents meanwhile.
    async fn confirm(
        &self,
        signer: &SignerKey,
        secret_hash: &SecretHash,
        at: Timestamp,
        seen: &Consents,
    ) -> Result<bool, StoreError>;

    /// Replaces the consents of the signature whose erasure hash is `erase_hash`, if they are
    /// still `seen` and it is still confirmed or pending as `seen`; a confirmed signature's
    /// address goes with the last consent that needed it. False when the signature is gone,
    /// another, or changed meanwhile.
    async fn replace_consents(
        &self,
        signer: &SignerKey,
        erase_hash: &SecretHash,
        seen: &Seen,
        new: &Consents,
    ) -> Result<bool, StoreError>;

    /// Deletes a signature, if its erasure hash is `erase_hash` (a signer's link) or whatever
    /// it is (`None`: staff acting on a request); returns what was deleted, `None` when nothing was.
    /// A signature whose address a partner received leaves, in the same write, its
    /// `ErasedConsent` at `at` for the partner's next export.
    async fn erase(
        &self,
        signer: &SignerKey,
        erase_hash: Option<&SecretHash>,
        at: Timestamp,
    ) -> Result<Option<Signature>, StoreError>;

    /// Forgets an erased signer's notice once an export told its partner.
    async fn forget_erased(&self, erased: &crate::domain::ErasedConsent) -> Result<(), StoreError>;

    /// Deletes a signature if it is still pending (its mailbox's owner called our email spam);
    /// returns what was deleted.
    async fn erase_pending(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError>;
}

/// Each mailbox's emails of the day, counted against its limit: signing and the reminders ask.
#[async_trait]
pub trait MailboxCounts: Send + Sync {
    /// Counts one more email to `mailbox` on the UTC day of `at`, unless `limit` were already
    /// sent to it that day: false then, and nothing is counted.
    async fn count_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Result<bool, StoreError>;

    /// Gives back an email counted by `count_email_to` for which none was sent.
    async fn uncount_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
    ) -> Result<(), StoreError>;
}

/// The signatures as the mailer reads and marks them: all a fake needs to stand in for the
/// table under the mailer.
#[async_trait]
pub trait SignatureMailing: Send + Sync {
    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError>;

    /// Notes that the email of the live link `link` went out at `at`, so a repeated request for
    /// it is dropped (and the reminder knows when it went); false when the signature is gone,
    /// confirmed or has another link by now.
    async fn mark_mailed(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Notes that a pending signature's mailbox does not exist, so no email goes to it again;
    /// false when it is gone or confirmed.
    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError>;
}

/// The campaign's updates: each one's texts and how far its sending went, and each signer's
/// claim on one email of it, so that no signer gets an update twice.
#[async_trait]
pub trait UpdateStore: Send + Sync {
    /// Writes `texts` as the next update, sent at `at`; `Err` names the last one, when it is
    /// still sending: one goes at a time.
    async fn add_update(
        &self,
        texts: &std::collections::BTreeMap<Locale, crate::domain::UpdateText>,
        at: Timestamp,
    ) -> Result<Result<crate::domain::UpdateNumber, crate::domain::UpdateNumber>, StoreError>;

    /// The last update staff sent, if any.
    async fn latest_update(&self) -> Result<Option<crate::domain::Update>, StoreError>;

    async fn update(
        &self,
        number: crate::domain::UpdateNumber,
    ) -> Result<Option<crate::domain::Update>, StoreError>;

    /// Moves an update's read of the signatures on from `from` to `to` (`None`: every signer
    /// was read, and it is done), adding `counts`; false when it was no longer at `from`
    /// (another sender moved it first).
    async fn advance_update(
        &self,
        number: crate::domain::UpdateNumber,
        from: Option<&str>,
        to: Option<&str>,
        counts: &crate::domain::UpdateCounts,
    ) -> Result<bool, StoreError>;

    /// Adds what SES's feedback and the unsubscribe link report.
    async fn count_update(
        &self,
        number: crate::domain::UpdateNumber,
        counts: &crate::domain::UpdateCounts,
    ) -> Result<(), StoreError>;

    /// Claims the update's one email to `signer` before it is sent; false when it was claimed
    /// before, by this sender or another.
    async fn claim_update(
        &self,
        number: crate::domain::UpdateNumber,
        signer: &SignerKey,
    ) -> Result<bool, StoreError>;

    /// After the claim: `Sent` when SES took the email, `Refused` when it never will, or
    /// `Returned` when it did not go now, so a later pass claims it again.
    async fn settle_update(
        &self,
        number: crate::domain::UpdateNumber,
        signer: &SignerKey,
        settled: Settled,
    ) -> Result<(), StoreError>;

    /// An update's claims, by what became of them, while they are kept.
    async fn claims(&self, number: crate::domain::UpdateNumber) -> Result<Claims, StoreError>;
}

/// An update's claims, counted: the emails SES took, those it refused, and those not settled
/// (in flight, or lost with a sender that stopped between the claim and SES's answer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Claims {
    pub sent: u64,
    pub refused: u64,
    pub unsettled: u64,
}

/// What became of a claimed email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Sent,
    Refused,
    Returned,
}

/// The reminders to confirm: one pass over the pending signatures at a time, and each
/// signature's one reminder claimed before it goes.
#[async_trait]
pub trait ReminderStore: Send + Sync {
    /// The pass under way, or the last one.
    async fn reminder_pass(&self) -> Result<Option<ReminderPass>, StoreError>;

    /// Replaces the pass `seen` with `new`; false when another sender replaced it first.
    async fn save_reminder_pass(
        &self,
        seen: Option<&ReminderPass>,
        new: &ReminderPass,
    ) -> Result<bool, StoreError>;

    /// Claims the reminder of a pending signature whose live link, `link`, was mailed and which
    /// was never reminded; false otherwise.
    async fn claim_reminder(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Gives a claimed reminder back: it did not go now.
    async fn release_reminder(&self, signer: &SignerKey, at: Timestamp) -> Result<(), StoreError>;
}

/// One pass of the reminders over the signatures: when it began, and where it goes on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReminderPass {
    pub started_at: Timestamp,
    /// None before the first page, and once every signature was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub done: bool,
}

/// What an email is about: SES reports its bounces and complaints with it, so feedback acts only
/// on what the email was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MailKind {
    /// A signature's confirmation link.
    Confirmation,
    /// An organisation's request, or the decision on it, to its contact.
    Organisation,
    /// The one reminder of a signature's confirmation link.
    Reminder,
    /// A campaign update, to a confirmed signer who asked for them.
    Update,
}

impl MailKind {
    /// The message tag SES carries into its events: `kind`, with this value.
    pub const TAG: &'static str = "kind";
    /// The message tag that names the update an email carries, for its feedback to count against.
    pub const UPDATE_TAG: &'static str = "update";

    pub fn tag_value(self) -> &'static str {
        match self {
            Self::Confirmation => "confirmation",
            Self::Organisation => "organisation",
            Self::Reminder => "reminder",
            Self::Update => "update",
        }
    }
}

/// What an email tells its reader, as a use case chooses it. The edge puts it into words in the
/// reader's language (`Wording`), so the use cases hold no template and no translation.
#[derive(Clone, PartialEq, Eq)]
pub enum Notice {
    /// A signer's confirmation link, and the link that erases the signature; `name` is who the
    /// email greets, empty for nobody.
    Confirmation {
        name: String,
        link: String,
        erase_link: String,
    },
    /// An organisation's contact: the link that confirms its request.
    ContactLink { organisation: String, link: String },
    /// The moderators: requests wait for them, this one the first.
    Waiting { organisation: String, id: String },
    /// The contact: staff approved the request. `code` is the organisation's as a partner, and
    /// `embed` the page that shows how to put the count and the form on its site.
    Approved {
        organisation: String,
        code: String,
        embed: String,
    },
    /// The contact: staff turned the request down.
    Rejected { organisation: String },
    /// A pending signer, a day after the confirmation link: the same link again, which works
    /// for `days` more days.
    Reminder {
        name: String,
        link: String,
        erase_link: String,
        days: u32,
    },
}

/// Its links carry secrets and its names are people's: a log says only which notice it is.
impl std::fmt::Debug for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Confirmation { .. } => "Notice::Confirmation(..)",
            Self::ContactLink { .. } => "Notice::ContactLink(..)",
            Self::Waiting { .. } => "Notice::Waiting(..)",
            Self::Approved { .. } => "Notice::Approved(..)",
            Self::Rejected { .. } => "Notice::Rejected(..)",
            Self::Reminder { .. } => "Notice::Reminder(..)",
        })
    }
}

/// An email's words, in one language.
#[derive(Clone, PartialEq, Eq)]
pub struct Words {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// As a notice's: the words hold its links and names.
impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Words(..)")
    }
}

/// Puts a notice into words, in plain text and HTML.
pub trait Wording: Send + Sync + std::fmt::Debug {
    fn words(&self, locale: Locale, notice: &Notice) -> Words;
}

/// Puts a campaign update into words: staff's Markdown as text and HTML, with the footer that
/// says why the reader gets it and how to stop it. Apart from `Wording`, so that only what
/// sends updates carries the Markdown renderer.
pub trait UpdateWording: Send + Sync {
    fn update_words(
        &self,
        locale: Locale,
        text: &crate::domain::UpdateText,
        unsubscribe_link: &str,
        erase_link: &str,
    ) -> Words;
}

/// One email, ready to send.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutgoingEmail {
    pub kind: MailKind,
    pub from: String,
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub list_unsubscribe: String,
    /// Whether a POST to the first link of `List-Unsubscribe` unsubscribes at once (RFC 8058):
    /// the updates' link does; the erasure page of the other emails asks first.
    pub one_click: bool,
    /// The update it carries, for SES's feedback to count against.
    pub update: Option<crate::domain::UpdateNumber>,
}

impl std::fmt::Debug for OutgoingEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OutgoingEmail(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The provider refused this message for good: retrying will not help.
    #[error("the message was rejected: {0}")]
    Rejected(String),
    /// Sending faster than the account's rate: wait, then send again.
    #[error("mail is throttled: {0}")]
    Throttled(String),
    /// The account's emails for the day are spent: nothing goes out for a while.
    #[error("the daily sending quota is spent: {0}")]
    QuotaSpent(String),
    /// Throttled or failing: try again later.
    #[error("mail is unavailable: {0}")]
    Unavailable(String),
}

/// Whether mail can reach a domain at all, as its DNS says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A mail exchanger, or an address to deliver to.
    Possible,
    /// No such domain, no mail exchanger and no address, or a null MX (RFC 7505): SES would
    /// only count a bounce.
    Impossible,
    /// DNS did not answer in time: the mail goes, and SES decides.
    Unknown,
}

/// What the mailer asks before an email spends a slot of SES's rate.
#[async_trait]
pub trait MailDomains: Send + Sync {
    async fn delivery(&self, domain: &str) -> Delivery;
}

/// Every domain may take mail: the local stack, whose mail lands in a folder.
pub struct EveryDomain;

#[async_trait]
impl MailDomains for EveryDomain {
    async fn delivery(&self, _: &str) -> Delivery {
        Delivery::Possible
    }
}

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError>;
}

/// A shared mailer is a mailer: the local stack and tests hand one out more than once.
#[async_trait]
impl<M: Mailer + ?Sized> Mailer for std::sync::Arc<M> {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        self.as_ref().send(email).await
    }
}

/// An email waiting to be sent: whose, and for which of their links. It carries no address:
/// the mailer reads the item as it is when its turn comes. Untagged, so the messages queued
/// before organisations' emails joined the queue read as they were written.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum MailRequest {
    /// A signature's confirmation link, and whether the page's proof of work came with it.
    Confirmation {
        signer: SignerKey,
        link: SecretHash,
        /// Always written; a message queued before the proof of work existed has none, and
        /// goes as it would have then.
        #[serde(default = "queued_before_the_proof")]
        proven: bool,
    },
    /// The link an organisation's contact confirms its request with, and whether the page's
    /// proof of work came with it.
    Contact {
        organisation: crate::domain::OrganisationId,
        link: SecretHash,
        /// A message queued before contacts had the proof of work has none: such mail was
        /// unproven.
        #[serde(default)]
        proven: bool,
    },
}

fn queued_before_the_proof() -> bool {
    true
}

impl MailRequest {
    /// Whether its email goes first when the mail path is under attack: one whose request
    /// came with the page's proof of work.
    pub fn is_proven(&self) -> bool {
        match self {
            Self::Confirmation { proven, .. } | Self::Contact { proven, .. } => *proven,
        }
    }

    /// What two copies of one request share: a retried batch queues its requests again.
    pub fn identity(&self) -> String {
        match self {
            Self::Confirmation { signer, link, .. } => {
                format!("{}#{}", signer.to_hex(), link.to_hex())
            }
            Self::Contact {
                organisation, link, ..
            } => format!("{organisation}#{}", link.to_hex()),
        }
    }
}

/// Whether confirmation emails wait to be sent: the reminders and the updates go only while none
/// does, so a launch's confirmations never wait behind them.
#[async_trait]
pub trait ConfirmationsWaiting: Send + Sync {
    async fn waiting(&self) -> Result<bool, MailError>;
}

/// The buffer between the table's stream, which keeps a day, and the paced mailer.
#[async_trait]
pub trait MailQueue: Send + Sync {
    /// Queues every request or fails: a failure may have queued some of them.
    async fn enqueue(&self, requests: &[MailRequest]) -> Result<(), MailError>;
}

#[async_trait]
impl<Q: MailQueue + ?Sized> MailQueue for std::sync::Arc<Q> {
    async fn enqueue(&self, requests: &[MailRequest]) -> Result<(), MailError> {
        self.as_ref().enqueue(requests).await
    }
}

/// The counter item and the per-shard checkpoints that keep it exact. Only the aggregate
/// function writes it, and the staff's `recount --fix`.
#[async_trait]
pub trait CounterStore: Send + Sync {
    async fn read_counter(&self) -> Result<crate::domain::Counter, StoreError>;

    /// The last sequence number of `shard` already counted.
    async fn checkpoint(
        &self,
        shard: &str,
    ) -> Result<Option<crate::domain::SequenceNumber>, StoreError>;

    /// Adds `delta` to the counter and moves the shard's checkpoint from `from` to `to`, both or
    /// neither; false when the checkpoint was no longer `from` (another delivery counted first).
    async fn apply(
        &self,
        shard: &str,
        from: Option<&crate::domain::SequenceNumber>,
        to: &crate::domain::SequenceNumber,
        delta: &crate::domain::CounterDelta,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Replaces the counter with a recount, unless it changed since `seen` was read.
    async fn replace_counter(
        &self,
        seen: &crate::domain::Counter,
        recount: &crate::domain::Counter,
    ) -> Result<bool, StoreError>;
}

/// One page of a full read of the signatures, for staff commands.
pub struct SignaturePage {
    pub signatures: Vec<Signature>,
    /// What erased signers left their partners (`SignatureStore::erase`), on some page.
    pub erased: Vec<crate::domain::ErasedConsent>,
    /// How many emails were counted to each mailbox on each day still kept, without the
    /// mailbox: what staff see of the daily limit at work. On some page.
    pub mailbox_days: Vec<(crate::domain::UtcDay, u32)>,
    /// Where the next page starts; none after the last.
    pub next: Option<String>,
}

#[async_trait]
pub trait SignatureScan: Send + Sync {
    async fn scan(&self, from: Option<String>) -> Result<SignaturePage, StoreError>;
}

/// Reads every signature once, page by page, handing each to `each`; `progress` hears how many
/// were read so far. Returns how many there were.
pub async fn read_every_signature(
    scan: &dyn SignatureScan,
    mut each: impl FnMut(Signature),
    mut progress: impl FnMut(u64),
) -> Result<u64, StoreError> {
    let mut read = 0;
    let mut from = None;
    loop {
        let page = scan.scan(from).await?;
        read += page.signatures.len() as u64;
        page.signatures.into_iter().for_each(&mut each);
        progress(read);
        match page.next {
            Some(next) => from = Some(next),
            None => return Ok(read),
        }
    }
}

/// The mail path's health, counted in stretches of five minutes (`domain::mail_health`): the
/// mailer adds what it sent, the mail events what bounced, the stream's consumer the new
/// signatures.
#[async_trait]
pub trait MailHealthStore: Send + Sync {
    /// Adds `seen` to the stretch `at` falls in.
    async fn note_mail(
        &self,
        at: Timestamp,
        seen: &crate::domain::mail_health::MailHealth,
    ) -> Result<(), StoreError>;

    /// What the last hour up to `now` saw.
    async fn recent_mail(
        &self,
        now: Timestamp,
    ) -> Result<crate::domain::mail_health::MailHealth, StoreError>;
}

#[async_trait]
impl<H: MailHealthStore + ?Sized> MailHealthStore for std::sync::Arc<H> {
    async fn note_mail(
        &self,
        at: Timestamp,
        seen: &crate::domain::mail_health::MailHealth,
    ) -> Result<(), StoreError> {
        self.as_ref().note_mail(at, seen).await
    }

    async fn recent_mail(
        &self,
        now: Timestamp,
    ) -> Result<crate::domain::mail_health::MailHealth, StoreError> {
        self.as_ref().recent_mail(now).await
    }
}

/// The mail path's health stretch by stretch, for as long as the store keeps it (two days): what
/// staff look back on.
#[async_trait]
pub trait MailHealthHistory: Send + Sync {
    /// Each stretch from the one `from` falls in to the one `to` falls in that saw something,
    /// by its start, the oldest first.
    async fn mail_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, crate::domain::mail_health::MailHealth)>, StoreError>;
}

/// One organisation and its contact, as the mailer reads them for the links it sends: all a
/// mailer needs of the supporters' store.
#[async_trait]
pub trait OrganisationReading: Send + Sync {
    /// An organisation and its contact, while the contact is kept.
    async fn organisation(
        &self,
        id: &crate::domain::OrganisationId,
    ) -> Result<Option<(crate::domain::Organisation, Option<crate::domain::Contact>)>, StoreError>;
}

/// The organisations, read whole, as signing and the count ask who is on the list.
#[async_trait]
pub trait SupportersList: Send + Sync {
    /// Every organisation of one standing, without contacts, each standing read apart: a flood
    /// of requests, confirmed or not, never reaches what reads the approved. Unconfirmed
    /// requests are never read: this answers none of them.
    async fn organisations_in(
        &self,
        standing: crate::domain::Standing,
    ) -> Result<Vec<crate::domain::Organisation>, StoreError>;

    /// Every organisation whose contact confirmed, whatever its standing since: for staff.
    async fn organisations(&self) -> Result<Vec<crate::domain::Organisation>, StoreError> {
        use crate::domain::Standing;
        let mut all = Vec::new();
        for standing in [
            Standing::Waiting,
            Standing::Approved,
            Standing::Rejected,
            Standing::Removed,
        ] {
            all.extend(self.organisations_in(standing).await?);
        }
        Ok(all)
    }
}

/// The organisations asking to join the supporters list, the list itself, and their contacts.
#[async_trait]
pub trait SupporterStore: OrganisationReading + SupportersList {
    /// Writes a new request with its contact.
    async fn insert_request(
        &self,
        organisation: &crate::domain::Organisation,
        contact: &crate::domain::Contact,
    ) -> Result<(), StoreError>;

    /// Moves an unconfirmed request whose live link has `link` to waiting for moderation, using
    /// the link up; false when it was not unconfirmed with that link.
    async fn confirm_contact(
        &self,
        id: &crate::domain::OrganisationId,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Replaces an organisation standing at `from` with `decided`, and moves the day its contact
    /// is forgotten to `forget_contact_at`; false when it no longer stood at `from`.
    async fn decide(
        &self,
        decided: &crate::domain::Organisation,
        from: crate::domain::Standing,
        forget_contact_at: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Replaces the sites, beside its website, that may frame the sign form for an
    /// organisation; false when there is no such organisation.
    async fn set_frame_origins(
        &self,
        id: &crate::domain::OrganisationId,
        origins: &[crate::domain::FrameOrigin],
    ) -> Result<bool, StoreError>;

    /// Deletes an organisation's contact at once (on the contact's request); false when there
    /// was none.
    async fn forget_contact(&self, id: &crate::domain::OrganisationId) -> Result<bool, StoreError>;

    /// Writes each organisation that was never written (the campaign's first supporters);
    /// returns how many were.
    async fn seed(
        &self,
        organisations: &[crate::domain::Organisation],
    ) -> Result<usize, StoreError>;
}

/// The approved supporters, as signing asks about them: a signature is credited to a partner
/// only while it is on the list.
#[async_trait]
pub trait Partners: Send + Sync {
    /// The organisation with this id, if it is on the list.
    async fn partner(
        &self,
        id: &crate::domain::OrganisationId,
    ) -> Result<Option<crate::domain::Organisation>, StoreError>;
}

#[derive(Debug, thiserror::Error)]
#[error("the site could not be published: {0}")]
pub struct PublishError(pub String);

/// One file of the built site: its path under the site's root and its bytes.
#[cfg(feature = "site")]
#[derive(Debug, Clone)]
pub struct SiteFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where the site's pages are published: the files the CDN serves, and its copies of them.
#[cfg(feature = "site")]
#[async_trait]
pub trait SitePublisher: Send + Sync {
    /// Writes each file whose content is not what is published already, then has the CDN drop
    /// its copies of those; returns how many were written.
    async fn publish(&self, files: &[SiteFile]) -> Result<usize, PublishError>;
}

/// The time, as the use cases ask for it, so tests can move it.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// A shared clock is a clock: tests hand one to several parts and move it.
impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        self.as_ref().now()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the challenge provider could not be asked: {0}")]
pub struct ChallengeUnavailable(pub String);

/// Asks the provider about one answer.
#[async_trait]
pub trait Challenge: Send + Sync {
    /// The widget the sign form shows with its errors.
    fn widget(&self) -> &crate::domain::challenge::Widget;

    /// Whether the widget's answer is genuine; an empty answer never is.
    async fn passed(&self, answer: &str) -> Result<bool, ChallengeUnavailable>;
}

#[cfg(test)]
mod tests {
    use super::{Notice, Words};

    #[test]
    fn a_notice_in_a_log_shows_no_link_and_no_name() {
        let notice = Notice::Confirmation {
            name: "Olena Koval".into(),
            link: "https://people-first.example/api/confirm?t=secret".into(),
            erase_link: "https://people-first.example/api/erase?t=other".into(),
        };
        let words = Words {
            subject: "Confirm".into(),
            text: "Olena Koval t=secret".into(),
            html: String::new(),
        };
        for logged in [format!("{notice:?}"), format!("{words:?}")] {
            assert!(
                !logged.contains("secret") && !logged.contains("Olena"),
                "{logged}"
            );
        }
    }
}
