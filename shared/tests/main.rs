//! The library's integration tests, in one binary (so the AWS SDK is linked once): each module
//! one part of the system, run against the embedded store and DynamoDB on the emulator where
//! both apply.

mod challenge;
mod count_api;
mod counter;
mod counter_on_the_stream;
mod credit;
mod erasure;
mod faults;
mod follow_up;
mod follow_up_on_the_runtime_api;
mod frame;
mod functions_on_the_runtime_api;
mod layers;
mod locales;
mod mail_domains;
mod mail_guard;
mod organisations;
mod parsers_under_property_tests;
mod routes;
mod settings_documented;
mod signing;
mod site;
mod smoke_test_on_dynamodb;
mod staff_commands_on_dynamodb;
mod store_contract;
mod stream_mailer;
mod unsubscribe;
mod write_units;
