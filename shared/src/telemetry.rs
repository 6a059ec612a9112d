//! Logs: JSON lines for CloudWatch, readable lines locally. Neither ever carries personal data:
//! handlers log outcomes, not inputs.

use tracing_subscriber::EnvFilter;

fn filter() -> EnvFilter {
    EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"))
}

/// For the Lambda functions.
pub fn init_json() {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter())
        .with_target(false)
        .with_current_span(false)
        .without_time()
        .init();
}

/// For the command line and the local stack.
pub fn init_readable() {
    tracing_subscriber::fmt().with_env_filter(filter()).with_target(false).compact().init();
}
