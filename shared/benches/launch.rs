//! A launch, simulated: 100,000 signatures arriving at 10,000 a second, their confirmation emails
//! queued as the stream and mail-queue function queue them, and the real mailer code (its pace,
//! backoff, deadlines and duplicate handling) sending them to an SES that enforces its sending
//! rate and throttles beyond it, as SES does. The mail queue and its event source mapping behave
//! as the template sets them (read from infra/template.yaml): instances, batch size, timeout,
//! visibility timeout and receives before the failure queue. Everything runs on tokio's virtual
//! clock, so hours of sending take seconds. Run by `tests/bench`, for quotas of 14, 200 and
//! 1,000 emails a second, with and without 5 % of SES calls failing; then under a bounce flood,
//! and through a day whose quota is spent.

// Counts and times here are far below 2^52: as f64 they lose nothing.
#![allow(clippy::cast_precision_loss)]

use async_trait::async_trait;
use people_first::domain::mail_health::MailHealth;
use people_first::domain::{Email, Signature, Timestamp};
use people_first::events::mailer::LAST_EMAIL_BEFORE_TIMEOUT;
use people_first::keyring::Keyring;
use people_first::ports::{
    Clock, ConfirmationsWaiting, Delivery, MailDomains, MailError, MailHealthStore, MailRequest,
    Mailer, OutgoingEmail, StoreError, UpdateStore,
};
use people_first::testing::signatures_in_memory::SignaturesInMemory;
use people_first::use_cases::follow_up::FollowUp;
use people_first::use_cases::mailing::MailSettings;
use people_first::use_cases::sending::{Outcome, Pace, Sending};
use people_first::use_cases::unproven::UnprovenMail;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

const SIGNATURES: usize = 100_000;
const ARRIVALS_PER_SECOND: usize = 10_000;
const QUOTAS: [usize; 3] = [14, 200, 1_000];
const FAULTS: f64 = 0.05;
/// From signing to the request in the queue: the stream's and mail-queue's batching windows.
const QUEUEING: Duration = Duration::from_millis(1_500);
/// SES's answer to one call, and Lambda's between one invocation and the next.
const SES_LATENCY: Duration = Duration::from_millis(30);
const INVOCATION_GAP: Duration = Duration::from_millis(20);

/// The mail path's settings, as the template sets them.
struct Mapping {
    instances: usize,
    batch_size: usize,
    batching_window: Duration,
    timeout: Duration,
    visibility: Duration,
    max_receives: u32,
}

fn template() -> serde_yaml_ng::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn number(value: &serde_yaml_ng::Value, what: &str) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("infra/template.yaml: {what} is not a number"))
}

impl Mapping {
    fn from_template() -> Self {
        let t = template();
        let mailer = &t["Resources"]["MailerFunction"]["Properties"];
        let event = &mailer["Events"]["Queued"]["Properties"];
        let queue = &t["Resources"]["MailQueue"]["Properties"];
        let seconds = |v: &serde_yaml_ng::Value, what| Duration::from_secs(number(v, what));
        Self {
            instances: usize::try_from(number(
                &t["Mappings"]["Mailer"]["Instances"]["Count"],
                "the mailer's instances",
            ))
            .unwrap(),
            batch_size: usize::try_from(number(&event["BatchSize"], "BatchSize")).unwrap(),
            batching_window: seconds(
                &event["MaximumBatchingWindowInSeconds"],
                "MaximumBatchingWindowInSeconds",
            ),
            timeout: seconds(&mailer["Timeout"], "the mailer's Timeout"),
            visibility: seconds(&queue["VisibilityTimeout"], "VisibilityTimeout"),
            max_receives: u32::try_from(number(
                &queue["RedrivePolicy"]["maxReceiveCount"],
                "maxReceiveCount",
            ))
            .unwrap(),
        }
    }
}

/// The mail's health, counted in memory: a store on disk would be waited on in real time,
/// which the virtual clock would skip over.
#[derive(Default)]
struct Health(Mutex<HashMap<i64, MailHealth>>);

#[async_trait]
impl MailHealthStore for Health {
    async fn note_mail(&self, at: Timestamp, seen: &MailHealth) -> Result<(), StoreError> {
        let mut stretches = self.0.lock().unwrap();
        stretches
            .entry(MailHealth::stretch_of(at))
            .or_default()
            .add(seen);
        Ok(())
    }

    async fn recent_mail(&self, now: Timestamp) -> Result<MailHealth, StoreError> {
        let stretches = self.0.lock().unwrap();
        let mut health = MailHealth::default();
        for stretch in MailHealth::stretches_before(now) {
            if let Some(seen) = stretches.get(&stretch) {
                health.add(seen);
            }
        }
        Ok(health)
    }
}

/// The clock the mail's health is counted by: the launch's virtual one, from its start.
struct VirtualClock(Instant, Timestamp);

impl Clock for VirtualClock {
    fn now(&self) -> Timestamp {
        let seconds = i64::try_from(self.0.elapsed().as_secs()).unwrap_or(i64::MAX);
        self.1.plus_seconds(seconds)
    }
}

/// SES with a sending rate: at most `rate` emails accepted in any second, `Throttling` beyond.
/// With faults, a call fails before sending, or sends and loses its answer, each half the time.
/// Every email it accepts is logged in order, with whether its mailbox exists: one that does
/// not bounces, as SES reports it a little later.
struct Ses {
    rate: usize,
    faults: f64,
    random: Mutex<StdRng>,
    last_second: Mutex<VecDeque<Instant>>,
    accepted: Mutex<HashMap<String, Vec<Instant>>>,
    throttled: Mutex<u64>,
    /// Whether a mailbox does not exist.
    bounces: fn(&str) -> bool,
    /// Every email accepted, in order: when, and whether it bounced.
    log: Mutex<Vec<(Instant, bool)>>,
    /// The most it takes in any 24 hours, as SES counts its daily quota; none if unlimited.
    daily: Option<usize>,
}

impl Ses {
    fn at(rate: usize, faults: f64, bounces: fn(&str) -> bool) -> Self {
        Self {
            rate,
            faults,
            random: Mutex::new(StdRng::seed_from_u64(rate as u64)),
            last_second: Mutex::default(),
            accepted: Mutex::default(),
            throttled: Mutex::default(),
            bounces,
            log: Mutex::default(),
            daily: None,
        }
    }

    /// Whether the last 24 hours took the daily quota.
    fn quota_spent(&self, now: Instant) -> bool {
        self.daily.is_some_and(|quota| {
            let log = self.log.lock().unwrap();
            let day_ago = now.checked_sub(Duration::from_hours(24));
            let before = day_ago.map_or(0, |start| log.partition_point(|(at, _)| *at <= start));
            log.len() - before >= quota
        })
    }
}

#[async_trait]
impl Mailer for Ses {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        tokio::time::sleep(SES_LATENCY).await;
        let draw: f64 = self.random.lock().unwrap().random();
        if draw < self.faults / 2.0 {
            return Err(MailError::Unavailable("InternalFailure".into()));
        }
        let now = Instant::now();
        if self.quota_spent(now) {
            return Err(MailError::QuotaSpent(
                "Daily message quota exceeded.".into(),
            ));
        }
        {
            let mut window = self.last_second.lock().unwrap();
            while window
                .front()
                .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(1))
            {
                window.pop_front();
            }
            if window.len() >= self.rate {
                *self.throttled.lock().unwrap() += 1;
                return Err(MailError::Throttled(
                    "Maximum sending rate exceeded.".into(),
                ));
            }
            window.push_back(now);
        }
        self.accepted
            .lock()
            .unwrap()
            .entry(email.to.as_str().to_owned())
            .or_default()
            .push(now);
        self.log
            .lock()
            .unwrap()
            .push((now, (self.bounces)(email.to.as_str())));
        if draw < self.faults {
            return Err(MailError::Unavailable("the answer was lost".into()));
        }
        Ok(())
    }
}

struct Message {
    request: MailRequest,
    visible_at: Instant,
    receives: u32,
}

/// The mail queue: messages become visible again a visibility timeout after each receive,
/// and move to the failure queue after too many receives.
#[derive(Default)]
struct Queue {
    messages: Mutex<HashMap<usize, Message>>,
    /// Every message by when it is visible, oldest first.
    by_visibility: Mutex<std::collections::BTreeSet<(Instant, usize)>>,
    dead: Mutex<Vec<usize>>,
}

impl Queue {
    fn send(&self, id: usize, request: MailRequest, visible_at: Instant) {
        let message = Message {
            request,
            visible_at,
            receives: 0,
        };
        self.messages.lock().unwrap().insert(id, message);
        self.by_visibility.lock().unwrap().insert((visible_at, id));
    }

    /// Whether a full batch is visible.
    fn has_a_batch(&self, size: usize) -> bool {
        let now = Instant::now();
        let waiting = self.by_visibility.lock().unwrap();
        waiting
            .iter()
            .take_while(|(at, _)| *at <= now)
            .take(size)
            .count()
            == size
    }

    fn receive(&self, most: usize, mapping: &Mapping) -> Vec<(usize, MailRequest)> {
        let now = Instant::now();
        let mut messages = self.messages.lock().unwrap();
        let mut waiting = self.by_visibility.lock().unwrap();
        let mut batch = Vec::new();
        while batch.len() < most {
            let Some(&(at, id)) = waiting.first() else {
                break;
            };
            if at > now {
                break;
            }
            waiting.pop_first();
            let message = messages.get_mut(&id).unwrap();
            if message.receives >= mapping.max_receives {
                messages.remove(&id);
                self.dead.lock().unwrap().push(id);
                continue;
            }
            message.receives += 1;
            message.visible_at = now + mapping.visibility;
            waiting.insert((message.visible_at, id));
            batch.push((id, message.request.clone()));
        }
        batch
    }

    fn delete(&self, id: usize) {
        if let Some(message) = self.messages.lock().unwrap().remove(&id) {
            self.by_visibility
                .lock()
                .unwrap()
                .remove(&(message.visible_at, id));
        }
    }

    fn is_empty(&self) -> bool {
        self.messages.lock().unwrap().is_empty()
    }
}

/// What one launch came to.
struct Launch {
    latencies: Vec<f64>,
    throttled: u64,
    lost: usize,
    duplicates: usize,
}

impl Launch {
    fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.latencies.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((sorted.len() as f64 - 1.0) * q).round();
        // A rank within the vector's length, which is far below 2^52.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        sorted.get(rank as usize).copied().unwrap_or(f64::NAN)
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "p50_s": self.quantile(0.5),
            "p99_s": self.quantile(0.99),
            "max_s": self.quantile(1.0),
            "throttled": self.throttled,
            "lost": self.lost,
            "duplicates": self.duplicates,
        })
    }
}

fn address(n: usize) -> String {
    format!("signer{n}@example.org")
}

/// A pending signature as signing writes it.
fn signature(n: usize, keyring: &Keyring, signed_at: Timestamp) -> Signature {
    signature_of(&address(n), n, keyring, signed_at)
}

fn signature_of(address: &str, n: usize, keyring: &Keyring, signed_at: Timestamp) -> Signature {
    let email = Email::parse(address).unwrap();
    let signer = keyring.signer_key(&email);
    let locale = ["uk", "en", "fr", "de", "ru"][n % 5];
    serde_json::from_value(serde_json::json!({
        "pk": signer.to_hex(), "status": "pending", "name": "Olena", "email": email.as_str(),
        "country": "UA", "locale": locale, "updates": false,
        "privacy_policy": "2026-11-29", "signed_at": signed_at.unix_seconds(),
        "link_nonce": format!("{n:032x}"), "secret_hash": format!("{n:064x}"),
        "link_sent_at": signed_at.unix_seconds(),
        "link_expires_at": signed_at.unix_seconds() + 604_800,
    }))
    .unwrap()
}

/// A signature as signing writes it, and its email's request, which reaches the queue a little
/// later, through the stream.
fn sign(table: &SignaturesInMemory, queue: &Queue, n: usize, signature: &Signature, proven: bool) {
    table.insert(signature.clone());
    let request = MailRequest::Confirmation {
        signer: signature.signer,
        link: signature.link.secret_hash,
        proven,
    };
    queue.send(n, request, Instant::now() + QUEUEING);
}

/// One mailer instance: polls the queue as the event source mapping does, and hands each
/// batch to the mailer code within the function's timeout.
async fn instance(
    queue: &Queue,
    mapping: &Mapping,
    sending: &Sending<'_>,
    arrivals_done: &std::sync::atomic::AtomicBool,
    until: Option<Instant>,
) {
    loop {
        if until.is_some_and(|end| Instant::now() >= end) {
            return;
        }
        if !queue.has_a_batch(mapping.batch_size) {
            // The mapping waits up to its batching window for a full batch.
            tokio::time::sleep(mapping.batching_window).await;
        }
        let batch = queue.receive(mapping.batch_size, mapping);
        if batch.is_empty() {
            if arrivals_done.load(std::sync::atomic::Ordering::SeqCst) && queue.is_empty() {
                return;
            }
            continue;
        }
        let deadline = Instant::now() + mapping.timeout - LAST_EMAIL_BEFORE_TIMEOUT;
        for (id, outcome) in sending
            .send_all(batch, MailHealth::default(), deadline)
            .await
        {
            // A message given back stays invisible until its visibility timeout ends.
            if !matches!(outcome, Outcome::Later | Outcome::Held) {
                queue.delete(id);
            }
        }
        tokio::time::sleep(INVOCATION_GAP).await;
    }
}

/// What the mailer instances of a run hold: each its pace and share of unproven mail, and
/// together the keys, settings and the mail's health. No organisation asks in these runs: their
/// store is only read if one did.
struct Mailers {
    paces: Vec<Pace>,
    unproven: Vec<UnprovenMail>,
    keyring: Keyring,
    settings: MailSettings,
    health: Health,
    supporters: people_first::adapters::embedded::EmbeddedStore,
    _dir: tempfile::TempDir,
}

impl Mailers {
    fn new(quota: usize, mapping: &Mapping) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            paces: (0..mapping.instances)
                .map(|_| Pace::per_second(quota as f64 / mapping.instances as f64))
                .collect(),
            unproven: (0..mapping.instances)
                .map(|_| UnprovenMail::metered(people_first::use_cases::unproven::ONE_IN))
                .collect(),
            keyring: Keyring::from_master(&[42; 32]).unwrap(),
            settings: people_first::testing::mail_settings(),
            health: Health::default(),
            supporters: people_first::adapters::embedded::EmbeddedStore::open(
                &dir.path().join("s"),
            )
            .unwrap(),
            _dir: dir,
        }
    }

    /// One mailer's sending for each instance, over `ses` and `table`.
    fn sendings<'a>(
        &'a self,
        ses: &'a Ses,
        table: &'a SignaturesInMemory,
        domains: &'a dyn MailDomains,
        clock: &'a VirtualClock,
    ) -> Vec<Sending<'a>> {
        self.paces
            .iter()
            .zip(&self.unproven)
            .map(|(pace, unproven)| Sending {
                mailer: ses,
                store: table,
                supporters: &self.supporters,
                domains,
                health: &self.health,
                unproven,
                clock,
                keyring: &self.keyring,
                settings: &self.settings,
                pace,
            })
            .collect()
    }
}

/// Whether the queue holds confirmation emails, as SQS counts them for the follow-up mail:
/// waiting, and in a mailer's hands.
struct Waiting<'a>(&'a Queue);

#[async_trait]
impl ConfirmationsWaiting for Waiting<'_> {
    async fn waiting(&self) -> Result<bool, MailError> {
        Ok(!self.0.is_empty())
    }
}

/// The update queued during the launch: how much of it went while the launch's confirmations
/// were sent, and when all of it had.
struct UpdateSent {
    during_launch: u64,
    done_after_s: f64,
    sent: u64,
}

/// An update of `UPDATE_SIGNERS` confirmed signers queued as the launch begins, and the follow-up
/// function running every minute, as its schedule runs it, until the update is sent.
const UPDATE_SIGNERS: usize = 100_000;
const FOLLOW_UP_EVERY: Duration = Duration::from_mins(1);
const FOLLOW_UP_RUN: Duration = Duration::from_secs(50);

async fn follow_up(
    ses: &Ses,
    queue: &Queue,
    mailers: &Mailers,
    clock: &VirtualClock,
    launch_done: &std::sync::atomic::AtomicBool,
) -> UpdateSent {
    let signers = (0..UPDATE_SIGNERS).map(|n| {
        let mut signature = signature_of(
            &format!("reader{n}@example.org"),
            n,
            &mailers.keyring,
            clock.1,
        );
        signature.status = people_first::domain::SignatureStatus::Confirmed;
        signature.updates = true;
        signature
    });
    let store = people_first::testing::follow_up_in_memory::FollowUpInMemory::of(signers);
    let text = people_first::domain::UpdateText::parse("# Geneva next\n\nThank you.").unwrap();
    let texts = [(people_first::domain::Locale::En, text)]
        .into_iter()
        .collect();
    store
        .add_update(&texts, clock.now())
        .await
        .unwrap()
        .unwrap();
    let pace = Pace::per_second(ses.rate as f64 / mailers.paces.len() as f64);
    let waiting = Waiting(queue);
    let began = Instant::now();
    let mut next = began;
    let mut during_launch = 0;
    loop {
        let run = FollowUp {
            mailer: ses,
            scan: &store,
            signatures: &store,
            health: &mailers.health,
            mailboxes: &store,
            updates: &store,
            reminders: &store,
            confirmations: &waiting,
            clock,
            keyring: &mailers.keyring,
            settings: &mailers.settings,
            update_wording: &people_first::pages::Emails,
            pace: &pace,
        }
        .send_what_is_due(Instant::now() + FOLLOW_UP_RUN)
        .await
        .unwrap();
        if !launch_done.load(std::sync::atomic::Ordering::SeqCst) {
            during_launch += run.updates_sent;
        }
        let update = store.latest_update().await.unwrap().unwrap();
        if update.done {
            return UpdateSent {
                during_launch,
                done_after_s: began.elapsed().as_secs_f64(),
                sent: update.counts.sent,
            };
        }
        next += FOLLOW_UP_EVERY;
        tokio::time::sleep_until(next).await;
    }
}

async fn launch(quota: usize, faults: f64, mapping: &Mapping) -> Launch {
    launch_beside_an_update(quota, faults, mapping, false)
        .await
        .0
}

async fn launch_beside_an_update(
    quota: usize,
    faults: f64,
    mapping: &Mapping,
    with_update: bool,
) -> (Launch, Option<UpdateSent>) {
    let mailers = Mailers::new(quota, mapping);
    let keyring = &mailers.keyring;
    let table = SignaturesInMemory::default();
    let queue = Queue::default();
    let ses = Ses::at(quota, faults, |_| false);
    let arrivals_done = std::sync::atomic::AtomicBool::new(false);
    let began = Instant::now();
    let signed_at = Timestamp::from_unix_seconds(1_764_374_400);
    let arrivals = async {
        // A hundredth of a second's arrivals at a time.
        let step = ARRIVALS_PER_SECOND / 100;
        for first in (0..SIGNATURES).step_by(step) {
            tokio::time::sleep_until(began + Duration::from_millis((first / step * 10) as u64))
                .await;
            for n in first..(first + step).min(SIGNATURES) {
                let signature = signature(n, keyring, signed_at);
                sign(&table, &queue, n, &signature, true);
            }
        }
        arrivals_done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let clock = VirtualClock(began, signed_at);
    let sendings = mailers.sendings(&ses, &table, &people_first::ports::EveryDomain, &clock);
    let launch_done = std::sync::atomic::AtomicBool::new(false);
    let instances = async {
        futures_util::future::join_all(
            sendings
                .iter()
                .map(|sending| instance(&queue, mapping, sending, &arrivals_done, None)),
        )
        .await;
        launch_done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let update = async {
        if with_update {
            Some(follow_up(&ses, &queue, &mailers, &clock, &launch_done).await)
        } else {
            None
        }
    };
    let ((), (), update) = tokio::join!(arrivals, instances, update);

    let accepted = ses.accepted.into_inner().unwrap();
    let arrival = |n: usize| began + Duration::from_secs_f64(n as f64 / ARRIVALS_PER_SECOND as f64);
    let latencies: Vec<f64> = (0..SIGNATURES)
        .filter_map(|n| {
            accepted
                .get(&address(n))
                .and_then(|times| times.first())
                .map(|first| first.duration_since(arrival(n)).as_secs_f64())
        })
        .collect();
    let launch = Launch {
        lost: SIGNATURES - latencies.len(),
        duplicates: accepted.values().map(|t| t.len().saturating_sub(1)).sum(),
        throttled: ses.throttled.into_inner().unwrap(),
        latencies,
    };
    (launch, update)
}

/// The attack: as many random addresses as real signers, over the same hour, from addresses
/// that rotate (so nothing per address stops them), by bots that do not run the page. Half are
/// at real providers, where the mailbox does not exist and SES bounces; half at random domains
/// that take no mail. Real signers run the page (its proof of work); 2 % mistype their
/// address, half in the domain (which then takes no mail, as `gmial.com`-like typos mostly
/// do not) and half before the `@` (which bounces).
const REAL: usize = 100_000;
const ATTACKERS: usize = 100_000;
const ATTACK: Duration = Duration::from_hours(1);
/// A production account's rate once raised: the hour's real signatures fit in it, so what the
/// figures show is the attack's cost, not the quota's.
const ATTACK_QUOTA: usize = 200;
/// How long after the hour the mail path is followed: the hour itself, and the guard's.
const AFTERWARDS: Duration = Duration::from_hours(3);
/// How long SES takes to report a bounce.
const BOUNCE_REPORTED_AFTER: Duration = Duration::from_secs(30);
/// The window SES's bounce rate is judged over in the budget.
const JUDGED_SENDS: usize = 1_000;

/// Who arrives as the `n`-th of the attack: a real signer (whether their address is right) or
/// the attacker, and the address.
fn arrival(n: usize) -> (bool, bool, String) {
    let k = n / 2;
    if n.is_multiple_of(2) {
        match k % 100 {
            0 => (
                true,
                false,
                format!("signer{k}@mistyped{k}.nowhere.example"),
            ),
            1 => (true, false, format!("x-signer{k}@example.org")),
            _ => (true, true, format!("signer{k}@example.org")),
        }
    } else if k.is_multiple_of(2) {
        (false, false, format!("a{k:08x}@domain{k}.nowhere.example"))
    } else {
        (false, false, format!("x-{k:08x}@provider.example"))
    }
}

/// A mailbox that does not exist: SES bounces it.
fn does_not_exist(address: &str) -> bool {
    address.starts_with("x-")
}

/// DNS as the attack meets it: the random domains, and the mistyped ones, take no mail.
struct AttackDomains;

#[async_trait]
impl MailDomains for AttackDomains {
    async fn delivery(&self, domain: &str) -> Delivery {
        if domain.ends_with(".nowhere.example") {
            Delivery::Impossible
        } else {
            Delivery::Possible
        }
    }
}

/// The mail-events function, as SES's reports reach it: each bounce counted in the mail's
/// health once SES has reported it.
async fn report_bounces(ses: &Ses, health: &Health, clock: &VirtualClock, until: Instant) {
    let mut reported = 0;
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let due = Instant::now() - BOUNCE_REPORTED_AFTER;
        let new: Vec<bool> = ses.log.lock().unwrap()[reported..]
            .iter()
            .take_while(|(at, _)| *at <= due)
            .map(|(_, bounced)| *bounced)
            .collect();
        reported += new.len();
        let seen = MailHealth {
            bounced: new.iter().filter(|b| **b).count() as u64,
            ..MailHealth::default()
        };
        health.note_mail(clock.now(), &seen).await.unwrap();
    }
}

/// What the attack came to.
struct Attack {
    bounce_rate: f64,
    worst_window_bounce_rate: f64,
    real_latencies: Vec<f64>,
    real_lost: usize,
    attacker_sent: usize,
    sent: usize,
}

async fn attack(mapping: &Mapping) -> Attack {
    let mailers = Mailers::new(ATTACK_QUOTA, mapping);
    let keyring = &mailers.keyring;
    let table = SignaturesInMemory::default();
    let queue = Queue::default();
    let ses = Ses::at(ATTACK_QUOTA, 0.0, does_not_exist);
    let arrivals_done = std::sync::atomic::AtomicBool::new(false);
    let began = Instant::now();
    let until = began + ATTACK + AFTERWARDS;
    let signed_at = Timestamp::from_unix_seconds(1_764_374_400);
    let total = REAL + ATTACKERS;
    let arrived_at = |n: usize| began + ATTACK.mul_f64(n as f64 / total as f64);
    let arrivals = async {
        for n in 0..total {
            tokio::time::sleep_until(arrived_at(n)).await;
            let (real, _, address) = arrival(n);
            let signature = signature_of(&address, n, keyring, signed_at);
            sign(&table, &queue, n, &signature, real);
        }
        arrivals_done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let clock = VirtualClock(began, signed_at);
    let sendings = mailers.sendings(&ses, &table, &AttackDomains, &clock);
    let instances = futures_util::future::join_all(
        sendings
            .iter()
            .map(|sending| instance(&queue, mapping, sending, &arrivals_done, Some(until))),
    );
    tokio::join!(
        arrivals,
        instances,
        report_bounces(&ses, &mailers.health, &clock, until)
    );

    let accepted = ses.accepted.into_inner().unwrap();
    let log = ses.log.into_inner().unwrap();
    let bounced: Vec<bool> = log.iter().map(|(_, b)| *b).collect();
    let worst = bounced
        .windows(JUDGED_SENDS.min(bounced.len()).max(1))
        .map(|w| w.iter().filter(|b| **b).count())
        .max()
        .unwrap_or(0);
    let mut real_latencies = Vec::new();
    let mut real_lost = 0;
    let mut attacker_sent = 0;
    for n in 0..total {
        let (real, right, address) = arrival(n);
        let first = accepted.get(&address).and_then(|times| times.first());
        match (real, right, first) {
            (true, true, Some(at)) => {
                real_latencies.push(at.duration_since(arrived_at(n)).as_secs_f64());
            }
            (true, true, None) => real_lost += 1,
            (false, _, Some(_)) => attacker_sent += 1,
            _ => {}
        }
    }
    Attack {
        bounce_rate: bounced.iter().filter(|b| **b).count() as f64 / bounced.len().max(1) as f64,
        worst_window_bounce_rate: worst as f64 / JUDGED_SENDS as f64,
        real_latencies,
        real_lost,
        attacker_sent,
        sent: bounced.len(),
    }
}

/// A day of a spent quota: a new production account's 50,000 emails a day at 14 a second, and a
/// news story's 80,000 signers in its first hour. What the quota leaves must wait in the queue
/// for the next quota day, and none of it reach the failure queue.
const DAY_SIGNERS: usize = 80_000;
const DAILY_QUOTA: usize = 50_000;
const DAY_RATE: usize = 14;
const DAY_ARRIVALS: Duration = Duration::from_hours(1);
/// How long the mail path is followed: two quota days, and the second day's sending.
const DAYS_FOLLOWED: Duration = Duration::from_hours(52);

/// What the day came to.
struct QuotaDay {
    sent_day_1: usize,
    sent_day_2: usize,
    to_failure_queue: usize,
    lost: usize,
    last_sent_h: f64,
}

async fn quota_day(mapping: &Mapping) -> QuotaDay {
    let mailers = Mailers::new(DAY_RATE, mapping);
    let keyring = &mailers.keyring;
    let table = SignaturesInMemory::default();
    let queue = Queue::default();
    let mut ses = Ses::at(DAY_RATE, 0.0, |_| false);
    ses.daily = Some(DAILY_QUOTA);
    let arrivals_done = std::sync::atomic::AtomicBool::new(false);
    let began = Instant::now();
    let signed_at = Timestamp::from_unix_seconds(1_764_374_400);
    let arrivals = async {
        for n in 0..DAY_SIGNERS {
            tokio::time::sleep_until(began + DAY_ARRIVALS.mul_f64(n as f64 / DAY_SIGNERS as f64))
                .await;
            sign(&table, &queue, n, &signature(n, keyring, signed_at), true);
        }
        arrivals_done.store(true, std::sync::atomic::Ordering::SeqCst);
    };
    let clock = VirtualClock(began, signed_at);
    let sendings = mailers.sendings(&ses, &table, &people_first::ports::EveryDomain, &clock);
    let until = began + DAYS_FOLLOWED;
    let instances = futures_util::future::join_all(
        sendings
            .iter()
            .map(|sending| instance(&queue, mapping, sending, &arrivals_done, Some(until))),
    );
    tokio::join!(arrivals, instances);

    let log = ses.log.into_inner().unwrap();
    let accepted = ses.accepted.into_inner().unwrap();
    let first = log.first().map_or(began, |(at, _)| *at);
    let day_1 = log
        .iter()
        .filter(|(at, _)| at.duration_since(first) < Duration::from_hours(24))
        .count();
    QuotaDay {
        sent_day_1: day_1,
        sent_day_2: log.len() - day_1,
        to_failure_queue: queue.dead.into_inner().unwrap().len(),
        lost: (0..DAY_SIGNERS)
            .filter(|n| !accepted.contains_key(&address(*n)))
            .count(),
        last_sent_h: log.last().map_or(0.0, |(at, _)| {
            at.duration_since(began).as_secs_f64() / 3600.0
        }),
    }
}

fn run_the_quota_day(mapping: &Mapping) -> serde_json::Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let day = runtime.block_on(quota_day(mapping));
    println!(
        "\na spent daily quota: {DAY_SIGNERS} signers in the first hour, {DAILY_QUOTA} emails a day at {DAY_RATE}/s"
    );
    println!(
        "  sent on the first quota day {}, on the second {} (the last {:.1} h after the first signature), {} to the failure queue, {} never mailed",
        day.sent_day_1, day.sent_day_2, day.last_sent_h, day.to_failure_queue, day.lost
    );
    serde_json::json!({
        "sent_day_1": day.sent_day_1,
        "sent_day_2": day.sent_day_2,
        "to_failure_queue": day.to_failure_queue,
        "lost": day.lost,
        "last_sent_h": day.last_sent_h,
        "signers": DAY_SIGNERS,
        "daily_quota": DAILY_QUOTA,
        "rate": DAY_RATE,
    })
}

fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((sorted.len() as f64 - 1.0) * q).round();
    // A rank within the vector's length, which is far below 2^52.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    sorted.get(rank as usize).copied().unwrap_or(f64::NAN)
}

/// The launch at a raised account's rate, while an update of `UPDATE_SIGNERS` waits to be
/// sent: the confirmations' p99 beside the same launch's without it.
const UPDATE_QUOTA: usize = 200;

fn run_beside_an_update(
    mapping: &Mapping,
    report: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let (launch, update) =
        runtime.block_on(launch_beside_an_update(UPDATE_QUOTA, 0.0, mapping, true));
    let update = update.expect("the update was sent");
    let alone = report[&UPDATE_QUOTA.to_string()]["p99_s"].as_f64().unwrap();
    let p99 = launch.quantile(0.99);
    println!(
        "\nthe launch at {UPDATE_QUOTA}/s while an update of {UPDATE_SIGNERS} waits: confirmations' p99 {p99:.1} s (alone {alone:.1} s, ratio {:.3}), {} lost, {} twice",
        p99 / alone,
        launch.lost,
        launch.duplicates
    );
    println!(
        "  update emails sent during the launch {}, all {} sent {:.0} s after the launch began",
        update.during_launch, update.sent, update.done_after_s
    );
    let mut json = launch.json();
    json["alone_p99_s"] = alone.into();
    json["p99_ratio"] = (p99 / alone).into();
    json["quota_per_s"] = UPDATE_QUOTA.into();
    json["update_signers"] = UPDATE_SIGNERS.into();
    json["update_sent"] = update.sent.into();
    json["update_sent_during_launch"] = update.during_launch.into();
    json["update_done_after_s"] = update.done_after_s.into();
    json
}

fn run_the_attack(mapping: &Mapping) -> serde_json::Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let attack = runtime.block_on(attack(mapping));
    let p99 = quantile(&attack.real_latencies, 0.99);
    println!(
        "\nan attack: {REAL} real signers and {ATTACKERS} random addresses over {} s, at {ATTACK_QUOTA} emails/s",
        ATTACK.as_secs()
    );
    println!(
        "  bounce rate {:.2} % (worst {JUDGED_SENDS} sends {:.2} %), {} emails sent, {} to the attacker's addresses",
        attack.bounce_rate * 100.0,
        attack.worst_window_bounce_rate * 100.0,
        attack.sent,
        attack.attacker_sent
    );
    println!(
        "  real signers: p99 {p99:.1} s from signing to SES, {} never mailed",
        attack.real_lost
    );
    serde_json::json!({
        "bounce_rate": attack.bounce_rate,
        "worst_window_bounce_rate": attack.worst_window_bounce_rate,
        "real_p99_s": p99,
        "real_lost": attack.real_lost,
        "attacker_sent": attack.attacker_sent,
        "sent": attack.sent,
        "quota_per_s": ATTACK_QUOTA,
        "real": REAL,
        "attackers": ATTACKERS,
    })
}

fn main() {
    let mapping = Mapping::from_template();
    println!(
        "mail path from infra/template.yaml: {} instances, batches of {} (window {} s), timeout {} s, visibility {} s, {} receives",
        mapping.instances,
        mapping.batch_size,
        mapping.batching_window.as_secs(),
        mapping.timeout.as_secs(),
        mapping.visibility.as_secs(),
        mapping.max_receives
    );
    println!(
        "{SIGNATURES} signatures at {ARRIVALS_PER_SECOND}/s; time from signing to SES accepting the email, virtual clock"
    );
    println!(
        "{:>7} {:>7} {:>9} {:>9} {:>9} {:>10} {:>9} {:>5} {:>6}",
        "quota/s", "faults", "p50 s", "p99 s", "max s", "budget s", "throttled", "lost", "twice"
    );
    let mut report = serde_json::Map::new();
    for quota in QUOTAS {
        let mut runs = serde_json::Map::new();
        for faults in [0.0, FAULTS] {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let result = runtime.block_on(launch(quota, faults, &mapping));
            let budget = 1.05 * (SIGNATURES as f64 / quota as f64) + 10.0;
            println!(
                "{quota:>7} {:>6.0}% {:>9.1} {:>9.1} {:>9.1} {budget:>10.1} {:>9} {:>5} {:>6}",
                faults * 100.0,
                result.quantile(0.5),
                result.quantile(0.99),
                result.quantile(1.0),
                result.throttled,
                result.lost,
                result.duplicates
            );
            let mut json = result.json();
            json["budget_p99_s"] = budget.into();
            runs.insert(
                if faults > 0.0 { "with_faults" } else { "clean" }.into(),
                json,
            );
        }
        // `mail.<quota>` holds the clean run's figures, and the run with faults beside them.
        let mut figures = runs["clean"].clone();
        figures["with_faults"] = runs["with_faults"].clone();
        report.insert(quota.to_string(), figures);
    }
    report.insert(
        "with_update".into(),
        run_beside_an_update(&mapping, &report),
    );
    report.insert("attack".into(), run_the_attack(&mapping));
    report.insert("daily_quota".into(), run_the_quota_day(&mapping));
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("mail.json"),
        serde_json::to_vec_pretty(&serde_json::json!({ "mail": report })).unwrap(),
    )
    .unwrap();
}
