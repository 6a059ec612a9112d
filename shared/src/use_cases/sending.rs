//! Sending queued confirmation emails at the pace SES allows: each request read against the
//! signature as it is when its turn comes, sent once, and throttling waited out rather than
//! counted as a failure.

use crate::domain::mail_health::{Guard, MailHealth};
use crate::domain::{SecretHash, Signature, SignatureStatus, Timestamp};
use crate::keyring::Keyring;
use crate::ports::{Clock, MailHealthStore};
use crate::ports::{
    Delivery, MailDomains, MailError, MailRequest, Mailer, OutgoingEmail, SignatureStore,
    StoreError, SupporterStore,
};
use crate::use_cases::mailing::{MailSettings, confirmation_email};
use crate::use_cases::supporters;
use crate::use_cases::unproven::{Turn, UnprovenMail};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;
use tracing::instrument;

/// One mailer instance's share of the account's sending rate: evenly spaced slots, and a hold
/// that pushes back every slot not yet used when SES says the account sends too fast.
pub struct Pace {
    interval: Duration,
    slots: Mutex<Slots>,
}

struct Slots {
    next: Instant,
    held_until: Instant,
}

impl Pace {
    /// `rate` emails a second.
    pub fn per_second(rate: f64) -> Self {
        Self::every(Duration::from_secs_f64(1.0 / rate.max(0.001)))
    }

    /// No pace: the local stack's outbox takes mail as fast as it comes.
    pub fn unlimited() -> Self {
        Self::every(Duration::ZERO)
    }

    fn every(interval: Duration) -> Self {
        let now = Instant::now();
        Self {
            interval,
            slots: Mutex::new(Slots {
                next: now,
                held_until: now,
            }),
        }
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits for the next free slot and takes it; false, without taking one, when that slot
    /// comes after `deadline`. A slot that a hold overtook while it waited is taken again after
    /// the hold, so a batch booked ahead does not fire into SES's throttling.
    pub async fn slot_before(&self, deadline: Instant) -> bool {
        loop {
            let at = {
                let mut slots = self.slots();
                let at = slots.next.max(slots.held_until).max(Instant::now());
                if at > deadline {
                    return false;
                }
                slots.next = at + self.interval;
                at
            };
            tokio::time::sleep_until(at).await;
            if self.slots().held_until <= at {
                return true;
            }
        }
    }

    /// Holds every slot back until `until`.
    pub fn hold_until(&self, until: Instant) {
        let mut slots = self.slots();
        slots.held_until = slots.held_until.max(until);
        slots.next = slots.next.max(until);
    }
}

/// Waits that double from a first one, with jitter so instances throttled together do not come
/// back together.
struct Backoff {
    first: Duration,
    attempts: u32,
}

impl Backoff {
    const LONGEST: Duration = Duration::from_mins(1);

    /// After throttling: SES's rate is counted by the second.
    fn throttled() -> Self {
        Self {
            first: Duration::from_secs(1),
            attempts: 0,
        }
    }

    /// After a fault: most are over at once, and a batch waits for its slowest email.
    fn faulted() -> Self {
        Self {
            first: Duration::from_millis(100),
            attempts: 0,
        }
    }

    fn next(&mut self) -> Duration {
        let base = self
            .first
            .saturating_mul(1 << self.attempts.min(10))
            .min(Self::LONGEST);
        self.attempts += 1;
        base.mul_f64(rand::random_range(0.5..1.0))
    }
}

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

/// What sending needs, borrowed for one batch.
pub struct Sending<'a> {
    pub mailer: &'a dyn Mailer,
    pub store: &'a dyn SignatureStore,
    /// Where organisations' contacts are read, for the links they confirm requests with.
    pub supporters: &'a dyn SupporterStore,
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
        let mut throttled = Backoff::throttled();
        let mut faulted = Backoff::faulted();
        let mut faults = 0;
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
            match self.mailer.send(email).await {
                Ok(()) => {
                    tracing::info!("email sent");
                    self.mark_mailed(request).await;
                    return Outcome::Sent;
                }
                // Retrying a refused address only repeats the refusal: drop it, say so (the
                // reason is SES's code, never the address), and count it.
                Err(MailError::Rejected(reason)) => {
                    tracing::warn!(%reason, "email rejected");
                    crate::telemetry::count("EmailsRejected");
                    self.mark_mailed(request).await;
                    return Outcome::Refused;
                }
                // Every email of this instance waits; the queue brings this one back.
                Err(MailError::QuotaSpent(reason)) => {
                    tracing::warn!(%reason, "SES's daily quota is spent; pausing");
                    crate::telemetry::count("EmailsOverDailyQuota");
                    self.pace.hold_until(Instant::now() + QUOTA_PAUSE);
                    return Outcome::Later;
                }
                // Every email of this instance waits: the next slot is after the wait.
                Err(MailError::Throttled(reason)) => {
                    tracing::info!(%reason, "SES throttled; waiting");
                    crate::telemetry::count("EmailsThrottled");
                    self.pace.hold_until(Instant::now() + throttled.next());
                }
                Err(MailError::Unavailable(reason)) => {
                    faults += 1;
                    let wait = faulted.next();
                    if faults >= FAULTS_PER_ATTEMPT || Instant::now() + wait > deadline {
                        tracing::warn!(%reason, "mail unavailable; the email goes back to the queue");
                        return Outcome::Later;
                    }
                    tracing::info!(%reason, "mail unavailable; trying again");
                    tokio::time::sleep(wait).await;
                }
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
        if let Err(e) = self.store.mark_mailed(signer, link).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the sent email could not be noted");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Email, SecretHash, SignerKey};
    use crate::ports::{Insertion, LinkRenewal, OutgoingEmail, StoreError};
    use async_trait::async_trait;
    use std::collections::HashMap;

    /// Signatures in memory: all the mailer reads and writes.
    #[derive(Default)]
    struct Signatures(Mutex<HashMap<SignerKey, Signature>>);

    #[async_trait]
    impl SignatureStore for Signatures {
        async fn insert_pending(&self, _: &Signature) -> Result<Insertion, StoreError> {
            unreachable!("the mailer does not sign")
        }
        async fn revise_pending(
            &self,
            _: &SignerKey,
            _: &crate::ports::SignerChoices,
            _: Option<&LinkRenewal>,
            _: Timestamp,
        ) -> Result<bool, StoreError> {
            unreachable!("the mailer does not revise signatures")
        }
        async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
            Ok(self.0.lock().unwrap().get(signer).cloned())
        }
        async fn confirm(
            &self,
            _: &SignerKey,
            _: &SecretHash,
            _: Timestamp,
            _: bool,
        ) -> Result<bool, StoreError> {
            unreachable!("the mailer does not confirm")
        }
        async fn erase(
            &self,
            _: &SignerKey,
            _: Option<&SecretHash>,
        ) -> Result<Option<Signature>, StoreError> {
            unreachable!("the mailer does not erase")
        }
        async fn mark_mailed(
            &self,
            signer: &SignerKey,
            link: &SecretHash,
        ) -> Result<bool, StoreError> {
            let mut signatures = self.0.lock().unwrap();
            let signature = signatures.get_mut(signer).expect("marked after reading");
            signature.mailed_link = Some(*link);
            Ok(true)
        }
        async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
            let mut signatures = self.0.lock().unwrap();
            let signature = signatures.get_mut(signer).expect("marked after reading");
            signature.undeliverable = true;
            Ok(true)
        }
        async fn count_email_to(
            &self,
            _: &crate::domain::MailboxKey,
            _: Timestamp,
            _: u32,
        ) -> Result<bool, StoreError> {
            unreachable!("signing counts emails, not the mailer")
        }
        async fn uncount_email_to(
            &self,
            _: &crate::domain::MailboxKey,
            _: Timestamp,
        ) -> Result<(), StoreError> {
            unreachable!("signing counts emails, not the mailer")
        }
        async fn erase_pending(&self, _: &SignerKey) -> Result<Option<Signature>, StoreError> {
            unreachable!("the mailer does not erase")
        }
    }

    /// SES on the virtual clock: at most `rate` sends in any second, `Throttling` beyond, and
    /// one address it is down for or refuses.
    struct Ses {
        rate: usize,
        accepted: Mutex<Vec<(Instant, String)>>,
        throttled: Mutex<usize>,
        down_for: Option<String>,
        refuses: Option<String>,
        /// How many it takes in all before its daily quota is spent.
        daily: Option<usize>,
        calls: Mutex<Vec<Instant>>,
    }

    impl Ses {
        fn at(rate: usize) -> Self {
            Self {
                rate,
                accepted: Mutex::default(),
                throttled: Mutex::default(),
                down_for: None,
                refuses: None,
                daily: None,
                calls: Mutex::default(),
            }
        }

        fn sent(&self) -> Vec<(Instant, String)> {
            self.accepted.lock().unwrap().clone()
        }
    }

    #[async_trait]
    impl Mailer for Ses {
        async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
            let to = email.to.as_str().to_owned();
            self.calls.lock().unwrap().push(Instant::now());
            if self
                .daily
                .is_some_and(|quota| self.accepted.lock().unwrap().len() >= quota)
            {
                return Err(MailError::QuotaSpent(
                    "Daily message quota exceeded.".into(),
                ));
            }
            if self.down_for.as_ref() == Some(&to) {
                return Err(MailError::Unavailable("down".into()));
            }
            if self.refuses.as_ref() == Some(&to) {
                return Err(MailError::Rejected("MessageRejected".into()));
            }
            let now = Instant::now();
            let mut accepted = self.accepted.lock().unwrap();
            let last_second = accepted
                .iter()
                .filter(|(at, _)| now.duration_since(*at) < Duration::from_secs(1))
                .count();
            if last_second >= self.rate {
                *self.throttled.lock().unwrap() += 1;
                return Err(MailError::Throttled(
                    "Maximum sending rate exceeded.".into(),
                ));
            }
            accepted.push((now, to));
            Ok(())
        }
    }

    fn address(n: usize) -> String {
        format!("signer{n}@example.org")
    }

    /// When the tests' signatures signed, and the mailer's clock reads.
    const SIGNED_AT: Timestamp = Timestamp::from_unix_seconds(1_764_374_400);

    /// `n` pending signatures, and a request for each.
    fn signed(n: usize, keyring: &Keyring) -> (Signatures, Vec<(usize, MailRequest)>) {
        signed_as(&(0..n).map(address).collect::<Vec<_>>(), keyring)
    }

    /// A pending signature of each address, and a request for each.
    fn signed_as(
        addresses: &[String],
        keyring: &Keyring,
    ) -> (Signatures, Vec<(usize, MailRequest)>) {
        let store = Signatures::default();
        let mut requests = Vec::new();
        for (i, address) in addresses.iter().enumerate() {
            let email = Email::parse(address).unwrap();
            let signer = keyring.signer_key(&email);
            let signature: Signature = serde_json::from_value(serde_json::json!({
                "pk": signer.to_hex(), "status": "pending", "name": "Olena", "email": email.as_str(),
                "country": "UA", "locale": "uk", "updates": false, "privacy_policy": "2026-11-29",
                "signed_at": SIGNED_AT.unix_seconds(), "link_nonce": format!("{i:032x}"),
                "secret_hash": format!("{i:064x}"), "link_sent_at": SIGNED_AT.unix_seconds(),
                "link_expires_at": SIGNED_AT.unix_seconds() + 604_800,
            }))
            .unwrap();
            requests.push((
                i,
                MailRequest::Confirmation {
                    signer,
                    link: signature.link.secret_hash,
                    proven: true,
                },
            ));
            store.0.lock().unwrap().insert(signer, signature);
        }
        (store, requests)
    }

    fn settings() -> MailSettings {
        crate::testing::mail_settings()
    }

    /// Named apart from `Sending::send`: the IAM check follows functions by name.
    async fn send_requests(
        ses: &Ses,
        store: &Signatures,
        pace: &Pace,
        requests: Vec<(usize, MailRequest)>,
        within: Duration,
    ) -> Vec<(usize, Outcome)> {
        send_requests_to(
            &crate::ports::EveryDomain,
            ses,
            store,
            pace,
            requests,
            within,
        )
        .await
    }

    async fn send_requests_to(
        domains: &dyn MailDomains,
        ses: &Ses,
        store: &Signatures,
        pace: &Pace,
        requests: Vec<(usize, MailRequest)>,
        within: Duration,
    ) -> Vec<(usize, Outcome)> {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let settings = settings();
        let dir = tempfile::tempdir().unwrap();
        let supporters =
            crate::adapters::embedded::EmbeddedStore::open(&dir.path().join("s")).unwrap();
        let sending = Sending {
            mailer: ses,
            store,
            supporters: &supporters,
            domains,
            health: &supporters,
            unproven: &UnprovenMail::metered(crate::use_cases::unproven::ONE_IN),
            clock: &crate::adapters::clock::ManualClock::at(SIGNED_AT),
            keyring: &keyring,
            settings: &settings,
            pace,
        };
        sending
            .send_all(requests, MailHealth::default(), Instant::now() + within)
            .await
    }

    /// DNS as the mailer sees it: one domain takes no mail.
    struct NoMailAt(&'static str);

    #[async_trait]
    impl MailDomains for NoMailAt {
        async fn delivery(&self, domain: &str) -> Delivery {
            if domain == self.0 {
                Delivery::Impossible
            } else {
                Delivery::Possible
            }
        }
    }

    /// DNS that never answers.
    struct Silent;

    #[async_trait]
    impl MailDomains for Silent {
        async fn delivery(&self, _: &str) -> Delivery {
            std::future::pending().await
        }
    }

    #[tokio::test(start_paused = true)]
    async fn dns_that_never_answers_holds_nothing_past_the_deadline() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(3, &keyring);
        let ses = Ses::at(10);
        let outcomes = send_requests_to(
            &Silent,
            &ses,
            &store,
            &Pace::unlimited(),
            requests,
            Duration::from_secs(10),
        )
        .await;
        assert_eq!(count(&outcomes, Outcome::Later), 3, "back to the queue");
        assert!(ses.sent().is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn a_domain_that_takes_no_mail_spends_no_slot_and_is_not_tried_again() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let addresses: Vec<String> = (0..20)
            .map(|n| match n % 2 {
                0 => format!("random{n}@gone.example"),
                _ => address(n),
            })
            .collect();
        let (store, requests) = signed_as(&addresses, &keyring);
        let ses = Ses::at(10);
        let began = Instant::now();
        let outcomes = send_requests_to(
            &NoMailAt("gone.example"),
            &ses,
            &store,
            &Pace::per_second(1.0),
            requests,
            Duration::from_mins(1),
        )
        .await;
        for (n, outcome) in &outcomes {
            let expected = if n % 2 == 0 {
                Outcome::Refused
            } else {
                Outcome::Sent
            };
            assert_eq!(*outcome, expected, "{}", addresses[*n]);
        }
        let sent = ses.sent();
        assert!(sent.iter().all(|(_, to)| !to.ends_with("@gone.example")));
        let took = sent.last().unwrap().0 - began;
        assert!(
            took < Duration::from_secs(10),
            "ten emails at one a second, none of the pace spent on the others: {took:?}"
        );
        let signatures = store.0.lock().unwrap();
        assert_eq!(
            signatures.values().filter(|s| s.undeliverable).count(),
            10,
            "signing again clears it"
        );
    }

    fn count(outcomes: &[(usize, Outcome)], outcome: Outcome) -> usize {
        outcomes.iter().filter(|(_, o)| *o == outcome).count()
    }

    #[tokio::test(start_paused = true)]
    async fn sends_are_spaced_at_the_pace_and_all_go_out() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(50, &keyring);
        let ses = Ses::at(10);
        let began = Instant::now();
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::per_second(10.0),
            requests,
            Duration::from_mins(1),
        )
        .await;
        assert_eq!(count(&outcomes, Outcome::Sent), 50);
        let sent = ses.sent();
        for pair in sent.windows(2) {
            assert!(pair[1].0 - pair[0].0 >= Duration::from_millis(100));
        }
        let took = sent.last().unwrap().0 - began;
        assert!(
            took >= Duration::from_millis(4900) && took < Duration::from_secs(5),
            "{took:?}"
        );
        assert_eq!(*ses.throttled.lock().unwrap(), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_link_that_expired_while_its_email_waited_is_not_sent() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(2, &keyring);
        let first = store.0.lock().unwrap().keys().next().copied().unwrap();
        store
            .0
            .lock()
            .unwrap()
            .get_mut(&first)
            .unwrap()
            .link
            .expires_at = SIGNED_AT;
        let ses = Ses::at(10);
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::unlimited(),
            requests,
            Duration::from_mins(1),
        )
        .await;
        assert_eq!(count(&outcomes, Outcome::NotNeeded), 1);
        assert_eq!(ses.sent().len(), 1, "only the live link is mailed");
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_is_waited_out_and_fails_no_email() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(60, &keyring);
        // Twice too fast for the account, as two instances sharing a quota set wrongly would be.
        let ses = Ses::at(5);
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::per_second(10.0),
            requests,
            Duration::from_mins(2),
        )
        .await;
        assert_eq!(count(&outcomes, Outcome::Sent), 60, "{outcomes:?}");
        // Each throttle holds every booked slot back: SES is not called into its refusal
        // again and again (without the hold, every other call would be refused).
        let throttled = *ses.throttled.lock().unwrap();
        assert!(
            throttled > 0 && throttled <= 15,
            "{throttled} calls throttled"
        );
        let mut to: Vec<String> = ses.sent().into_iter().map(|(_, to)| to).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 60, "each signer mailed once");
    }

    #[tokio::test(start_paused = true)]
    async fn nothing_starts_after_the_deadline_and_the_rest_waits_for_later() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(10, &keyring);
        let ses = Ses::at(100);
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::per_second(1.0),
            requests,
            Duration::from_millis(3500),
        )
        .await;
        assert_eq!(count(&outcomes, Outcome::Sent), 4);
        assert_eq!(count(&outcomes, Outcome::Later), 6);
    }

    #[tokio::test(start_paused = true)]
    async fn a_provider_down_for_one_email_holds_back_no_other() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(5, &keyring);
        let mut ses = Ses::at(100);
        ses.down_for = Some(address(2));
        ses.refuses = Some(address(3));
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::per_second(50.0),
            requests.clone(),
            Duration::from_mins(1),
        )
        .await;
        assert_eq!(
            outcomes,
            vec![
                (0, Outcome::Sent),
                (1, Outcome::Sent),
                (2, Outcome::Later),
                (3, Outcome::Refused),
                (4, Outcome::Sent)
            ]
        );
        // The same requests again, as a queue retried after a lost answer brings them.
        let again = send_requests(
            &ses,
            &store,
            &Pace::per_second(50.0),
            requests,
            Duration::from_mins(1),
        )
        .await;
        assert_eq!(count(&again, Outcome::NotNeeded), 4, "{again:?}");
        assert_eq!(
            ses.sent().len(),
            3,
            "nothing mailed or refused is sent again"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_spent_daily_quota_pauses_sending_and_returns_the_rest_to_the_queue() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(20, &keyring);
        let mut ses = Ses::at(100);
        ses.daily = Some(5);
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::per_second(10.0),
            requests,
            Duration::from_mins(4),
        )
        .await;
        assert_eq!(count(&outcomes, Outcome::Sent), 5);
        assert_eq!(count(&outcomes, Outcome::Later), 15);
        assert_eq!(
            ses.calls.lock().unwrap().len(),
            6,
            "one refusal, then no call for the pause"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_twice_in_one_batch_is_sent_once() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, requests) = signed(2, &keyring);
        let twice = vec![
            requests[0].clone(),
            requests[1].clone(),
            requests[0].clone(),
        ];
        let ses = Ses::at(100);
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::unlimited(),
            twice,
            Duration::from_mins(1),
        )
        .await;
        assert_eq!(
            outcomes,
            vec![(0, Outcome::Sent), (1, Outcome::Sent), (0, Outcome::Sent)]
        );
        assert_eq!(ses.sent().len(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_for_a_link_that_was_replaced_sends_nothing() {
        let keyring = Keyring::from_master(&[42; 32]).unwrap();
        let (store, mut requests) = signed(1, &keyring);
        let MailRequest::Confirmation { link, .. } = &mut requests[0].1 else {
            unreachable!("signatures' requests")
        };
        *link = SecretHash::of_nothing();
        let ses = Ses::at(100);
        let outcomes = send_requests(
            &ses,
            &store,
            &Pace::unlimited(),
            requests,
            Duration::from_mins(1),
        )
        .await;
        assert_eq!(outcomes, vec![(0, Outcome::NotNeeded)]);
        assert!(ses.sent().is_empty());
    }
}
