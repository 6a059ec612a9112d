//! The table's real stream records, read with GetRecords and shaped into the event Lambda
//! delivers to a function.

use aws_lambda_events::dynamodb::{Event, EventRecord, StreamRecord};
use aws_sdk_dynamodbstreams::types::{Record, ShardIteratorType};

fn item(
    image: Option<
        &std::collections::HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>,
    >,
) -> serde_dynamo::Item {
    image
        .map(|i| serde_dynamo::Item::from(i.clone()))
        .unwrap_or_default()
}

fn event_record(record: &Record, stream_arn: &str) -> EventRecord {
    let change = record
        .dynamodb
        .as_ref()
        .expect("a stream record has its change");
    let mut stream_record = StreamRecord::default();
    stream_record.keys = item(change.keys.as_ref());
    stream_record.new_image = item(change.new_image.as_ref());
    stream_record.old_image = item(change.old_image.as_ref());
    stream_record
        .sequence_number
        .clone_from(&change.sequence_number);
    stream_record.size_bytes = change.size_bytes.unwrap_or_default();
    let mut event_record = EventRecord::default();
    event_record.change = stream_record;
    event_record.event_id = record.event_id.clone().unwrap_or_default();
    event_record.event_name = record
        .event_name
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    event_record.event_source.clone_from(&record.event_source);
    event_record.event_version.clone_from(&record.event_version);
    event_record.aws_region = record.aws_region.clone().unwrap_or_default();
    event_record.event_source_arn = Some(stream_arn.to_owned());
    event_record
}

/// Every record of the table's stream so far, as one Lambda event. The event goes through its
/// JSON form and back, as the runtime hands it to a function.
pub async fn read_event(config: &aws_config::SdkConfig, table: &str) -> Event {
    let tables = aws_sdk_dynamodb::Client::new(config);
    let described = tables
        .describe_table()
        .table_name(table)
        .send()
        .await
        .unwrap();
    let stream_arn = described
        .table
        .and_then(|t| t.latest_stream_arn)
        .expect("the table has a stream");
    let streams = aws_sdk_dynamodbstreams::Client::new(config);
    let description = streams
        .describe_stream()
        .stream_arn(&stream_arn)
        .send()
        .await
        .unwrap();
    let shards = description
        .stream_description
        .and_then(|d| d.shards)
        .unwrap_or_default();
    let mut records = Vec::new();
    for shard in shards {
        let mut iterator = streams
            .get_shard_iterator()
            .stream_arn(&stream_arn)
            .shard_id(shard.shard_id.unwrap())
            .shard_iterator_type(ShardIteratorType::TrimHorizon)
            .send()
            .await
            .unwrap()
            .shard_iterator;
        while let Some(current) = iterator {
            let page = streams
                .get_records()
                .shard_iterator(current)
                .send()
                .await
                .unwrap();
            let got = page.records.unwrap_or_default();
            if got.is_empty() {
                break;
            }
            records.extend(got.iter().map(|r| event_record(r, &stream_arn)));
            iterator = page.next_shard_iterator;
        }
    }
    let mut event = Event::default();
    event.records = records;
    let json = serde_json::to_string(&event).unwrap();
    serde_json::from_str(&json).expect("the event reads back as Lambda delivers it")
}

/// The records of `event` that `function`'s event source mapping hands it, by the template's
/// filters (`event_filter`).
pub fn as_mapped(mut event: Event, function: &str) -> Event {
    let patterns = super::event_filter::patterns_of(function);
    event.records.retain(|record| {
        let record = serde_json::to_value(record).expect("a record is JSON");
        super::event_filter::passes(&patterns, &record)
    });
    event
}
