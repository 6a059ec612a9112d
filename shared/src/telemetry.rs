//! Logs: JSON lines for CloudWatch, readable lines locally. Neither ever carries personal data:
//! handlers log outcomes, not inputs, and the AWS SDK's own tracing is held at `warn` whatever
//! `RUST_LOG` asks, because at debug and trace it prints whole items and requests.

use tracing_subscriber::EnvFilter;

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

/// `RUST_LOG` (or `default` when unset), with the talkative crates capped at `warn`.
pub fn privacy_filter(default: &str) -> EnvFilter {
    let requested = std::env::var("RUST_LOG").unwrap_or_else(|_| default.to_owned());
    TALKATIVE
        .iter()
        .fold(EnvFilter::new(requested), |filter, target| {
            filter.add_directive(format!("{target}=warn").parse().expect("a valid directive"))
        })
}

/// For the Lambda functions.
pub fn init_json() {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(privacy_filter("info"))
        .with_target(false)
        .with_current_span(false)
        .without_time()
        .init();
}

/// For the command line and the local stack.
pub fn init_readable() {
    tracing_subscriber::fmt()
        .with_env_filter(privacy_filter("info"))
        .with_target(false)
        .compact()
        .init();
}
