//! Sending queued confirmation emails at the pace SES allows: each request read against the
//! signature as it is when its turn comes, sent once, and throttling waited out rather than
//! counted as a failure.

use crate::domain::mail_health::{Guard, MailHealth};
use crate::domain::{SecretHash, Signature, SignatureStatus, Timestamp};
use crate::keyring::Keyring;
use crate::ports::{Clock, MailHealthStore};
use crate::ports::{
    Delivery, MailDomains, MailError, MailRequest, Mailer, OrganisationReading, OutgoingEmail,
    SignatureMailing, StoreError,
};
use crate::use_cases::mailing::{MailSettings, confirmation_email};
use crate::use_cases::supporters;
use crate::use_cases::unproven::{Turn, UnprovenMail};
use std::time::Duration;
use tokio::time::Instant;
use tracing::instrument;

mod pace;
#[cfg(test)]
mod tests;

use pace::Backoff;
pub use pace::Pace;

/// How long the mailers stop after SES says the day's quota is spent: a retry sooner only
/// repeats the refusal, and AWS asks senders to wait.
const QUOTA_PAUSE: Duration = Duration::from_mins(10);

/// How many times a failing provider is tried for one email before its request goes back to the
/// queue, which will bring it again.
const FAULTS_PER_ATTEMPT: u32 = 3;

/// What became of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Nothing to send: the signature is gone, confirmed, has another link, or was mailed.
    NotNeeded,
    /// Without the page's proof of work, it waits: the guard is up, or such mail had its
    /// share. The queue brings it back.
    Held,
    /// SES refused the message for good; it will not be tried again.
    Refused,
    /// Not sent this time: the queue brings the request back.
    Later,
}

/// Whether `signature` still waits for the email of `link`.
fn wants_email(signature: &Signature, link: &SecretHash) -> bool {
    signature.status == SignatureStatus::Pending
        && !signature.undeliverable
        && signature.link.secret_hash.matches(link)
        && !signature
            .mailed_link
            .is_some_and(|mailed| mailed.matches(link))
}

/// Whether a link waiting for its email still works: one that waited past its expiry (held
/// behind proven mail, or the queue backed up) would carry a dead link, and is dropped; signing
/// or asking again brings a new one. Counted, so staff see mail expiring in the queue.
fn still_alive(expires_at: Timestamp, now: Timestamp) -> bool {
    let alive = now < expires_at;
    if !alive {
        tracing::info!("the link expired while its email waited; not sent");
        crate::telemetry::count("EmailsPastTheirLink");
    }
    alive
}

/// What to do once the provider answered an email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Sent,
    /// Refused for good: never tried again.
    Refused,
    /// Not now: the email goes back to wait for a later run.
    Later,
    /// Try again at the next slot.
    Again,
}

/// The waits between one email's attempts: throttling is waited out by every email of this
/// instance, a fault by this one, a few times.
pub struct Retries {
    throttled: Backoff,
    faulted: Backoff,
    faults: u32,
}

impl Retries {
    pub fn new() -> Self {
        Self {
            throttled: Backoff::throttled(),
            faulted: Backoff::faulted(),
            faults: 0,
        }
    }

    /// Reads the provider's answer, holding the pace or waiting as it calls for.
    pub async fn after(
        &mut self,
        answer: Result<(), MailError>,
        pace: &Pace,
        deadline: Instant,
    ) -> Next {
        match answer {
            Ok(()) => {
                tracing::info!("email sent");
                Next::Sent
            }
            // Retrying a refused address only repeats the refusal: drop it, say so (the
            // reason is SES's code, never the address), and count it.
            Err(MailError::Rejected(reason)) => {
                tracing::warn!(%reason, "email rejected");
                crate::telemetry::count("EmailsRejected");
                Next::Refused
            }
            // Every email of this instance waits; the queue brings this one back.
            Err(MailError::QuotaSpent(reason)) => {
                tracing::warn!(%reason, "SES's daily quota is spent; pausing");
                crate::telemetry::count("EmailsOverDailyQuota");
                pace.hold_until(Instant::now() + QUOTA_PAUSE);
                Next::Later
            }
            // Every email of this instance waits: the next slot is after the wait.
            Err(MailError::Throttled(reason)) => {
                tracing::info!(%reason, "SES throttled; waiting");
                crate::telemetry::count("EmailsThrottled");
                pace.hold_until(Instant::now() + self.throttled.next());
                Next::Again
            }
            Err(MailError::Unavailable(reason)) => {
                self.faults += 1;
                let wait = self.faulted.next();
                if self.faults >= FAULTS_PER_ATTEMPT || Instant::now() + wait > deadline {
                    tracing::warn!(%reason, "mail unavailable; the email goes back to wait");
                    return Next::Later;
                }
                tracing::info!(%reason, "mail unavailable; trying again");
                tokio::time::sleep(wait).await;
                Next::Again
            }
        }
    }
}

impl Default for Retries {
    fn default() -> Self {
        Self::new()
    }
}

/// What sending needs, borrowed for one batch.
pub struct Sending<'a> {
    pub mailer: &'a dyn Mailer,
    pub store: &'a dyn SignatureMailing,
    /// Where organisations' contacts are read, for the links they confirm requests with.
    pub supporters: &'a dyn OrganisationReading,
    /// Whether an address's domain takes mail at all.
    pub domains: &'a dyn MailDomains,
    /// Where what was sent is counted, and the last hour's figures read for the guard.
    pub health: &'a dyn MailHealthStore,
    /// Mail without the page's proof of work: its share, and the guard.
    pub unproven: &'a UnprovenMail,
    pub clock: &'a dyn Clock,
    pub keyring: &'a Keyring,
    pub settings: &'a MailSettings,
    pub pace: &'a Pace,
}

impl Sending<'_> {
    /// Sends a batch, several emails in flight within the pace, and says what became of each.
    /// Nothing starts after `deadline`. A request that comes twice in one batch (a retried
    /// stream batch queues its requests again) is sent once: both copies share its outcome.
    /// `arrived` are the new signatures among them, counted with what was sent in one write.
    #[instrument(skip_all, fields(emails = requests.len()))]
    pub async fn send_all<I>(
        &self,
        requests: Vec<(I, MailRequest)>,
        arrived: MailHealth,
        deadline: Instant,
    ) -> Vec<(I, Outcome)> {
        let mut distinct: Vec<&MailRequest> = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let copy_of: Vec<usize> = requests
            .iter()
            .map(|(_, request)| {
                *seen.entry(request.identity()).or_insert_with(|| {
                    distinct.push(request);
                    distinct.len() - 1
                })
            })
            .collect();
        self.read_the_guard().await;
        let outcomes = futures_util::future::join_all(
            distinct.iter().map(|request| self.send(request, deadline)),
        )
        .await;
        self.count_what_was_sent(arrived, &distinct, &outcomes)
            .await;
        requests
            .into_iter()
            .zip(copy_of)
            .map(|((id, _), n)| (id, outcomes[n]))
            .collect()
    }

    /// Sends what a batch of changes calls for, with no queue between (the local stack); false
    /// when some of it must be tried again, which marks make safe: what went out is not resent.
    pub async fn send_for_changes(
        &self,
        batch: &[crate::domain::Change],
        deadline: Instant,
    ) -> bool {
        let requests = crate::use_cases::mailing::requests_in(batch);
        let arrived = crate::use_cases::mailing::new_signatures(&requests);
        let outcomes = self
            .send_all(
                requests.into_iter().map(|r| ((), r)).collect(),
                arrived,
                deadline,
            )
            .await;
        outcomes
            .iter()
            .all(|((), o)| !matches!(o, Outcome::Later | Outcome::Held))
    }

    /// Sends the email one request asks for, if the signature still needs it when its slot
    /// comes: read then, so a signature confirmed, erased or renewed while it waited gets no
    /// stale email.
    pub async fn send(&self, request: &MailRequest, deadline: Instant) -> Outcome {
        let proven = request.is_proven();
        if self.unproven.turn(proven) == Turn::Wait {
            return Outcome::Held;
        }
        let outcome = self.send_in_turn(request, deadline).await;
        self.unproven.settle(proven, outcome == Outcome::Sent);
        outcome
    }

    async fn send_in_turn(&self, request: &MailRequest, deadline: Instant) -> Outcome {
        // Before a slot is spent: a flood of addresses at domains that take no mail must not
        // hold back anyone else's, nor count as bounces at SES.
        // Not past the deadline: a flood of domains whose DNS answers slowly waits its turn for
        // the resolver, and what it holds back goes back to the queue in time.
        match tokio::time::timeout_at(deadline, self.reaches_a_domain_that_takes_mail(request))
            .await
        {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => {
                crate::telemetry::count("EmailsToDomainsWithoutMail");
                self.mark_undeliverable(request).await;
                return Outcome::Refused;
            }
            Ok(Err(fault)) => return Self::later(&fault),
            // The deadline came while the domain's DNS was asked: the request comes back.
            Err(_) => return Outcome::Later,
        }
        let mut retries = Retries::new();
        let mut email = None;
        loop {
            if !self.pace.slot_before(deadline).await {
                return Outcome::Later;
            }
            let email = match &email {
                Some(email) => email,
                None => match self.email_for(request).await {
                    Ok(Some(read)) => email.insert(read),
                    Ok(None) => return Outcome::NotNeeded,
                    Err(fault) => return Self::later(&fault),
                },
            };
            let answer = self.mailer.send(email).await;
            match retries.after(answer, self.pace, deadline).await {
                Next::Sent => {
                    self.mark_mailed(request).await;
                    return Outcome::Sent;
                }
                // Marked, so the request that comes again is dropped.
                Next::Refused => {
                    self.mark_mailed(request).await;
                    return Outcome::Refused;
                }
                Next::Later => return Outcome::Later,
                Next::Again => {}
            }
        }
    }

    /// The email a request calls for, if its signature, or its organisation's contact, still
    /// waits for it; `Err` when what it is about cannot be read now.
    async fn email_for(&self, request: &MailRequest) -> Result<Option<OutgoingEmail>, StoreError> {
        let now = self.clock.now();
        match request {
            MailRequest::Confirmation { signer, link, .. } => {
                self.store.find(signer).await.map(|found| {
                    found
                        .filter(|signature| wants_email(signature, link))
                        .filter(|signature| still_alive(signature.link.expires_at, now))
                        .and_then(|signature| {
                            confirmation_email(self.settings, self.keyring, &signature)
                        })
                })
            }
            MailRequest::Contact {
                organisation, link, ..
            } => self
                .supporters
                .organisation(organisation)
                .await
                .map(|found| {
                    found
                        .filter(|(organisation, _)| {
                            still_alive(supporters::link_expires_at(organisation), now)
                        })
                        .and_then(|(organisation, contact)| {
                            supporters::link_email(
                                self.settings,
                                self.keyring,
                                &organisation,
                                contact.as_ref()?,
                                link,
                                now,
                            )
                        })
                }),
        }
    }

    /// Sets the guard as the last hour's figures call for; a figure that cannot be read leaves
    /// it as it was.
    async fn read_the_guard(&self) {
        match self.health.recent_mail(self.clock.now()).await {
            Ok(health) => {
                let guard = health.guard();
                if let Guard::Up(alarm) = guard {
                    tracing::warn!(%alarm, "the mail guard is up: unproven mail waits");
                    crate::telemetry::count("MailGuardUp");
                }
                self.unproven.set_guard(guard);
            }
            Err(e) => {
                tracing::warn!(error = %crate::telemetry::Causes(&e), "the mail's health could not be read");
            }
        }
    }

    /// Adds what arrived and what went out to the mail's health; a count that fails is logged,
    /// not retried.
    async fn count_what_was_sent(
        &self,
        arrived: MailHealth,
        requests: &[&MailRequest],
        outcomes: &[Outcome],
    ) {
        let mut seen = arrived;
        for (request, outcome) in requests.iter().zip(outcomes) {
            if *outcome == Outcome::Sent {
                seen.sent += 1;
                seen.sent_unproven += u64::from(!request.is_proven());
            }
        }
        if let Err(e) = self.health.note_mail(self.clock.now(), &seen).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "what was sent could not be counted");
        }
    }

    /// False only when the email's domain is known to take no mail; an email no longer
    /// needed goes on to be found so when its slot comes.
    async fn reaches_a_domain_that_takes_mail(
        &self,
        request: &MailRequest,
    ) -> Result<bool, StoreError> {
        let Some(email) = self.email_for(request).await? else {
            return Ok(true);
        };
        Ok(self.domains.delivery(email.to.domain()).await != Delivery::Impossible)
    }

    /// What the email is about could not be read now: it is mailed later, and the fault logged.
    fn later(fault: &StoreError) -> Outcome {
        tracing::warn!(fault = %crate::telemetry::Causes(fault), "what the email is about could not be read; mailing later");
        Outcome::Later
    }

    /// A signature whose domain takes no mail is not mailed again: signing again clears it.
    async fn mark_undeliverable(&self, request: &MailRequest) {
        let MailRequest::Confirmation { signer, .. } = request else {
            return;
        };
        if let Err(e) = self.store.mark_undeliverable(signer).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the undeliverable address could not be noted");
        }
    }

    /// A mark that cannot be written costs at most a second email, if the request comes again.
    /// A contact's link is not marked: only a retried stream batch sends it twice.
    async fn mark_mailed(&self, request: &MailRequest) {
        let MailRequest::Confirmation { signer, link, .. } = request else {
            return;
        };
        if let Err(e) = self.store.mark_mailed(signer, link, self.clock.now()).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the sent email could not be noted");
        }
    }
}
