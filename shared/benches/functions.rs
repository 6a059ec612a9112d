//! Each function's bootstrap, as `sam build` made it, run as Lambda runs it: the time from
//! process start to the first invocation answered under a local Runtime API (median of several
//! starts), split into init and first invocation, beside the time during which the emulator was
//! answering the function's calls (the rest is the function's own); once reaching the emulator
//! plainly and once through TLS with a test CA, as on AWS. Also its stripped size, and its peak
//! memory over a batch of invocations, beside a hello-world `lambda_http` binary built the same
//! way. Run by `tests/bench`, which runs `sam build`, builds the floor and starts the emulator and
//! its front (tests/emulator_front.py).

// Sizes and counts here are far below 2^52: as f64 for ratios they lose nothing.
#![allow(clippy::cast_precision_loss)]

use people_first::testing as support;

use std::time::{Duration, Instant};
use support::runtime_api::{Function, binary, http_event};

const STARTS: usize = 7;
const INVOCATIONS: usize = 100;

/// What every function's events are made from: the emulator's table, and its stream as the
/// seeding left it.
struct Seeded<'a> {
    config: &'a aws_config::SdkConfig,
    table: &'a str,
    /// Read once: read again for each event, the stream grows with every function measured,
    /// and the mail queue's events with it, until the emulator's queue holds thousands of
    /// messages and answers in seconds.
    stream: aws_lambda_events::dynamodb::Event,
}

/// The n-th event a function is given: distinct where the function would otherwise do nothing.
async fn event(name: &str, n: usize, seeded: &Seeded<'_>) -> serde_json::Value {
    let (config, table) = (seeded.config, seeded.table);
    match name {
        "sign" => {
            let body = serde_json::json!({ "name": "Signer", "email": format!("bench{n}.{}@example.org", rand::random::<u32>()), "country": "UA", "locale": "uk" });
            http_event(
                "POST",
                "/api/sign",
                "",
                "application/json",
                &body.to_string(),
            )
        }
        "confirm" => http_event(
            "GET",
            "/api/confirm",
            &format!("t={}", "A".repeat(86)),
            "text/html",
            "",
        ),
        // An erasure link of nobody: the page still reads the table, as a real one does.
        "erase" => http_event(
            "GET",
            "/api/erase",
            &format!("t={}", "A".repeat(86)),
            "text/html",
            "",
        ),
        "count" | "hello" => http_event("GET", "/api/count", "", "text/plain", ""),
        "mail-queue" | "aggregate" => {
            let mut window = aws_lambda_events::dynamodb::TimeWindowEvent::default();
            window.dynamo_db_event = seeded.stream.clone();
            window.time_window_properties.shard_id = Some("shardId-00000001".into());
            if name == "mail-queue" {
                serde_json::to_value(&window.dynamo_db_event).unwrap()
            } else {
                serde_json::to_value(&window).unwrap()
            }
        }
        // A permanent bounce for a new pending signature each time: each event writes once.
        "mail-events" => {
            let about = support::stack::address("bounced");
            people_first::ports::SignatureStore::insert_pending(
                &people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table),
                &support::pending_signature(&about, "PL"),
            )
            .await
            .unwrap();
            support::ses_events::sns_delivery(&[support::ses_events::bounce(&about, "Permanent")])
        }
        // A new pending signature each time, signed now (the mailer sends no expired link):
        // each event sends one email.
        "mailer" => {
            let now = people_first::ports::Clock::now(&people_first::adapters::clock::SystemClock);
            let signature =
                support::pending_signature_at(&support::stack::address("mailer"), "PL", now);
            people_first::ports::SignatureStore::insert_pending(
                &people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table),
                &signature,
            )
            .await
            .unwrap();
            let request = people_first::ports::MailRequest::Confirmation {
                signer: signature.signer,
                link: signature.link.secret_hash,
                proven: true,
            };
            let mut message = aws_lambda_events::sqs::SqsMessage::default();
            message.message_id = Some(format!("message-{n}"));
            message.body = Some(serde_json::to_string(&request).unwrap());
            let mut event = aws_lambda_events::sqs::SqsEvent::default();
            event.records = vec![message];
            serde_json::to_value(event).unwrap()
        }
        // A contact's link of nobody: the page still reads the table, as a real one does.
        "organisations" => http_event(
            "GET",
            "/api/organisations/confirm",
            &format!("id=abcdefghjk&t={}", "A".repeat(43)),
            "text/html",
            "",
        ),
        // The schedule's minute: a pass of the reminders over the seeded table, no update.
        "follow-up" => serde_json::json!({
            "version": "0", "id": format!("scheduled-{n}"), "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "123456789012", "time": "2026-12-06T08:00:00Z",
            "region": "eu-west-1", "resources": [], "detail": {},
        }),
        // A batch of the stream: the home page in five languages rendered and published.
        "publish" => serde_json::to_value(&seeded.stream).unwrap(),
        other => panic!("no event for {other}"),
    }
}

/// One way of reaching the emulator: plainly, or through TLS as on AWS.
struct Route {
    endpoint: String,
    /// The roots the function trusts: the system's and the test CA (`SSL_CERT_FILE`).
    roots: Option<String>,
}

/// The emulator's front (tests/emulator_front.py): its ports and the time spent at the emulator.
struct Front {
    plain: Route,
    tls: Route,
    spent_url: String,
    http: reqwest::Client,
}

impl Front {
    fn from_env() -> Self {
        let dir = std::path::PathBuf::from(
            std::env::var("EMULATOR_FRONT").expect("EMULATOR_FRONT is set: run tests/bench"),
        );
        let ports: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("ports.json")).unwrap()).unwrap();
        Self {
            plain: Route {
                endpoint: format!("http://127.0.0.1:{}", ports["plain"]),
                roots: None,
            },
            tls: Route {
                endpoint: format!("https://localhost:{}", ports["tls"]),
                roots: Some(dir.join("roots.pem").display().to_string()),
            },
            spent_url: format!("http://127.0.0.1:{}/_front/spent", ports["plain"]),
            http: reqwest::Client::new(),
        }
    }

    /// The time spent at the emulator since the last call.
    async fn spent(&self) -> Duration {
        let spent: serde_json::Value = self
            .http
            .get(&self.spent_url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Duration::from_secs_f64(spent["ms"].as_f64().unwrap() / 1e3)
    }
}

/// A cold start: process start to its first event asked (init), then to that event answered.
#[derive(Clone, Copy)]
struct Start {
    init: Duration,
    first_invocation: Duration,
    /// Of both, the time the emulator took to answer the function's calls.
    emulator: Duration,
}

impl Start {
    fn total(&self) -> Duration {
        self.init + self.first_invocation
    }

    /// What the function itself took: the start without the emulator's answering.
    fn own(&self) -> Duration {
        self.total().saturating_sub(self.emulator)
    }

    fn json(&self) -> serde_json::Value {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        serde_json::json!({
            "total_ms": ms(self.total()), "init_ms": ms(self.init),
            "first_invocation_ms": ms(self.first_invocation), "emulator_ms": ms(self.emulator),
            "own_ms": ms(self.own()),
        })
    }
}

/// The start whose total is the median of several.
fn median_start(mut starts: Vec<Start>) -> Start {
    starts.sort_by_key(Start::total);
    starts[starts.len() / 2]
}

struct Figures {
    start: Start,
    bytes: u64,
    peak_rss: u64,
}

/// The first event of a start. The mailer's sends one email: its start includes SES's first
/// handshake, and the emulator's own time is measured beside it. The mail queue's queues one.
async fn first_event(name: &str, n: usize, seeded: &Seeded<'_>) -> serde_json::Value {
    let mut event = event(name, n, seeded).await;
    if name == "mail-queue" {
        event["Records"].as_array_mut().unwrap().truncate(1);
    }
    event
}

async fn measure(
    name: &str,
    env: &[(&str, String)],
    route: &Route,
    front: &Front,
    seeded: &Seeded<'_>,
    with_memory: bool,
) -> Figures {
    let mut env = env.to_vec();
    env.push(("AWS_ENDPOINT_URL", route.endpoint.clone()));
    if let Some(roots) = &route.roots {
        env.push(("SSL_CERT_FILE", roots.clone()));
    }
    let mut starts = Vec::new();
    let mut peak_rss = 0;
    for start in 0..STARTS {
        let first = first_event(name, start, seeded).await;
        front.spent().await;
        let began = Instant::now();
        let mut function = Function::start(name, &env).await;
        function
            .invoke(first)
            .await
            .unwrap_or_else(|e| panic!("{name} failed: {e}"));
        let answered = Instant::now();
        let ready = function
            .ready_at()
            .expect("the function asked for its event");
        starts.push(Start {
            init: ready - began,
            first_invocation: answered - ready,
            emulator: front.spent().await,
        });
        if start == 0 && with_memory {
            for n in 1..INVOCATIONS {
                let next = event(name, n, seeded).await;
                function
                    .invoke(next)
                    .await
                    .unwrap_or_else(|e| panic!("{name} failed: {e}"));
            }
            peak_rss = function.peak_rss_bytes();
        }
    }
    Figures {
        start: median_start(starts),
        bytes: std::fs::metadata(binary(name)).unwrap().len(),
        peak_rss,
    }
}

/// A few signatures, one confirmed, so the stream functions have real records to read.
async fn seed_the_stream(config: &aws_config::SdkConfig, table: &str) {
    let signatures = std::sync::Arc::new(
        people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table),
    );
    let sign = people_first::http::sign::SignState {
        store: signatures.clone(),
        partners: std::sync::Arc::new(support::NoPartners),
        keyring: std::sync::Arc::new(support::keyring()),
        clock: std::sync::Arc::new(people_first::adapters::clock::SystemClock),
        challenge: None,
        answer_time: people_first::http::answer_time::AnswerTime::AT_ONCE,
    };
    let mut last = String::new();
    for n in 0..5 {
        last = support::stack::address(&format!("stream{n}"));
        let body =
            serde_json::json!({ "name": "Signer", "email": last, "country": "PL", "locale": "en" })
                .to_string();
        let request = support::stack::request("POST", "/api/sign", Some("application/json"), &body);
        people_first::http::sign::handle_sign(&sign, request)
            .await
            .unwrap();
    }
    let signer = support::keyring().signer_key(&people_first::domain::Email::parse(&last).unwrap());
    let pending = people_first::ports::SignatureMailing::find(signatures.as_ref(), &signer)
        .await
        .unwrap()
        .unwrap();
    people_first::ports::SignatureStore::confirm(
        signatures.as_ref(),
        &signer,
        &pending.link.secret_hash,
        pending.signed_at,
        &people_first::ports::Consents::of(&pending),
    )
    .await
    .unwrap();
}

fn print_header() {
    let columns = ["total", "init", "first", "emul.", "own"].map(|c| format!("{c:>6}"));
    println!(
        "{:<11} {:>34}  {:>34} {:>8} {:>8}",
        "", "cold start, plain (ms)", "cold start, TLS (ms)", "binary", "peak RSS"
    );
    let columns = columns.join(" ");
    println!(
        "{:<11} {columns}  {columns} {:>8} {:>8}",
        "function", "MB", "MB"
    );
}

fn print_row(name: &str, plain: &Start, tls: Option<&Start>, f: &Figures) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let cells = |s: Option<&Start>| {
        s.map_or_else(
            || format!("{:>34}", ""),
            |s| {
                [s.total(), s.init, s.first_invocation, s.emulator, s.own()]
                    .map(|d| format!("{:>6.1}", ms(d)))
                    .join(" ")
            },
        )
    };
    println!(
        "{name:<11} {}  {} {:>8.2} {:>8.1}",
        cells(Some(plain)),
        cells(tls),
        f.bytes as f64 / 1e6,
        f.peak_rss as f64 / 1e6
    );
}

#[tokio::main]
async fn main() {
    let store = support::StoreUnderTest::dynamo().await;
    let _ses = support::MailerUnderTest::ses().await;
    let support::Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let front = Front::from_env();
    let mut env = support::runtime_api::deployed_environment(config, table).await;
    env.push(("RUST_LOG", "warn".to_owned()));
    // A start is what the function takes to answer, not the time the public forms wait on
    // purpose before answering (measured by the sign_timing bench).
    env.push(("PEOPLE_FIRST_ANSWER_AFTER_MS", "0".to_owned()));
    let (bucket, distribution) = support::site::bucket_and_cdn(config).await;
    env.push(("PEOPLE_FIRST_SITE_BUCKET", bucket));
    env.push(("PEOPLE_FIRST_DISTRIBUTION", distribution));
    seed_the_stream(config, table).await;
    let seeded = Seeded {
        config,
        table,
        stream: support::stream::read_event(config, table).await,
    };
    let floor = measure("hello", &env, &front.plain, &front, &seeded, true).await;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    print_header();
    print_row("(floor)", &floor.start, None, &floor);
    let mut results = serde_json::Map::new();
    for name in [
        "sign",
        "confirm",
        "erase",
        "mail-queue",
        "mailer",
        "follow-up",
        "aggregate",
        "count",
        "organisations",
        "publish",
    ] {
        let plain = measure(name, &env, &front.plain, &front, &seeded, true).await;
        let tls = measure(name, &env, &front.tls, &front, &seeded, false).await;
        print_row(name, &plain.start, Some(&tls.start), &plain);
        results.insert(
            name.into(),
            serde_json::json!({
                "cold_start_ms": ms(plain.start.total()),
                "cold_start_tls_ms": ms(tls.start.total()),
                "cold_start": plain.start.json(),
                "cold_start_tls": tls.start.json(),
                "binary_bytes": plain.bytes,
                "peak_rss_bytes": plain.peak_rss,
            }),
        );
    }
    println!(
        "init: process start to its first event asked; first: that event answered; emul.: of both, \
         the time during which the emulator was answering the function's calls; own: the rest"
    );
    println!("budget: cold start ≤ 20 ms plain, ≤ 30 ms with TLS; binary ≤ 6 MB; peak RSS ≤ 24 MB");
    let report = serde_json::json!({
        "functions": results,
        "floor": {
            "cold_start_ms": ms(floor.start.total()), "binary_bytes": floor.bytes,
            "peak_rss_bytes": floor.peak_rss,
        },
    });
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("functions.json"),
        serde_json::to_vec_pretty(&report).unwrap(),
    )
    .unwrap();
}
