//! A Lambda Runtime API on loopback: hands a function binary its invocations and collects its
//! answers, the way Lambda drives `bootstrap`.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

type Pending = Arc<Mutex<HashMap<String, oneshot::Sender<(bool, serde_json::Value)>>>>;
/// When the function first asked for an event: its init was over.
type Ready = Arc<Mutex<Option<std::time::Instant>>>;

/// One function process and the API it polls.
pub struct Function {
    child: Child,
    printed: Arc<Mutex<Vec<String>>>,
    events: mpsc::Sender<(String, serde_json::Value)>,
    pending: Pending,
    ready: Ready,
    invocations: u64,
}

impl Drop for Function {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The staff's command line, which SAM does not build: always cargo's.
const STAFF_BINARY: &str = "people-first";

/// The hello-world floor, which the template does not deploy: beside a SAM build, cargo lambda
/// builds it as SAM builds the functions, into the target directory's `lambda/hello`.
const FLOOR_BINARY: &str = "hello";

/// The function binary to run (or the staff's command line): by default where cargo put the
/// workspace's binaries, beside this test's own directory; with `PEOPLE_FIRST_SAM_BUILD` set to
/// the output of `sam build`, the `bootstrap` that SAM built for the function named after the
/// binary (`sign`: SignFunction).
pub fn binary(name: &str) -> PathBuf {
    let test = std::env::current_exe().unwrap();
    let cargo_built = test.parent().and_then(|deps| deps.parent()).unwrap();
    let path = match std::env::var_os("PEOPLE_FIRST_SAM_BUILD") {
        Some(_) if name == FLOOR_BINARY => cargo_built
            .parent()
            .unwrap()
            .join("lambda")
            .join(FLOOR_BINARY)
            .join("bootstrap"),
        Some(built) if name != STAFF_BINARY => {
            // `mail-queue` is the template's `MailQueueFunction`.
            let function: String = name
                .split('-')
                .map(|word| word[..1].to_uppercase() + &word[1..])
                .collect();
            PathBuf::from(built)
                .join(format!("{function}Function"))
                .join("bootstrap")
        }
        _ => cargo_built.join(name),
    };
    assert!(
        path.exists(),
        "{} is missing: build the functions first (cargo build --workspace --bins; tests/run does)",
        path.display()
    );
    path
}

async fn answer(
    request: Request<Incoming>,
    events: Arc<tokio::sync::Mutex<mpsc::Receiver<(String, serde_json::Value)>>>,
    pending: Pending,
    ready: Ready,
) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    if path.ends_with("/runtime/invocation/next") {
        ready
            .lock()
            .unwrap()
            .get_or_insert_with(std::time::Instant::now);
        let Some((id, event)) = events.lock().await.recv().await else {
            return Response::builder()
                .status(500)
                .body(Full::default())
                .unwrap();
        };
        let deadline = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
            + 30_000;
        return Response::builder()
            .header("lambda-runtime-aws-request-id", id)
            .header("lambda-runtime-deadline-ms", deadline.to_string())
            .header(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:eu-west-1:123456789012:function:test",
            )
            .header(
                "lambda-runtime-trace-id",
                "Root=1-00000000-000000000000000000000000",
            )
            .body(Full::new(Bytes::from(event.to_string())))
            .unwrap();
    }
    let failed = path.ends_with("/error");
    let body = request
        .into_body()
        .collect()
        .await
        .map(http_body_util::Collected::to_bytes)
        .unwrap_or_default();
    let value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    let id = path.split('/').nth(4).unwrap_or_default().to_owned();
    if let Some(reply) = pending.lock().unwrap().remove(&id) {
        let _ = reply.send((failed, value));
    } else if failed {
        panic!("the function failed to start: {value}");
    }
    Response::builder()
        .status(202)
        .body(Full::default())
        .unwrap()
}

impl Function {
    /// Starts `name` against a fresh Runtime API, with the given environment.
    pub async fn start(name: &str, env: &[(&str, String)]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (events, queue) = mpsc::channel(16);
        let queue = Arc::new(tokio::sync::Mutex::new(queue));
        let pending: Pending = Arc::default();
        let serving = pending.clone();
        let ready: Ready = Arc::default();
        let polled = ready.clone();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let (queue, pending, ready) = (queue.clone(), serving.clone(), polled.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let (queue, pending, ready) =
                            (queue.clone(), pending.clone(), ready.clone());
                        async move {
                            Ok::<_, std::convert::Infallible>(
                                answer(request, queue, pending, ready).await,
                            )
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        let mut command = Command::new(binary(name));
        command
            .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "eu-west-1")
            .env("AWS_ENDPOINT_URL", super::emulator())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        // What the function prints (its logs and metric lines) is kept for the tests to read,
        // and read as it comes so that the process never blocks on a full pipe.
        let printed = Arc::<Mutex<Vec<String>>>::default();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let keeping = printed.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                keeping.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            printed,
            events,
            pending,
            ready,
            invocations: 0,
        }
    }

    /// The lines the function printed so far.
    pub fn printed(&self) -> Vec<String> {
        self.printed.lock().unwrap().clone()
    }

    /// When the process first asked for an event, its init done; `None` before.
    pub fn ready_at(&self) -> Option<std::time::Instant> {
        *self.ready.lock().unwrap()
    }

    /// The most memory the process has held so far (its high-water mark), in bytes.
    pub fn peak_rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }

    /// One invocation: the function's answer, or its error report.
    pub async fn invoke(
        &mut self,
        event: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        self.invocations += 1;
        let id = format!("invocation-{}", self.invocations);
        let (reply, answer) = oneshot::channel();
        self.pending.lock().unwrap().insert(id.clone(), reply);
        self.events.send((id, event)).await.unwrap();
        let (failed, value) = tokio::time::timeout(std::time::Duration::from_secs(30), answer)
            .await
            .expect("the function answered within 30 s")
            .unwrap();
        if failed { Err(value) } else { Ok(value) }
    }
}

/// An API Gateway HTTP API (payload 2.0) request, as it reaches the sign and confirm functions.
/// The secret the CDN adds to each request for the API, as the tests' functions are told it.
pub const ORIGIN_SECRET: &str = "the-cdn-says-this-came-through-the-site";

/// The functions' environment as the stack sets it: the master key (that of `super::keyring()`)
/// and the CDN's origin secret are read from Secrets Manager at cold start.
pub async fn deployed_environment(
    config: &aws_config::SdkConfig,
    table: &str,
) -> Vec<(&'static str, String)> {
    let secrets = aws_sdk_secretsmanager::Client::new(config);
    let mut arns = Vec::new();
    for (name, value) in [
        ("master", "2a".repeat(32)),
        ("origin", ORIGIN_SECRET.to_owned()),
    ] {
        let created = secrets
            .create_secret()
            .name(format!("people-first-{name}-{table}"))
            .secret_string(value)
            .send()
            .await
            .unwrap();
        arns.push(created.arn.unwrap());
    }
    let settings = super::mail_settings();
    vec![
        ("PEOPLE_FIRST_TABLE", table.to_owned()),
        (
            "PEOPLE_FIRST_MAIL_QUEUE",
            super::queue::fresh_queue(config).await,
        ),
        ("PEOPLE_FIRST_SENDING_RATE", "14".to_owned()),
        ("PEOPLE_FIRST_MAILER_INSTANCES", "2".to_owned()),
        ("PEOPLE_FIRST_RATE_SHARES", "2".to_owned()),
        ("PEOPLE_FIRST_SECRET_ARN", arns[0].clone()),
        ("PEOPLE_FIRST_ORIGIN_SECRET_ARN", arns[1].clone()),
        ("PEOPLE_FIRST_PUBLIC_URL", settings.public_url),
        ("PEOPLE_FIRST_SENDER", settings.sender),
        ("PEOPLE_FIRST_CONTACT", settings.contact),
        (
            "PEOPLE_FIRST_NAME_SERVER",
            super::dns::name_server().to_string(),
        ),
        // A test's few emails without the proof of work go one after the other; the share of
        // them is tested where it is decided (`use_cases::unproven`, tests/mail_guard.rs).
        ("PEOPLE_FIRST_UNPROVEN_ONE_IN", "1".to_owned()),
    ]
}

/// One setting of a deployed environment.
pub fn setting<'e>(env: &'e [(&str, String)], name: &str) -> &'e str {
    env.iter()
        .find(|(n, _)| *n == name)
        .map_or_else(|| panic!("{name} is set"), |(_, v)| v.as_str())
}

/// An HTTP API request as it arrives through the CDN, which adds the origin secret.
pub fn http_event(
    method: &str,
    path: &str,
    query: &str,
    content_type: &str,
    body: &str,
) -> serde_json::Value {
    serde_json::json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": {
            "content-type": content_type,
            "accept-language": "uk-UA,uk;q=0.9",
            "x-people-first-origin": ORIGIN_SECRET,
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "people-first.example",
            "domainPrefix": "people-first",
            "http": { "method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "test" },
            "requestId": "request",
            "routeKey": "$default",
            "stage": "$default",
            "time": "29/Nov/2026:01:00:00 +0000",
            "timeEpoch": 1_795_000_000_000_u64
        },
        "body": body,
        "isBase64Encoded": false
    })
}
