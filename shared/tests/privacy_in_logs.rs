//! No address, name, token or secret appears in the logs of a whole signing flow.
//!
//! A binary of its own: it captures what the process logs, which the other tests, running
//! beside it in one process, would disturb (tracing's interest in each call site is the
//! process's, not the thread's).

use people_first::testing as support;

use support::link_token;
use support::stack::{Stack, address, request};

async fn a_whole_flow(stack: &Stack, email: &str, name: &str) -> String {
    let body = serde_json::json!({ "name": name, "email": email, "country": "UA", "locale": "uk" });
    stack.sign_json(&body).await;
    stack.clock.advance(600);
    stack.sign_json(&body).await;
    let mail = stack.inbox(email).await;
    let token = link_token(mail.last().unwrap());
    stack.open_link(&token).await;
    stack.confirm_form(&token).await;
    stack.confirm_json(&token).await;
    let bad = serde_json::json!({ "name": name, "email": format!("{email}@"), "country": "ZZ", "locale": "uk" });
    stack.sign_json(&bad).await;
    stack
        .send(request(
            "POST",
            "/api/confirm",
            Some("application/json"),
            &format!(r#"{{"t":"{}x"}}"#, &token[..85]),
        ))
        .await;
    token
}

#[tokio::test]
async fn no_address_name_or_secret_is_logged_on_either_stack() {
    // The filter the functions run with, at its most verbose.
    let (captured, _guard) = support::logs::capture(tracing::Level::TRACE);

    let mut secrets = Vec::new();
    for stack in [Stack::local(), Stack::aws().await] {
        let email = address("svitlana");
        let name = "Світлана Приватна";
        let token = a_whole_flow(&stack, &email, name).await;
        let local_part = email.split('@').next().unwrap().to_owned();
        secrets.extend([
            email,
            local_part,
            name.to_owned(),
            "Приватна".to_owned(),
            token.clone(),
            token[43..].to_owned(),
        ]);
    }
    let logs = captured.text();
    assert!(
        logs.contains("signature recorded") && logs.contains("email sent"),
        "the flow was logged"
    );
    for secret in secrets {
        let line = logs
            .lines()
            .find(|l| l.contains(&secret))
            .unwrap_or_default();
        assert!(
            !logs.contains(&secret),
            "the logs contain {secret:?}: {line:.600}"
        );
    }
}
