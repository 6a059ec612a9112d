//! A launch spike, bounded in count and time, sent only to loopback: distinct signatures over
//! many connections to the local stack, then every confirmation, then the wait until the count
//! shows them all. The floor is the same load against a server that only answers 202.
//!
//! usage: spike PEOPLE_FIRST_BINARY [SIGNATURES] [CONNECTIONS]
//! Prints a JSON object: the figures of the `spike` section of `target/bench/results.json`.

// Counts of requests are far below 2^52: as f64 for rates they lose nothing.
#![allow(clippy::cast_precision_loss)]

use anyhow::{Context, bail};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// No phase runs longer than this, whatever happens.
const PHASE_LIMIT: Duration = Duration::from_mins(3);

struct Stack {
    child: Child,
    base: String,
    data: tempfile::TempDir,
}

impl Drop for Stack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_stack(binary: &str) -> anyhow::Result<Stack> {
    let data = tempfile::tempdir()?;
    let mut child = Command::new(binary)
        .env("PORT", "0")
        .env("PEOPLE_FIRST_DATA_DIR", data.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot start the local stack")?;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let first = lines.next().context("the stack printed nothing")??;
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .context("the stack did not say where it runs")?
        .trim_end_matches('/')
        .to_owned();
    std::thread::spawn(move || lines.for_each(drop));
    Ok(Stack { child, base, data })
}

/// A server that answers every request 202, as cheaply as hyper can.
async fn start_floor() -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    |request: hyper::Request<hyper::body::Incoming>| async move {
                        use http_body_util::BodyExt;
                        let _ = request.into_body().collect().await;
                        let mut answer = hyper::Response::new(http_body_util::Full::new(
                            bytes::Bytes::from_static(br#"{"status":"check-email"}"#),
                        ));
                        *answer.status_mut() = hyper::StatusCode::ACCEPTED;
                        Ok::<_, std::convert::Infallible>(answer)
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(format!("http://{address}"))
}

struct Load {
    per_second: f64,
    latencies: Vec<Duration>,
    errors: usize,
}

/// The latency at `permille` (500 is the median), in milliseconds.
fn percentile(sorted: &[Duration], permille: usize) -> f64 {
    sorted
        .get((sorted.len().saturating_sub(1) * permille) / 1000)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

/// Sends `bodies` to `url` over `connections` concurrent connections, one request each.
async fn load(
    url: &str,
    bodies: Arc<Vec<String>>,
    connections: usize,
    accepted: u16,
) -> anyhow::Result<Load> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (client, next, bodies, url) =
                (client.clone(), next.clone(), bodies.clone(), url.to_owned());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= bodies.len() || started.elapsed() > PHASE_LIMIT {
                        break;
                    }
                    let sent = Instant::now();
                    let answer = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(bodies[i].clone())
                        .send()
                        .await;
                    let ok = match answer {
                        Ok(answer) => {
                            answer.status().as_u16() == accepted && answer.bytes().await.is_ok()
                        }
                        Err(_) => false,
                    };
                    latencies.push(sent.elapsed());
                    errors += usize::from(!ok);
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(bodies.len());
    let mut errors = 0;
    for worker in workers {
        let (mine, failed) = worker.await?;
        latencies.extend(mine);
        errors += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    errors += bodies.len().saturating_sub(latencies.len());
    Ok(Load {
        per_second: latencies.len() as f64 / elapsed,
        latencies,
        errors,
    })
}

/// The confirmation links, read from the local stack's outbox once every email is written.
fn tokens(stack: &Stack, count: usize) -> anyhow::Result<Vec<String>> {
    let outbox = stack.data.path().join("outbox");
    let started = Instant::now();
    loop {
        let written = std::fs::read_dir(&outbox)?.count();
        if written >= count {
            break;
        }
        if started.elapsed() > PHASE_LIMIT {
            bail!("only {written} of {count} emails were written");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let mut tokens = Vec::with_capacity(count);
    for entry in std::fs::read_dir(&outbox)? {
        let email: serde_json::Value = serde_json::from_slice(&std::fs::read(entry?.path())?)?;
        let text = email["text"].as_str().unwrap_or_default();
        let at = text
            .find("/api/confirm?t=")
            .context("an email without a link")?
            + "/api/confirm?t=".len();
        tokens.push(
            text[at..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    Ok(tokens)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let binary = args
        .next()
        .context("usage: spike PEOPLE_FIRST_BINARY [SIGNATURES] [CONNECTIONS]")?;
    let signatures: usize = args.next().map_or(Ok(100_000), |n| n.parse())?;
    let connections: usize = args.next().map_or(Ok(256), |n| n.parse())?;
    let countries = ["UA", "PL", "DE", "FR", "GB", "RU", "US", "NL"];
    let bodies: Arc<Vec<String>> = Arc::new(
        (0..signatures)
            .map(|n| {
                serde_json::json!({
                    "name": format!("Signer {n}"), "email": format!("signer{n}@example.org"),
                    "country": countries[n % countries.len()], "locale": "en",
                })
                .to_string()
            })
            .collect(),
    );

    let floor_url = start_floor().await?;
    let floor = load(
        &format!("{floor_url}/api/sign"),
        bodies.clone(),
        connections,
        202,
    )
    .await?;

    let stack = start_stack(&binary)?;
    let signed = load(
        &format!("{}/api/sign", stack.base),
        bodies,
        connections,
        202,
    )
    .await?;
    let tokens = tokens(&stack, signatures - signed.errors)?;
    let confirm_bodies: Arc<Vec<String>> = Arc::new(
        tokens
            .iter()
            .map(|t| serde_json::json!({ "t": t }).to_string())
            .collect(),
    );
    let confirmed = load(
        &format!("{}/api/confirm", stack.base),
        confirm_bodies,
        connections,
        200,
    )
    .await?;
    let after_confirming = Instant::now();
    let client = reqwest::Client::new();
    let expected = (tokens.len() - confirmed.errors) as u64;
    let mut total = 0;
    while after_confirming.elapsed() < PHASE_LIMIT {
        let count: serde_json::Value = client
            .get(format!("{}/api/count", stack.base))
            .send()
            .await?
            .json()
            .await?;
        total = count["total"].as_u64().unwrap_or(0);
        if total >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let visible = after_confirming.elapsed().as_secs_f64();
    let report = serde_json::json!({
        "signs_per_s": signed.per_second.round(),
        "p50_ms": percentile(&signed.latencies, 500),
        "p99_ms": percentile(&signed.latencies, 990),
        "max_ms": percentile(&signed.latencies, 1000),
        "errors": signed.errors + confirmed.errors,
        "floor_per_s": floor.per_second.round(),
        "floor_p99_ms": percentile(&floor.latencies, 990),
        "confirms_per_s": confirmed.per_second.round(),
        "count_exact": total == expected && expected == signatures as u64,
        "count_visible_s": visible,
        "signatures": signatures,
        "connections": connections,
    });
    println!("{report}");
    Ok(())
}
