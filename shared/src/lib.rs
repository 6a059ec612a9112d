//! The People First signing backend: the domain, its use cases, the ports they need and the
//! adapters that fill them, shared by the Lambda functions and the local stack.

pub mod adapters;
pub mod aggregate;
pub mod challenge;
pub mod clock;
pub mod config;
pub mod confirm;
pub mod domain;
pub mod erase;
pub mod http;
pub mod i18n;
pub mod keyring;
pub mod mail_events;
pub mod mailing;
pub mod pages;
pub mod ports;
#[cfg(feature = "site")]
pub mod publishing;
pub mod recount;
pub mod sending;
pub mod sign;
#[cfg(feature = "site")]
pub mod site;
pub mod stream;
pub mod supporters;
pub mod telemetry;
