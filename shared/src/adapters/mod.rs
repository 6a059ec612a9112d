//! Production and local implementations of the ports.

pub mod dynamo;
pub mod embedded;
pub mod outbox;
pub mod ses;
