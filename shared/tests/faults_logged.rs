//! Every handler that answers a fault with a 503 logs it, once, with its causes: a store that
//! fails is never a silent 503. Each handler runs against DynamoDB and SES through a proxy that
//! fails every call.
//!
//! A binary of its own: it captures what the process logs, which the other tests, running
//! beside it in one process, would disturb (tracing's interest in each call site is the
//! process's, not the thread's).

use people_first::testing as support;

use people_first::adapters::clock::SystemClock;
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::partners::ApprovedPartners;
use people_first::adapters::ses::SesMailer;
use people_first::http::answer_time::AnswerTime;
use people_first::http::confirm::{ConfirmState, handle_confirm};
use people_first::http::count::{CountState, handle_count};
use people_first::http::erase::{EraseState, handle_erase};
use people_first::http::sign::{SignState, handle_sign};
use people_first::http::supporters::{
    SupportState, handle_contact_link, handle_organisation_request,
};
use people_first::use_cases::supporters::SupportSettings;
use std::sync::Arc;
use support::faults::{FaultyProxy, aws_through};
use support::stack::{address, request};

/// The lines that say a handler answered a fault.
fn faults_logged(logs: &str) -> Vec<String> {
    logs.lines()
        .filter(|line| line.contains("answered 503: a passing fault"))
        .map(str::to_owned)
        .collect()
}

/// Every handler's state, over DynamoDB and SES reached through a proxy that fails every call.
struct Handlers {
    sign: SignState,
    confirm: ConfirmState,
    erase: EraseState,
    supporters: SupportState,
    count: CountState,
}

async fn on_failing_aws() -> Handlers {
    let table = support::fresh_table(&support::aws().await).await;
    let proxy = FaultyProxy::start(support::emulator(), 1.0, 1).await;
    let failing = aws_through(&proxy.endpoint).await;
    let store = Arc::new(DynamoStore::from_sdk_config(&failing, &table));
    let keyring = Arc::new(support::keyring());
    let clock = Arc::new(SystemClock);
    let sign = SignState {
        store: store.clone(),
        partners: Arc::new(ApprovedPartners::new(store.clone(), clock.clone())),
        keyring: keyring.clone(),
        clock: clock.clone(),
        challenge: None,
        answer_time: AnswerTime::AT_ONCE,
    };
    let confirm = ConfirmState {
        store: store.clone(),
        clock: clock.clone(),
    };
    let erase = EraseState {
        store: store.clone(),
        updates: store.clone(),
        clock: clock.clone(),
    };
    let supporters = SupportState {
        store: store.clone(),
        limits: store.clone(),
        mailer: Arc::new(SesMailer::from_sdk_config(&failing)),
        keyring,
        clock: clock.clone(),
        challenge: None,
        settings: SupportSettings {
            mail: support::mail_settings(),
            moderation: None,
        },
        answer_time: AnswerTime::AT_ONCE,
    };
    let count = CountState {
        counter: store.clone(),
        partners: Arc::new(ApprovedPartners::new(store.clone(), clock.clone())),
        goal: 100_000,
        smallest_country_shown: 10,
    };

    Handlers {
        sign,
        confirm,
        erase,
        supporters,
        count,
    }
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one request to each handler, in turn
async fn every_handler_logs_the_fault_it_answers_503_to_once() {
    let (captured, _guard) = support::logs::capture(tracing::Level::INFO);
    let Handlers {
        sign,
        confirm,
        erase,
        supporters,
        count,
    } = on_failing_aws().await;
    let json = Some("application/json");
    let signature = serde_json::json!({
        "name": "Oksana", "email": address("faulty"), "country": "UA", "locale": "uk",
    })
    .to_string();
    let organisation = serde_json::json!({
        "organisation": "Memorial Deutschland e.V.", "country": "DE",
        "website": "https://memorial.de", "contact-name": "Anna Schmidt",
        "email": address("faulty-contact"), "locale": "de",
    })
    .to_string();
    let link = "A".repeat(86);
    let contact = serde_json::json!({ "id": "s01", "t": "A".repeat(43) }).to_string();
    // Each handler, in turn, with the span its log line is written in.
    let answers = [
        (
            "handle_sign{method=POST}",
            handle_sign(&sign, request("POST", "/api/sign", json, &signature)).await,
        ),
        (
            "handle_confirm{method=GET}",
            handle_confirm(
                &confirm,
                request("GET", &format!("/api/confirm?t={link}"), None, ""),
            )
            .await,
        ),
        (
            "handle_confirm{method=POST}",
            handle_confirm(
                &confirm,
                request(
                    "POST",
                    "/api/confirm",
                    json,
                    &format!(r#"{{"t":"{link}"}}"#),
                ),
            )
            .await,
        ),
        (
            "handle_erase{method=GET}",
            handle_erase(
                &erase,
                request("GET", &format!("/api/erase?t={link}"), None, ""),
            )
            .await,
        ),
        (
            "handle_erase{method=POST}",
            handle_erase(
                &erase,
                request("POST", "/api/erase", json, &format!(r#"{{"t":"{link}"}}"#)),
            )
            .await,
        ),
        (
            "handle_organisation_request{method=POST}",
            handle_organisation_request(
                &supporters,
                request("POST", "/api/organisations", json, &organisation),
            )
            .await,
        ),
        (
            "handle_contact_link{method=POST}",
            handle_contact_link(
                &supporters,
                request("POST", "/api/organisations/confirm", json, &contact),
            )
            .await,
        ),
        (
            "handle_count{method=GET}",
            handle_count(&count, request("GET", "/api/count", None, "")).await,
        ),
    ];
    let faults = faults_logged(&captured.text());
    assert_eq!(
        faults.len(),
        answers.len(),
        "one fault logged a request: {faults:#?}"
    );
    for (span, answered) in answers {
        let answer = answered.unwrap();
        assert_eq!(answer.status(), 503, "{span}");
        assert!(answer.headers().contains_key("retry-after"), "{span}");
        let lines: Vec<_> = faults.iter().filter(|line| line.contains(span)).collect();
        assert_eq!(lines.len(), 1, "{span} logs its fault once: {faults:#?}");
        assert!(
            lines[0].contains("fault=the signature store is unavailable"),
            "{span} logs what failed"
        );
    }
}
