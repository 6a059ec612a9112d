//! What each handler costs in CPU, apart from the network and the database: parsing a signature
//! in both encodings, the sign use case and the whole sign handler, the confirmation email in
//! each language, and the aggregate's work per stream record. Each group carries its floor, the
//! least work of the same kind (reading the same bytes as plain JSON), so figures read as ratios.
//!
//! Run by `tests/bench`; bounded to a few seconds per benchmark.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use people_first::adapters::clock::ManualClock;
use people_first::domain::SignatureChange;
use people_first::domain::{Locale, SignatureStatus};
use people_first::http::form::{PetitionForm, PublicForm};
use people_first::http::sign::{SignState, handle_sign};
use people_first::pages::confirmation_email;
use people_first::use_cases::sign::sign_petition;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use people_first::testing as support;

use support::AcceptingStore;

const JSON_BODY: &str = r#"{"name":"Оксана Петренко","email":"oksana.petrenko@example.org","country":"UA","locale":"uk","updates":true}"#;
const FORM_BODY: &str = "name=%D0%9E%D0%BA%D1%81%D0%B0%D0%BD%D0%B0+%D0%9F%D0%B5%D1%82%D1%80%D0%B5%D0%BD%D0%BA%D0%BE&email=oksana.petrenko%40example.org&country=UA&locale=uk&updates=on&website=";

fn parsing(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse a signature");
    group.bench_function("floor: the JSON body as a plain value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(JSON_BODY)).unwrap());
    });
    group.bench_function("JSON", |b| {
        b.iter(|| {
            let form: PetitionForm = serde_json::from_str(black_box(JSON_BODY)).unwrap();
            form.parse().unwrap()
        });
    });
    group.bench_function("form", |b| {
        b.iter(|| {
            let form: PetitionForm = serde_urlencoded::from_str(black_box(FORM_BODY)).unwrap();
            form.parse().unwrap()
        });
    });
    group.finish();
}

fn signing(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let keyring = support::keyring();
    let store = AcceptingStore::discarding();
    let clock = ManualClock::at(support::SIGNED_AT);
    let petition = serde_json::from_str::<PetitionForm>(JSON_BODY)
        .unwrap()
        .parse()
        .unwrap();
    let state = SignState {
        store: Arc::new(AcceptingStore::discarding()),
        partners: Arc::new(support::NoPartners),
        keyring: Arc::new(support::keyring()),
        clock: Arc::new(ManualClock::at(support::SIGNED_AT)),
        challenge: None,
        answer_time: people_first::http::answer_time::AnswerTime::AT_ONCE,
    };
    let mut group = c.benchmark_group("sign");
    group.bench_function("use case: key, link, signature", |b| {
        b.to_async(&runtime).iter(|| async {
            sign_petition(&store, &keyring, &clock, black_box(petition.clone()))
                .await
                .unwrap()
        });
    });
    group.bench_function("handler: JSON request to 202", |b| {
        b.to_async(&runtime).iter(|| async {
            let request =
                support::stack::request("POST", "/api/sign", Some("application/json"), JSON_BODY);
            let response = handle_sign(&state, black_box(request)).await.unwrap();
            assert_eq!(response.status(), 202);
        });
    });
    group.finish();
}

fn emails(c: &mut Criterion) {
    let mut group = c.benchmark_group("confirmation email");
    let link = format!(
        "https://people-first.example/api/confirm?t={}",
        "A".repeat(86)
    );
    for locale in Locale::ALL {
        group.bench_with_input(
            BenchmarkId::from_parameter(locale.code()),
            &locale,
            |b, &locale| {
                b.iter(|| confirmation_email(black_box(locale), "Оксана Петренко", &link, &link));
            },
        );
    }
    group.finish();
}

fn aggregation(c: &mut Criterion) {
    const RECORDS: u64 = 1000;
    let changes: Vec<SignatureChange> = (0..RECORDS)
        .map(|n| {
            let pending = support::pending_signature(&format!("signer{n}@example.org"), "UA");
            let mut confirmed = pending.clone();
            confirmed.status = SignatureStatus::Confirmed;
            SignatureChange {
                old: Some(pending),
                new: Some(confirmed),
            }
        })
        .collect();
    let mut group = c.benchmark_group("aggregate");
    group.throughput(Throughput::Elements(RECORDS));
    group.bench_function("delta of 1000 confirmations", |b| {
        b.iter(|| {
            changes.iter().fold(
                people_first::domain::CounterDelta::default(),
                |mut sum, change| {
                    sum.merge(&black_box(change).counter_delta());
                    sum
                },
            )
        });
    });
    group.finish();
}

fn bounded() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! { name = handlers; config = bounded(); targets = parsing, signing, emails, aggregation }
criterion_main!(handlers);
