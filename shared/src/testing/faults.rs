//! A proxy in front of the emulator that fails some of the calls passing through it, as AWS
//! does under load: throttling errors, 500s, and connections dropped without an answer.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub struct FaultyProxy {
    pub endpoint: String,
    /// How many calls it has failed so far.
    pub injected: Arc<AtomicUsize>,
}

fn throttled(dynamodb: bool) -> Response<Full<Bytes>> {
    let body = if dynamodb {
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}"#
    } else {
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error></ErrorResponse>"
    };
    Response::builder()
        .status(400)
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

async fn pass(
    request: Request<Incoming>,
    upstream: String,
    client: reqwest::Client,
    dice: Arc<Mutex<StdRng>>,
    rate: f64,
    injected: Arc<AtomicUsize>,
) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let roll: f64 = dice.lock().unwrap().random();
    if roll < rate {
        injected.fetch_add(1, Ordering::Relaxed);
    }
    let dynamodb = request.headers().get("x-amz-target").is_some();
    if roll < rate / 3.0 {
        return Ok(throttled(dynamodb));
    }
    if roll < rate * 2.0 / 3.0 {
        return Ok(Response::builder()
            .status(500)
            .body(Full::new(Bytes::from("{}")))
            .unwrap());
    }
    let dropped = roll < rate;
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(std::io::Error::other)?
        .to_bytes();
    let mut forward = client.request(parts.method, format!("{upstream}{}", parts.uri));
    for (name, value) in &parts.headers {
        if name != "host" {
            forward = forward.header(name, value);
        }
    }
    let answer = forward
        .body(body)
        .send()
        .await
        .map_err(std::io::Error::other)?;
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    let bytes = answer.bytes().await.map_err(std::io::Error::other)?;
    if dropped {
        // The call was carried out, but its answer never arrives: the connection closes under
        // the client, which must not count it twice when it tries again.
        return Err(std::io::Error::other("dropped"));
    }
    Ok(response.body(Full::new(bytes)).unwrap())
}

impl FaultyProxy {
    /// Fails a `rate` share of the calls (a third each: throttled, 500, answer lost), by a seeded
    /// die.
    pub async fn start(upstream: String, rate: f64, seed: u64) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let dice = Arc::new(Mutex::new(StdRng::seed_from_u64(seed)));
        let injected = Arc::new(AtomicUsize::new(0));
        let counted = injected.clone();
        let client = reqwest::Client::new();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (upstream, client, dice, counted) = (
                    upstream.clone(),
                    client.clone(),
                    dice.clone(),
                    counted.clone(),
                );
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        pass(
                            request,
                            upstream.clone(),
                            client.clone(),
                            dice.clone(),
                            rate,
                            counted.clone(),
                        )
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self { endpoint, injected }
    }
}

/// The SDK's configuration pointed at `endpoint`, with its standard retries.
pub async fn aws_through(endpoint: &str) -> aws_config::SdkConfig {
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("testing", "testing", None, None, "tests");
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(crate::config::http_client())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("eu-west-1"))
        .credentials_provider(credentials)
        .load()
        .await
}
