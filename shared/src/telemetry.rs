//! Logs: JSON lines for CloudWatch, readable lines locally. Neither ever carries personal data:
//! handlers log outcomes, not inputs, and the AWS SDK's own tracing is held at `warn` whatever
//! `RUST_LOG` asks, because at debug and trace it prints whole items and requests.

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// Crates whose verbose levels print request and response bodies, or (the resolver's) the name
/// of each domain asked about: a signer's email domain.
const TALKATIVE: &[&str] = &[
    "hickory_resolver",
    "hickory_proto",
    "hickory_net",
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

/// The CloudWatch namespace of the campaign's own metrics.
pub const METRICS_NAMESPACE: &str = "PeopleFirst";

/// Adds one to a metric of the campaign, without dimensions or personal data. In a function, a
/// log line in CloudWatch's embedded metric format, which CloudWatch turns into the metric with
/// no API call; elsewhere an ordinary log line.
pub fn count(metric: &'static str) {
    count_n(metric, 1);
}

/// Adds `n` to a metric of the campaign, as `count` does; nothing when `n` is none.
pub fn count_n(metric: &'static str, n: u64) {
    if n == 0 {
        return;
    }
    if std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        println!("{}", metric_line(metric, n, now.as_millis()));
    } else {
        tracing::info!(metric, n, "counted");
    }
}

fn metric_line(metric: &str, n: u64, timestamp_ms: u128) -> String {
    serde_json::json!({
        "_aws": {
            "Timestamp": u64::try_from(timestamp_ms).unwrap_or(u64::MAX),
            "CloudWatchMetrics": [{
                "Namespace": METRICS_NAMESPACE,
                "Dimensions": [[]],
                "Metrics": [{ "Name": metric, "Unit": "Count" }],
            }],
        },
        metric: n,
    })
    .to_string()
}

/// An error and every error under it, on one line: what failed, then why. Errors keep their
/// causes as sources; a log line prints them through this.
pub struct Causes<'a>(pub &'a dyn std::error::Error);

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut under = self.0.source();
        while let Some(cause) = under {
            write!(f, ": {cause}")?;
            under = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_count_is_one_line_of_the_embedded_metric_format() {
        let line: serde_json::Value =
            serde_json::from_str(&super::metric_line("EmailsRejected", 1, 1_764_000_000_000))
                .unwrap();
        assert_eq!(line["EmailsRejected"], 1);
        assert_eq!(line["_aws"]["Timestamp"], 1_764_000_000_000_u64);
        let declared = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(declared["Namespace"], "PeopleFirst");
        assert_eq!(declared["Metrics"][0]["Name"], "EmailsRejected");
        assert_eq!(declared["Dimensions"], serde_json::json!([[]]));
    }
}
