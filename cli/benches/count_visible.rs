//! How long a confirmation takes to show in the local stack's `/api/count`, beside the floor of
//! one `/api/count` round trip measured in the same run. Run by `tests/bench`.

// Counts here are small: converting them to f64 for ratios loses nothing.
#![allow(clippy::cast_precision_loss)]

use people_first::testing::local_stack as support;

use std::time::{Duration, Instant};

const SIGNERS: usize = 25;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn total(http: &reqwest::Client, base: &str) -> u64 {
    support::count(http, base).await["total"].as_u64().unwrap()
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().unwrap();
    let stack = support::start(data.path(), env!("CARGO_BIN_EXE_people-first"));
    let base = stack.base.clone();
    let http = reqwest::Client::new();
    let mut floor = Vec::new();
    let mut visible = Vec::new();
    for n in 0..SIGNERS {
        let email = format!("signer{n}@example.org");
        let body = serde_json::json!({ "name": "Signer", "email": email, "country": "UA", "locale": "en" });
        http.post(format!("{base}/api/sign"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let token = support::confirmation_token(&support::wait_for_mail_to(&base, &email).await);
        let started = Instant::now();
        total(&http, &base).await;
        floor.push(started.elapsed());

        let started = Instant::now();
        http.post(format!("{base}/api/confirm"))
            .json(&serde_json::json!({ "t": token }))
            .send()
            .await
            .unwrap();
        let deadline = started + Duration::from_secs(10);
        while total(&http, &base).await < n as u64 + 1 {
            assert!(Instant::now() < deadline, "a confirmation never showed");
        }
        visible.push(started.elapsed());
    }
    let (visible, floor) = (median(visible), median(floor));
    println!("local stack, confirmation → visible in /api/count (median of {SIGNERS}):");
    println!(
        "  visible after  {:>8.1} ms   (confirm request, then polling the count)",
        visible.as_secs_f64() * 1e3
    );
    println!(
        "  floor          {:>8.1} ms   (one /api/count round trip)",
        floor.as_secs_f64() * 1e3
    );
    println!(
        "  ratio          {:>8.1}   (budget: visible within 1 s)",
        visible.as_secs_f64() / floor.as_secs_f64()
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&out).unwrap();
    let report = serde_json::json!({
        "visible_ms": visible.as_secs_f64() * 1e3,
        "floor_ms": floor.as_secs_f64() * 1e3,
    });
    std::fs::write(
        out.join("count_visible.json"),
        serde_json::to_vec_pretty(&report).unwrap(),
    )
    .unwrap();
}
