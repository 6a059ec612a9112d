//! The optional bot challenge, switched on: the sign handler asks a provider (here a stand-in
//! speaking `siteverify` on loopback) about the widget's answer, only for a petition otherwise fit
//! to sign. A failed challenge gets the answer a person gets and stores nothing; a provider that
//! cannot be asked gets a 503 to retry.

use people_first::testing as support;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use people_first::adapters::clock::ManualClock;
use people_first::adapters::siteverify::SiteVerify;
use people_first::domain::challenge::BotSignals;
use people_first::domain::challenge::{Provider, Widget};
use people_first::http::form::PetitionForm;
use people_first::http::sign::{SignState, handle_sign};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::StoreUnderTest;

pub const SECRET: &str = "the-campaign's-secret";

/// A provider that passes the answer "genuine" given with the campaign's secret; counts the
/// questions it is asked.
pub async fn provider() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/siteverify", listener.local_addr().unwrap());
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let counter = counter.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: hyper::Request<hyper::body::Incoming>| {
                        let counter = counter.clone();
                        async move {
                            counter.fetch_add(1, Ordering::SeqCst);
                            let body = request.into_body().collect().await.unwrap().to_bytes();
                            let form: std::collections::HashMap<String, String> =
                                serde_urlencoded::from_bytes(&body).unwrap();
                            // "genuine" was solved on our site for signing; the others were
                            // solved too, but on another site, or for another action.
                            let answer = form.get("response").map(String::as_str);
                            let success = form.get("secret").map(String::as_str) == Some(SECRET)
                                && matches!(answer, Some("genuine" | "elsewhere" | "other-action"));
                            let hostname = if answer == Some("elsewhere") {
                                "prize.example"
                            } else {
                                "people-first.example"
                            };
                            let action = if answer == Some("other-action") {
                                "login"
                            } else {
                                "sign"
                            };
                            let verdict = serde_json::json!({
                                "success": success, "hostname": hostname, "action": action,
                            })
                            .to_string();
                            Ok::<_, std::convert::Infallible>(hyper::Response::new(Full::new(
                                Bytes::from(verdict),
                            )))
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (url, asked)
}

fn widget() -> Widget {
    Widget::new(Provider::Turnstile, "site-key-1".into())
}

fn state(store: &StoreUnderTest, url: String) -> SignState {
    SignState {
        store: store.store.clone(),
        partners: Arc::new(support::NoPartners),
        keyring: Arc::new(support::keyring()),
        clock: Arc::new(ManualClock::at(support::SIGNED_AT)),
        challenge: Some(Arc::new(SiteVerify::new(
            widget(),
            SECRET.into(),
            "people-first.example",
            Some(url),
        ))),
        answer_time: people_first::http::answer_time::AnswerTime::AT_ONCE,
    }
}

async fn sign(state: &SignState, content_type: &str, body: &str) -> (u16, http::HeaderMap, String) {
    let request = support::stack::request("POST", "/api/sign", Some(content_type), body);
    let response = handle_sign(state, request).await.unwrap();
    let (parts, body) = response.into_parts();
    (
        parts.status.as_u16(),
        parts.headers,
        String::from_utf8_lossy(body.as_ref()).into_owned(),
    )
}

fn petition(email: &str, challenge: Option<&str>) -> String {
    let mut body =
        serde_json::json!({ "name": "Оксана", "email": email, "country": "UA", "locale": "uk" });
    if let Some(answer) = challenge {
        body["challenge"] = answer.into();
    }
    body.to_string()
}

#[tokio::test]
async fn only_a_genuine_answer_signs_and_a_failed_one_learns_nothing() {
    let store = StoreUnderTest::embedded();
    let (url, asked) = provider().await;
    let state = state(&store, url);

    let person = sign(
        &state,
        "application/json",
        &petition("person@example.org", Some("genuine")),
    )
    .await;
    assert_eq!(person.0, 202);
    assert_eq!(store.changes().await.len(), 1);

    for answer in [
        Some("forged"),
        Some("elsewhere"),
        Some("other-action"),
        None,
    ] {
        let bot = sign(
            &state,
            "application/json",
            &petition("bot@example.org", answer),
        )
        .await;
        assert_eq!(bot, person, "the answer a person gets, byte for byte");
    }
    assert_eq!(
        store.changes().await.len(),
        1,
        "nothing stored for a failed challenge"
    );

    // A plain form carries the widget's own field.
    let form =
        "name=Olena&email=olena%40example.org&country=UA&locale=uk&cf-turnstile-response=genuine";
    let (status, headers, _) = sign(&state, "application/x-www-form-urlencoded", form).await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (303, "/uk/check-email/")
    );
    assert_eq!(store.changes().await.len(), 2);
    assert_eq!(
        asked.load(Ordering::SeqCst),
        5,
        "an empty answer is not even asked about"
    );
}

#[tokio::test]
async fn a_mistake_keeps_the_answer_unspent_and_shows_the_widget_again() {
    let store = StoreUnderTest::embedded();
    let (url, asked) = provider().await;
    let state = state(&store, url);
    let form = "name=&email=olena%40example.org&country=UA&locale=uk&cf-turnstile-response=genuine";
    let (status, headers, page) = sign(&state, "application/x-www-form-urlencoded", form).await;
    assert_eq!(status, 422);
    // The page's own policy lets in the provider's script and frame, and nothing else.
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains("script-src 'self' https://challenges.cloudflare.com;")
            && policy.contains("frame-src https://challenges.cloudflare.com;")
            && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "asked only of a petition fit to sign"
    );
    assert!(page.contains(
        r#"<div class="cf-turnstile" data-sitekey="site-key-1" data-action="sign"></div>"#
    ));
    assert!(
        page.replace("&#x2f;", "/")
            .contains("https://challenges.cloudflare.com/turnstile/v0/api.js")
    );
}

#[tokio::test]
async fn a_provider_that_cannot_be_asked_gets_a_retry_and_nothing_is_stored() {
    let store = StoreUnderTest::embedded();
    // A port nobody listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let state = state(&store, format!("http://{closed}/siteverify"));
    let (status, headers, _) = sign(
        &state,
        "application/json",
        &petition("person@example.org", Some("genuine")),
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(headers["retry-after"], "2");
    assert!(store.changes().await.is_empty());
}

#[test]
fn the_site_shows_the_widget_only_when_switched_on() {
    let settings = |challenge| people_first::pages::site::SiteSettings {
        origin: "https://people-first.example".into(),
        contact: "privacy@people-first.example".into(),
        goal: 100_000,
        challenge,
    };
    let home = |challenge| {
        people_first::pages::site::home_page(
            &settings(challenge),
            people_first::domain::Locale::Uk,
            &people_first::use_cases::supporters::first_supporters(),
        )
    };
    let off = home(None);
    assert!(!off.contains("turnstile") && !off.contains("data-sitekey"));
    let on = home(Some(widget()));
    assert!(on.contains(r#"data-sitekey="site-key-1""#));
    assert!(on.replace("&#x2f;", "/").contains(
        r#"<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer>"#
    ));
    // Parsing the petition knows every way the answer arrives.
    let form: PetitionForm = serde_urlencoded::from_str("h-captcha-response=abc").unwrap();
    assert_eq!(form.challenge_answer(), "abc");
}
