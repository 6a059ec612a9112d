use super::*;
use crate::domain::{Email, SecretHash};
use crate::ports::OutgoingEmail;
use crate::testing::signatures_in_memory::SignaturesInMemory;
use async_trait::async_trait;
use std::sync::Mutex;

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
fn signed(n: usize, keyring: &Keyring) -> (SignaturesInMemory, Vec<(usize, MailRequest)>) {
    signed_as(&(0..n).map(address).collect::<Vec<_>>(), keyring)
}

/// A pending signature of each address, and a request for each.
fn signed_as(
    addresses: &[String],
    keyring: &Keyring,
) -> (SignaturesInMemory, Vec<(usize, MailRequest)>) {
    let store = SignaturesInMemory::default();
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
        store.signatures().insert(signer, signature);
    }
    (store, requests)
}

/// Named apart from `Sending::send`: the IAM check follows functions by name.
async fn send_requests(
    ses: &Ses,
    store: &SignaturesInMemory,
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
    store: &SignaturesInMemory,
    pace: &Pace,
    requests: Vec<(usize, MailRequest)>,
    within: Duration,
) -> Vec<(usize, Outcome)> {
    let keyring = Keyring::from_master(&[42; 32]).unwrap();
    let settings = crate::testing::mail_settings();
    let dir = tempfile::tempdir().unwrap();
    let supporters = crate::adapters::embedded::EmbeddedStore::open(&dir.path().join("s")).unwrap();
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
    let signatures = store.signatures();
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
    let first = store.signatures().keys().next().copied().unwrap();
    store.signatures().get_mut(&first).unwrap().link.expires_at = SIGNED_AT;
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
