//! `people-first` as a person runs it: the binary started on a free port over a data folder,
//! signed and confirmed through its HTTP interface, then restarted.

use people_first::testing::local_stack as support;

use std::path::Path;
use std::process::Command;
use support::{Running, client, mail, page_text, wait_for_count, wait_for_mail};

fn start(data_dir: &Path) -> Running {
    support::start(data_dir, env!("CARGO_BIN_EXE_people-first"))
}

// A person's whole visit, read top to bottom.
#[allow(clippy::too_many_lines)]
#[tokio::test]
async fn a_person_signs_reads_the_email_confirms_and_the_data_survives_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let stack = start(data.path());
    let base = stack.base.clone();
    let http = client();

    let home = http
        .get(format!("{base}/"))
        .header("accept-language", "de-DE,de;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 302);
    assert_eq!(home.headers()["location"], "/de/");
    assert_eq!(home.headers()["vary"], "Accept-Language");
    let form = page_text(&format!("{base}/de/")).await;
    assert!(
        form.contains(r#"<form method="post" action="/api/sign""#)
            && form.contains("Unterzeichnen")
    );
    assert_eq!(
        http.get(format!("{base}/assets/site.css"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let signed = http
        .post(format!("{base}/api/sign"))
        .form(&[
            ("name", "Jana Müller"),
            ("email", "jana@example.org"),
            ("country", "DE"),
            ("locale", "de"),
            ("updates", "on"),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    assert_eq!(signed.headers()["location"], "/de/check-email/");
    let check = page_text(&format!("{base}/de/check-email/")).await;
    assert!(check.contains("Sehen Sie in Ihrem Postfach nach"));

    let inbox = wait_for_mail(&base, 1).await;
    assert_eq!(inbox[0]["to"], "jana@example.org");
    let text = inbox[0]["text"].as_str().unwrap();
    let link = text
        .lines()
        .find(|l| l.starts_with(&format!("{base}/api/confirm?t=")))
        .expect("a link to this stack");
    let viewer = page_text(&format!("{base}/_dev/mail")).await;
    assert!(viewer.contains("Bestätigen Sie Ihre Unterschrift"));

    let page = page_text(link).await;
    let token = link.split("t=").nth(1).unwrap();
    assert!(page.contains(&format!(r#"name="t" value="{token}""#)));
    let pressed = http
        .post(format!("{base}/api/confirm"))
        .form(&[("t", token)])
        .send()
        .await
        .unwrap();
    assert_eq!(pressed.status(), 303);
    assert_eq!(pressed.headers()["location"], "/de/thank-you/");
    let thanks = page_text(&format!("{base}/de/thank-you/")).await;
    assert!(thanks.contains("Danke!"));

    // The in-process change feed counts the confirmation.
    let counted = wait_for_count(&base, 1).await;
    // One signature from Germany is not shown as Germany's: it is among the other countries.
    assert_eq!(
        (
            counted["total"].clone(),
            counted["countries"].clone(),
            counted["other_countries"].clone()
        ),
        (
            serde_json::json!(1),
            serde_json::json!({}),
            serde_json::json!(1)
        )
    );
    drop(stack);

    let restarted = start(data.path());
    let base = restarted.base.clone();
    assert_eq!(mail(&base).await.len(), 1, "the outbox survives");
    // A stack killed mid-write by an older version left a torn email: the others still show.
    let torn = "00000000000000000001-000000.json";
    std::fs::write(data.path().join("outbox").join(torn), br#"{"to": "torn"#).unwrap();
    assert_eq!(mail(&base).await.len(), 1, "a torn file hides no email");
    let viewer = page_text(&format!("{base}/_dev/mail")).await;
    assert!(viewer.contains(torn), "the viewer names the torn file");
    let again = http
        .post(format!("{base}/api/confirm"))
        .json(&serde_json::json!({ "t": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200, "the signature survives, confirmed");
    assert_eq!(
        again.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({ "status": "confirmed" })
    );
}

#[tokio::test]
async fn unknown_pages_get_a_localised_404_and_a_busy_port_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    let stack = start(data.path());
    let missing = client()
        .get(format!("{}/fr/nowhere/", stack.base))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing
            .text()
            .await
            .unwrap()
            .contains("Cette page n’existe pas.")
    );

    let port = stack.base.rsplit(':').next().unwrap();
    let second = Command::new(env!("CARGO_BIN_EXE_people-first"))
        .env("PORT", port)
        .env("PEOPLE_FIRST_DATA_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();
    assert!(!second.status.success());
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(
        message.contains("cannot listen") && message.contains("PORT"),
        "{message}"
    );
}

#[tokio::test]
async fn a_confirmation_is_counted_behind_more_unconfirmed_signatures_than_a_batch() {
    let data = tempfile::tempdir().unwrap();
    let stack = start(data.path());
    let base = stack.base.clone();
    let http = client();
    for n in 0..60 {
        let body = serde_json::json!({ "name": "Anna", "email": format!("waiting{n}@example.org"), "country": "PL", "locale": "en" });
        assert_eq!(
            http.post(format!("{base}/api/sign"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status(),
            202
        );
    }
    let body = serde_json::json!({ "name": "Jana", "email": "jana@example.org", "country": "CZ", "locale": "en" });
    http.post(format!("{base}/api/sign"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let inbox = wait_for_mail(&base, 61).await;
    let mail = inbox
        .iter()
        .find(|m| m["to"] == "jana@example.org")
        .unwrap();
    let text = mail["text"].as_str().unwrap();
    let token = text[text.find("t=").unwrap() + 2..]
        .split_whitespace()
        .next()
        .unwrap();
    let confirmed = http
        .post(format!("{base}/api/confirm"))
        .json(&serde_json::json!({ "t": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    assert_eq!(
        wait_for_count(&base, 1).await["total"],
        1,
        "the count reached the confirmation past sixty unconfirmed signatures"
    );
}

/// What the server answers to `raw`, written as is on a fresh connection: the status line, or
/// "closed" when it closes the connection without one. Gives up after 30 s.
async fn raw_answer(base: &str, raw: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(raw).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(
        read.is_ok(),
        "the server still held the connection after 30 s"
    );
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .map_or_else(|| "closed".to_owned(), str::to_owned)
}

#[tokio::test]
async fn another_host_name_or_a_slow_client_gets_no_hold_on_the_local_stack() {
    let data = tempfile::tempdir().unwrap();
    let stack = start(data.path());
    let port = stack.base.rsplit(':').next().unwrap().to_owned();
    // A page on another name that resolves to this machine (DNS rebinding) reads nothing.
    let rebound = format!(
        "GET /_dev/mail.json HTTP/1.1\r\nHost: rebind.example:{port}\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(
        raw_answer(&stack.base, rebound.as_bytes()).await,
        "HTTP/1.1 421 Misdirected Request"
    );
    let by_name =
        format!("GET /api/count HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n");
    assert_eq!(
        raw_answer(&stack.base, by_name.as_bytes()).await,
        "HTTP/1.1 200 OK"
    );
    // Headers that never end, and a body that never comes, are cut off.
    let unfinished = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    let cut = raw_answer(&stack.base, unfinished.as_bytes()).await;
    assert!(cut == "closed" || cut.contains(" 408 "), "{cut}");
    let short_body = format!(
        "POST /api/sign HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\":"
    );
    assert_eq!(
        raw_answer(&stack.base, short_body.as_bytes()).await,
        "HTTP/1.1 408 Request Timeout"
    );
}
