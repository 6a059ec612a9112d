//! A DynamoDB stream event as Lambda hands it over: reading its records never panics, whatever
//! the images hold.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|event: &[u8]| {
    if let Ok(event) = serde_json::from_slice::<aws_lambda_events::dynamodb::Event>(event) {
        for record in event.records {
            let _ = people_first::adapters::stream::change_of(record);
        }
    }
});
