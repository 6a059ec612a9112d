//! Logs: JSON lines for CloudWatch, readable lines locally. Neither ever carries personal data:
//! handlers log outcomes, not inputs, and the AWS SDK's own tracing is held at `warn` whatever
//! `RUST_LOG` asks, because at debug and trace it prints whole items and requests.

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Crates whose verbose levels print request and response bodies.
const TALKATIVE: &[&str] = &[
    "aws_smithy_runtime",
    "aws_smithy_runtime_api",
    "aws_smithy_http",
    "aws_smithy_http_client",
    "aws_sdk_dynamodb",
    "aws_sdk_ses",
    "aws_config",
    "aws_runtime",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "lambda_runtime",
    "lambda_runtime_api_client",
    "lambda_http",
];

/// `RUST_LOG` (or `default` when unset or unreadable), with the talkative crates capped at `warn`.
/// Plain `target=level` directives: the functions need no pattern matching, and its regular
/// expressions would weigh on every binary.
pub fn privacy_filter(default: &str) -> Targets {
    let requested = std::env::var("RUST_LOG")
        .ok()
        .and_then(|raw| raw.parse::<Targets>().ok())
        .unwrap_or_else(|| default.parse().unwrap_or_default());
    TALKATIVE.iter().fold(requested, |filter, target| {
        filter.with_target(*target, LevelFilter::WARN)
    })
}

/// For the Lambda functions.
pub fn init_json() {
    init(
        tracing_subscriber::fmt::layer()
            .json()
            .with_target(false)
            .with_current_span(false)
            .without_time(),
    );
}

/// For the command line and the local stack.
pub fn init_readable() {
    init(
        tracing_subscriber::fmt::layer()
            .with_target(false)
            .compact(),
    );
}

/// Installs `lines` as the process's log output, behind the privacy filter.
fn init<L>(lines: L)
where
    L: tracing_subscriber::Layer<tracing_subscriber::Registry> + Send + Sync,
{
    tracing_subscriber::registry()
        .with(lines)
        .with(privacy_filter("info"))
        .init();
}
