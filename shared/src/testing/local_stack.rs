//! Starting `people-first` as a person would, on a free port over a data folder.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Running {
    child: Child,
    pub base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(data_dir: &Path, binary: &str) -> Running {
    let mut child = Command::new(binary)
        .env("PORT", "0")
        .env("PEOPLE_FIRST_DATA_DIR", data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("it prints where it runs").unwrap();
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the first line names the address")
        .trim_end_matches('/')
        .to_owned();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Running { child, base }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A JSON document the stack serves at `url`.
async fn get_json<T: serde::de::DeserializeOwned>(http: &reqwest::Client, url: String) -> T {
    http.get(url).send().await.unwrap().json().await.unwrap()
}

/// Every email the local stack wrote to its outbox.
pub async fn mail(base: &str) -> Vec<serde_json::Value> {
    get_json(&client(), format!("{base}/_dev/mail.json")).await
}

/// Waits for the mailer to write the nth email: it runs apart from the request.
pub async fn wait_for_mail(base: &str, count: usize) -> Vec<serde_json::Value> {
    for _ in 0..100 {
        let mail = mail(base).await;
        if mail.len() >= count {
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no confirmation email after 5 s");
}

/// The count as `/api/count` answers it now.
pub async fn count(http: &reqwest::Client, base: &str) -> serde_json::Value {
    get_json(http, format!("{base}/api/count")).await
}

/// The count, once it reaches `total` (or as it stands after 5 s): the feed counts apart from
/// the request.
pub async fn wait_for_count(base: &str, total: u64) -> serde_json::Value {
    let mut count = serde_json::Value::Null;
    for _ in 0..100 {
        count = self::count(&client(), base).await;
        if count["total"] == total {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    count
}

/// Signs as a form would and confirms from the email's link; returns the email.
pub async fn sign_and_confirm(base: &str, fields: &[(&str, &str)]) -> serde_json::Value {
    sign_at_and_confirm(base, "/api/sign", fields).await
}

/// As `sign_and_confirm`, with the form sent to `path` (a partner's frame: `/api/frame?…`).
pub async fn sign_at_and_confirm(
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> serde_json::Value {
    let http = client();
    let signed = http
        .post(format!("{base}{path}"))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = signed.status();
    assert_eq!(status, 303, "{fields:?}: {}", signed.text().await.unwrap());
    let to = fields.iter().find(|(k, _)| *k == "email").unwrap().1;
    let email = wait_for_mail_to(base, to).await;
    let token = confirmation_token(&email);
    let pressed = http
        .post(format!("{base}/api/confirm"))
        .form(&[("t", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(pressed.status(), 303);
    email
}

/// The email sent to `to`, once the mailer has written it: it runs apart from the request.
pub async fn wait_for_mail_to(base: &str, to: &str) -> serde_json::Value {
    for _ in 0..100 {
        if let Some(email) = mail(base).await.into_iter().find(|m| m["to"] == to) {
            return email;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no email to {to} after 5 s");
}

/// The `t` of an email's confirmation link.
pub fn confirmation_token(email: &serde_json::Value) -> String {
    let text = email["text"].as_str().unwrap();
    text.split("/api/confirm?t=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a confirmation link")
        .to_owned()
}

/// A page's text, as a browser gets it.
pub async fn page_text(url: &str) -> String {
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}
