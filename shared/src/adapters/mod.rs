//! Production and local implementations of the ports.

pub mod clock;
pub mod dynamo;
mod dynamo_counter;
mod dynamo_mail_health;
mod dynamo_supporters;
mod dynamo_updates;
pub use dynamo_supporters::ORGANISATIONS_INDEX;
pub mod embedded;
pub mod mail_domains;
pub mod outbox;
pub mod partners;
pub mod ses;
#[cfg(feature = "publish")]
pub mod site_bucket;
pub mod siteverify;
pub mod sqs;
pub mod stream;
