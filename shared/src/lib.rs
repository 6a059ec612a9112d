//! The People First signing backend, shared by the Lambda functions and the local stack.
//!
//! - `domain`: the campaign's types, each made only by parsing;
//! - `use_cases`: what people and staff do, written against `ports` alone;
//! - `ports`: every trait the use cases need from the outside world;
//! - `adapters`: DynamoDB, SES, SQS, the embedded store and the rest, filling the ports;
//! - `http` and `events`: the functions' handlers, from a request or an event to a use case;
//! - `pages` and `i18n`: what people read, in their language;
//! - `config`, `keyring` and `telemetry`: what every function sets up when it starts.

pub mod adapters;
pub mod config;
pub mod domain;
pub mod events;
pub mod http;
pub mod i18n;
pub mod keyring;
pub mod pages;
pub mod ports;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
pub mod use_cases;
