//! The counter equals the number of confirmed signatures, however the stream delivers: the same
//! batch again, shards interleaved, overlapping batches, a mix of every kind of change. Run on
//! the embedded store and on DynamoDB in the emulator.

use people_first::testing as support;

use people_first::adapters::clock::ManualClock;
use people_first::domain::{
    Change, ChangedItem, Country, SequenceNumber, Signature, SignatureChange, SignatureStatus,
    Timestamp,
};
use people_first::ports::CounterStore;
use people_first::use_cases::aggregate::{AggregateError, count_batch};
use std::sync::Arc;
use support::StoreUnderTest;

fn counter_of(subject: &StoreUnderTest) -> Arc<dyn CounterStore> {
    match &subject.feed {
        support::Feed::Embedded(store) => store.clone(),
        support::Feed::Dynamo { config, table } => {
            Arc::new(people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table))
        }
    }
}

fn signature(n: usize, country: &str, status: SignatureStatus) -> Signature {
    let mut signature = support::pending_signature(&format!("signer{n}@example.org"), country);
    signature.status = status;
    signature
}

fn record(seq: u64, old: Option<Signature>, new: Option<Signature>) -> Change {
    Change {
        sequence: SequenceNumber::from(seq),
        item: ChangedItem::Signature(SignatureChange { old, new }),
    }
}

fn confirmation(seq: u64, n: usize, country: &str) -> Change {
    record(
        seq,
        Some(signature(n, country, SignatureStatus::Pending)),
        Some(signature(n, country, SignatureStatus::Confirmed)),
    )
}

async fn count(counter: &dyn CounterStore, shard: &str, batch: &[Change]) {
    let clock = ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000));
    count_batch(counter, &clock, shard, batch).await.unwrap();
}

async fn the_same_batch_delivered_three_times_counts_once(subject: StoreUnderTest) {
    let counter = counter_of(&subject);
    let batch: Vec<_> = (0..10)
        .map(|n| confirmation(100 + n as u64, n, if n % 2 == 0 { "UA" } else { "PL" }))
        .collect();
    for _ in 0..3 {
        count(counter.as_ref(), "shard-a", &batch).await;
    }
    let now = counter.read_counter().await.unwrap();
    assert_eq!(now.total(), 10);
    assert_eq!(now.countries[&Country::parse("UA").unwrap()], 5);
    assert_eq!(now.countries[&Country::parse("PL").unwrap()], 5);
}

async fn interleaved_shards_and_overlapping_batches_count_each_record_once(
    subject: StoreUnderTest,
) {
    let counter = counter_of(&subject);
    let a: Vec<_> = (0..8)
        .map(|n| confirmation(10 + n as u64, n, "DE"))
        .collect();
    let b: Vec<_> = (0..6)
        .map(|n| confirmation(10 + n as u64, 100 + n, "FR"))
        .collect();
    count(counter.as_ref(), "shard-a", &a[..3]).await;
    count(counter.as_ref(), "shard-b", &b[..4]).await;
    count(counter.as_ref(), "shard-a", &a[1..6]).await;
    count(counter.as_ref(), "shard-b", &b[2..]).await;
    count(counter.as_ref(), "shard-a", &a[..]).await;
    count(counter.as_ref(), "shard-b", &b[..]).await;
    let now = counter.read_counter().await.unwrap();
    assert_eq!(now.countries[&Country::parse("DE").unwrap()], 8);
    assert_eq!(now.countries[&Country::parse("FR").unwrap()], 6);
}

async fn a_mixed_batch_counts_confirmations_less_erasures(subject: StoreUnderTest) {
    let counter = counter_of(&subject);
    let pending = |n| Some(signature(n, "UA", SignatureStatus::Pending));
    let confirmed = |n| Some(signature(n, "UA", SignatureStatus::Confirmed));
    let batch = vec![
        record(1, None, pending(1)),           // a new signature
        record(2, None, pending(2)),           // another
        record(3, pending(1), pending(1)),     // a fresh link
        record(4, pending(1), confirmed(1)),   // confirmed: +1
        record(5, pending(2), confirmed(2)),   // confirmed: +1
        record(6, confirmed(2), None),         // a confirmed signature erased: −1
        record(7, None, pending(3)),           // a new one
        record(8, pending(3), None),           // left unconfirmed, expired: nothing
        record(9, confirmed(1), confirmed(1)), // touched while confirmed: nothing
    ];
    count(counter.as_ref(), "shard-a", &batch).await;
    count(counter.as_ref(), "shard-a", &batch[3..]).await;
    assert_eq!(counter.read_counter().await.unwrap().total(), 1);
}

async fn an_unreadable_record_stops_the_count_just_before_it(subject: StoreUnderTest) {
    let counter = counter_of(&subject);
    let mut batch: Vec<_> = (0..5)
        .map(|n| confirmation(50 + n as u64, n, "UA"))
        .collect();
    batch[3].item = ChangedItem::Unreadable("garbled".into());
    let clock = ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000));
    let failed = count_batch(counter.as_ref(), &clock, "shard-a", &batch).await;
    let Err(AggregateError::RetryFrom(seq, _)) = failed else {
        panic!("the batch must be retried")
    };
    assert_eq!(seq.as_str(), "53");
    assert_eq!(counter.read_counter().await.unwrap().total(), 3);
    // Redelivered from the failed record, once readable, the rest counts once.
    batch[3] = confirmation(53, 3, "UA");
    count(counter.as_ref(), "shard-a", &batch[3..]).await;
    count(counter.as_ref(), "shard-a", &batch).await;
    assert_eq!(counter.read_counter().await.unwrap().total(), 5);
}

async fn a_missing_counter_reads_as_zero(subject: StoreUnderTest) {
    let counted = counter_of(&subject).read_counter().await.unwrap();
    assert_eq!(
        (counted.total(), counted.updated_at, counted.revision),
        (0, None, 0)
    );
}

people_first::on_both!(
    embedded => super::StoreUnderTest::embedded(),
    dynamodb => super::StoreUnderTest::dynamo().await;
    the_same_batch_delivered_three_times_counts_once,
    interleaved_shards_and_overlapping_batches_count_each_record_once,
    a_mixed_batch_counts_confirmations_less_erasures,
    an_unreadable_record_stops_the_count_just_before_it,
    a_missing_counter_reads_as_zero,
);
