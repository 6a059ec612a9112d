//! Each function's release binary as Lambda runs it: the time from process start to the first
//! invocation answered under a local Runtime API (median of several starts), its stripped size,
//! and its peak memory over a batch of invocations, beside a hello-world `lambda_http` binary
//! built with the same profile. Run by `tests/bench`, which builds the binaries and starts the
//! emulator the functions talk to.

// Sizes and counts here are far below 2^52: as f64 for ratios they lose nothing.
#![allow(clippy::cast_precision_loss)]

#[path = "../tests/support/mod.rs"]
#[allow(dead_code, unused_imports, clippy::all, clippy::pedantic)]
mod support;

use std::time::{Duration, Instant};
use support::runtime_api::{Function, binary, http_event};

const STARTS: usize = 7;
const INVOCATIONS: usize = 100;
const SECRET_KEY: &str = "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The n-th event a function is given: distinct where the function would otherwise do nothing.
async fn event(
    name: &str,
    n: usize,
    config: &aws_config::SdkConfig,
    table: &str,
) -> serde_json::Value {
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
        "mailer" | "aggregate" => {
            let mut window = aws_lambda_events::dynamodb::TimeWindowEvent::default();
            window.dynamo_db_event = support::stream::read_event(config, table).await;
            window.time_window_properties.shard_id = Some("shardId-00000001".into());
            if name == "mailer" {
                serde_json::to_value(&window.dynamo_db_event).unwrap()
            } else {
                serde_json::to_value(&window).unwrap()
            }
        }
        other => panic!("no event for {other}"),
    }
}

struct Figures {
    cold_start: Duration,
    bytes: u64,
    peak_rss: u64,
}

async fn measure(
    name: &str,
    env: &[(&str, String)],
    config: &aws_config::SdkConfig,
    table: &str,
) -> Figures {
    let mut starts = Vec::new();
    let mut peak_rss = 0;
    for start in 0..STARTS {
        let first = if name == "mailer" {
            // Its start, not SES's sending time: an empty batch, as a quiet stream delivers.
            serde_json::json!({ "Records": [] })
        } else {
            event(name, start, config, table).await
        };
        let began = Instant::now();
        let mut function = Function::start(name, env).await;
        function
            .invoke(first)
            .await
            .unwrap_or_else(|e| panic!("{name} failed: {e}"));
        starts.push(began.elapsed());
        if start == 0 {
            for n in 1..INVOCATIONS {
                let next = event(name, n, config, table).await;
                function
                    .invoke(next)
                    .await
                    .unwrap_or_else(|e| panic!("{name} failed: {e}"));
            }
            peak_rss = function.peak_rss_bytes();
        }
    }
    Figures {
        cold_start: median(starts),
        bytes: std::fs::metadata(binary(name)).unwrap().len(),
        peak_rss,
    }
}

#[tokio::main]
async fn main() {
    let store = support::StoreUnderTest::dynamo().await;
    let _ses = support::MailerUnderTest::ses().await;
    let support::Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let settings = support::mail_settings();
    let env = [
        ("PEOPLE_FIRST_TABLE", table.clone()),
        ("PEOPLE_FIRST_SECRET_KEY", SECRET_KEY.to_owned()),
        (
            "PEOPLE_FIRST_ORIGIN_SECRET",
            support::runtime_api::ORIGIN_SECRET.to_owned(),
        ),
        ("PEOPLE_FIRST_PUBLIC_URL", settings.public_url.clone()),
        ("PEOPLE_FIRST_SENDER", settings.sender.clone()),
        ("PEOPLE_FIRST_CONTACT", settings.contact.clone()),
        ("RUST_LOG", "warn".to_owned()),
    ];
    // A few signatures, one confirmed, so the stream functions have real records to read.
    let signatures = std::sync::Arc::new(
        people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table),
    );
    let sign = people_first::http::sign::SignState {
        store: signatures.clone(),
        keyring: std::sync::Arc::new(support::keyring()),
        clock: std::sync::Arc::new(people_first::clock::SystemClock),
        challenge: None,
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
    let pending = people_first::ports::SignatureStore::find(signatures.as_ref(), &signer)
        .await
        .unwrap()
        .unwrap();
    people_first::ports::SignatureStore::confirm(
        signatures.as_ref(),
        &signer,
        &pending.secret_hash,
        pending.signed_at,
        false,
    )
    .await
    .unwrap();
    let floor = measure("hello", &env, config, table).await;
    let mut results = serde_json::Map::new();
    println!(
        "{:<10} {:>14} {:>12} {:>14}",
        "function", "cold start ms", "binary MB", "peak RSS MB"
    );
    let row = |name: &str, f: &Figures| {
        println!(
            "{name:<10} {:>14.1} {:>12.2} {:>14.1}",
            f.cold_start.as_secs_f64() * 1e3,
            f.bytes as f64 / 1e6,
            f.peak_rss as f64 / 1e6
        );
    };
    row("(floor)", &floor);
    for name in ["sign", "confirm", "erase", "mailer", "aggregate", "count"] {
        let figures = measure(name, &env, config, table).await;
        row(name, &figures);
        results.insert(
            name.into(),
            serde_json::json!({
                "cold_start_ms": figures.cold_start.as_secs_f64() * 1e3,
                "binary_bytes": figures.bytes,
                "peak_rss_bytes": figures.peak_rss,
            }),
        );
    }
    println!("budget: cold start ≤ 20 ms, binary ≤ 6 MB, peak RSS ≤ 24 MB");
    let report = serde_json::json!({
        "functions": results,
        "floor": { "cold_start_ms": floor.cold_start.as_secs_f64() * 1e3, "binary_bytes": floor.bytes, "peak_rss_bytes": floor.peak_rss },
    });
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(
        out.join("functions.json"),
        serde_json::to_vec_pretty(&report).unwrap(),
    )
    .unwrap();
}
