//! Whether the time `POST /api/sign` takes to answer tells who has signed. Requests for six
//! outcomes (a new address, one pending inside and one past the renewal window, one confirmed,
//! one whose mailbox had its emails for the day, and a bot), in rounds of one each in random
//! order, each round's requests one at a time: through the sign function (two instances, each
//! taking every other round) on a local Runtime API against the emulator, then through the local
//! stack. For each outcome its median and 99th percentile; for each pair of outcomes the accuracy
//! of the best single-threshold classifier of their times (0.5 is chance; the budget is 0.55).
//! Run by `tests/bench`, which starts the emulator and builds both binaries.

// Counts here are far below 2^52: as f64 for rates they lose nothing.
#![allow(clippy::cast_precision_loss)]

use people_first::adapters::clock::SystemClock;
use people_first::domain::retention::{LINK_LIFETIME, PENDING_LIFETIME};
use people_first::domain::{Email, Timestamp};
use people_first::ports::{Clock, SignatureStore};
use people_first::testing as support;
use people_first::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY;
use rand::seq::SliceRandom;
use std::time::{Duration, Instant};
use support::runtime_api::{Function, binary, http_event};
use support::timing::best_threshold_accuracy;

const PER_OUTCOME: usize = 2000;
/// Function instances answering at once, as Lambda runs several: each takes every other round.
const INSTANCES: usize = 2;
/// Requests sent first and not measured: the caches, connections and allocator settle.
const WARM_UP: usize = 100;
const BUDGET: f64 = 0.55;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    New,
    Pending,
    PendingPastRenewal,
    Confirmed,
    PastMailboxLimit,
    Bot,
}

impl Outcome {
    const ALL: [Self; 6] = [
        Self::New,
        Self::Pending,
        Self::PendingPastRenewal,
        Self::Confirmed,
        Self::PastMailboxLimit,
        Self::Bot,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Pending => "pending",
            Self::PendingPastRenewal => "pending_past_renewal",
            Self::Confirmed => "confirmed",
            Self::PastMailboxLimit => "past_mailbox_limit",
            Self::Bot => "bot",
        }
    }

    /// The address of this outcome's n-th request in a run named `run`.
    fn address(self, run: &str, n: usize) -> String {
        format!("{run}.{}.{n}@example.org", self.name())
    }

    /// What a browser sends: a bot fills the honeypot.
    fn body(self, run: &str, n: usize) -> String {
        let mut body = serde_json::json!({
            "name": "Оксана", "email": self.address(run, n), "country": "UA", "locale": "uk",
        });
        if self == Self::Bot {
            body["website"] = "https://example.org".into();
        }
        body.to_string()
    }
}

/// Gives each address the past its outcome needs, as earlier requests would have.
async fn seed(store: &dyn SignatureStore, run: &str) {
    use futures_util::StreamExt;
    let keyring = support::keyring();
    let now = SystemClock.now();
    let seeds = Outcome::ALL
        .into_iter()
        .flat_map(|outcome| (0..WARM_UP + PER_OUTCOME).map(move |n| (outcome, n)));
    futures_util::stream::iter(seeds)
        .for_each_concurrent(16, |(outcome, n)| {
            let address = outcome.address(run, n);
            let keyring = &keyring;
            async move {
                let at = |seconds| Timestamp::from_unix_seconds(now.unix_seconds() + seconds);
                let mut signature = support::pending_signature(&address, "UA");
                signature.signed_at = now;
                signature.link.expires_at = at(LINK_LIFETIME.seconds());
                signature.expires_at = Some(at(PENDING_LIFETIME.seconds()));
                // Inside the renewal window for the whole run, or long past it.
                let sent_at = at;
                match outcome {
                    Outcome::New | Outcome::Bot => {}
                    Outcome::Pending => {
                        signature.link.sent_at = sent_at(3600);
                        store.insert_pending(&signature).await.unwrap();
                    }
                    Outcome::PendingPastRenewal => {
                        signature.link.sent_at = sent_at(-3600);
                        store.insert_pending(&signature).await.unwrap();
                    }
                    Outcome::Confirmed => {
                        store.insert_pending(&signature).await.unwrap();
                        let link = signature.link.secret_hash;
                        assert!(
                            store
                                .confirm(
                                    &signature.signer,
                                    &link,
                                    now,
                                    &people_first::ports::Consents::of(&signature)
                                )
                                .await
                                .unwrap()
                        );
                    }
                    Outcome::PastMailboxLimit => {
                        let mailbox = keyring.mailbox_key(&Email::parse(&address).unwrap());
                        for _ in 0..EMAILS_PER_MAILBOX_PER_DAY {
                            store
                                .count_email_to(&mailbox, now, EMAILS_PER_MAILBOX_PER_DAY)
                                .await
                                .unwrap();
                        }
                    }
                }
            }
        })
        .await;
}

/// Every request of a run, warm-up first, then rounds of one request per outcome in random
/// order.
fn requests() -> Vec<(Option<Outcome>, Outcome, usize)> {
    let mut rng = rand::rng();
    let warm_up = (0..WARM_UP).flat_map(|n| Outcome::ALL.map(|outcome| (None, outcome, n)));
    let measured = (WARM_UP..WARM_UP + PER_OUTCOME).flat_map(|n| {
        let mut round = Outcome::ALL;
        round.shuffle(&mut rng);
        round.map(|outcome| (Some(outcome), outcome, n))
    });
    warm_up.chain(measured).collect()
}

/// Each outcome's times, in the order of `Outcome::ALL`.
type Times = Vec<Vec<Duration>>;

fn record(times: &mut Times, measured: Option<Outcome>, took: Duration) {
    if let Some(outcome) = measured {
        let index = Outcome::ALL.iter().position(|o| *o == outcome).unwrap();
        times[index].push(took);
    }
}

async fn through_the_function(run: &str) -> Times {
    let store = support::StoreUnderTest::dynamo().await;
    let support::Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    seed(store.store.as_ref(), run).await;
    let mut env = support::runtime_api::deployed_environment(config, table).await;
    env.push(("RUST_LOG", "warn".to_owned()));
    let requests = requests();
    let instances = (0..INSTANCES).map(|instance| {
        let (env, run) = (&env, run);
        let share: Vec<_> = requests
            .iter()
            .filter(|(_, _, n)| n % INSTANCES == instance)
            .copied()
            .collect();
        async move {
            let mut function = Function::start("sign", env).await;
            let mut times = vec![Vec::new(); Outcome::ALL.len()];
            for (measured, outcome, n) in share {
                let event = http_event(
                    "POST",
                    "/api/sign",
                    "",
                    "application/json",
                    &outcome.body(run, n),
                );
                let started = Instant::now();
                let answer = function.invoke(event).await.expect("sign answers");
                let took = started.elapsed();
                assert_eq!(answer["statusCode"], 202, "{}: {answer}", outcome.name());
                record(&mut times, measured, took);
            }
            times
        }
    });
    let mut times: Times = vec![Vec::new(); Outcome::ALL.len()];
    for share in futures_util::future::join_all(instances).await {
        for (all, some) in times.iter_mut().zip(share) {
            all.extend(some);
        }
    }
    times
}

async fn through_the_local_stack(run: &str) -> Times {
    let data = tempfile::tempdir().unwrap();
    // The key the tests' keyring is made of, so the seeded signatures are the stack's.
    std::fs::write(data.path().join("secret.key"), "2a".repeat(32)).unwrap();
    {
        let store =
            people_first::adapters::embedded::EmbeddedStore::open(&data.path().join("store"))
                .unwrap();
        seed(&store, run).await;
    }
    let stack = support::local_stack::start(data.path(), binary("people-first").to_str().unwrap());
    let http = reqwest::Client::new();
    let url = format!("{}/api/sign", stack.base);
    let mut times = vec![Vec::new(); Outcome::ALL.len()];
    for (measured, outcome, n) in requests() {
        let request = http
            .post(&url)
            .header("content-type", "application/json")
            .body(outcome.body(run, n));
        let started = Instant::now();
        let answer = request.send().await.unwrap();
        let status = answer.status();
        answer.bytes().await.unwrap();
        let took = started.elapsed();
        assert_eq!(status, 202, "{}", outcome.name());
        record(&mut times, measured, took);
    }
    times
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn report(path: &str, mut times: Times) -> serde_json::Value {
    for t in &mut times {
        t.sort();
    }
    println!("{path}: {PER_OUTCOME} requests per outcome, interleaved");
    let mut outcomes = serde_json::Map::new();
    for (outcome, t) in Outcome::ALL.iter().zip(&times) {
        let (p50, p99) = (percentile(t, 50), percentile(t, 99));
        println!(
            "  {:<22} p50 {:>7.2} ms   p99 {:>7.2} ms",
            outcome.name(),
            ms(p50),
            ms(p99)
        );
        outcomes.insert(
            outcome.name().into(),
            serde_json::json!({ "p50_ms": ms(p50), "p99_ms": ms(p99) }),
        );
    }
    let mut worst = (0.0, "", "");
    for (i, a) in Outcome::ALL.iter().enumerate() {
        for (j, b) in Outcome::ALL.iter().enumerate().skip(i + 1) {
            let accuracy = best_threshold_accuracy(&times[i], &times[j]);
            if accuracy > worst.0 {
                worst = (accuracy, a.name(), b.name());
            }
        }
    }
    println!(
        "  best single-threshold classifier between two outcomes: {:.3} ({} / {}); chance 0.5, budget ≤ {BUDGET}",
        worst.0, worst.1, worst.2
    );
    serde_json::json!({
        "outcomes": outcomes,
        "max_accuracy": worst.0,
        "worst_pair": [worst.1, worst.2],
    })
}

#[tokio::main]
async fn main() {
    let run = format!("timing{}", rand::random::<u32>());
    // `cargo bench --bench sign_timing -- local` measures the local stack alone, and keeps no
    // figures: for trying a change.
    if std::env::args().any(|a| a == "local") {
        report("local stack", through_the_local_stack(&run).await);
        return;
    }
    let lambda = report(
        "sign function, Runtime API",
        through_the_function(&run).await,
    );
    let local = report("local stack", through_the_local_stack(&run).await);
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("sign_timing.json"),
        serde_json::to_vec_pretty(&serde_json::json!({
            "per_outcome": PER_OUTCOME,
            "budget": BUDGET,
            "lambda": lambda,
            "local": local,
        }))
        .unwrap(),
    )
    .unwrap();
}
