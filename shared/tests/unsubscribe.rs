//! Stopping the campaign's updates from the link in `List-Unsubscribe`, as a mail client's
//! one-click POST (RFC 8058) and as a person's click, on the local stack's parts and on AWS's.

use people_first::testing as support;

use support::stack::{Stack, address, request};
use support::{erase_token, link_token};

const FORM: &str = "application/x-www-form-urlencoded";

/// What Gmail posts: the RFC's marker, no cookie, no page.
const ONE_CLICK: &str = "List-Unsubscribe=One-Click";

fn petition(email: &str, locale: &str) -> serde_json::Value {
    serde_json::json!({
        "name": "Оксана Петренко", "email": email, "country": "UA", "locale": locale,
        "updates": true,
    })
}

async fn find(stack: &Stack, email: &str) -> Option<people_first::domain::Signature> {
    let signer = support::keyring().signer_key(&people_first::domain::Email::parse(email).unwrap());
    stack.store.store.find(&signer).await.unwrap()
}

/// Signs `email` up for updates, confirms it, and returns its unsubscribe link.
async fn confirmed_with_updates(stack: &Stack, email: &str, locale: &str) -> String {
    stack.sign_json(&petition(email, locale)).await;
    let mail = &stack.inbox(email).await[0];
    assert_eq!(stack.confirm_json(&link_token(mail)).await.status, 200);
    format!("/api/unsubscribe?t={}", erase_token(mail))
}

async fn a_one_click_post_stops_the_updates_and_keeps_the_signature(stack: Stack) {
    let email = address("olha");
    let link = confirmed_with_updates(&stack, &email, "uk").await;
    assert_eq!(stack.count().await, 1);

    let answer = stack
        .send(request("POST", &link, Some(FORM), ONE_CLICK))
        .await;
    assert_eq!(answer.status, 200, "answered in place, not redirected");
    assert_eq!(answer.header("content-language"), "uk");
    assert!(
        answer
            .body
            .contains("Ви більше не отримуватимете новин кампанії")
    );
    let signature = find(&stack, &email).await.expect("the signature stays");
    assert!(signature.is_confirmed() && !signature.updates);
    assert_eq!(signature.email, None, "kept only for the updates: gone");
    assert_eq!(stack.count().await, 1);

    let again = stack
        .send(request("POST", &link, Some(FORM), ONE_CLICK))
        .await;
    assert_eq!(again.status, 200, "a second click finds them stopped");
    let page = stack.send(request("GET", &link, None, "")).await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("<form"),
        "nothing left to stop: {}",
        page.body
    );
}

async fn a_get_shows_one_button_and_changes_nothing(stack: Stack) {
    let email = address("hanna");
    let link = confirmed_with_updates(&stack, &email, "de").await;
    for method in ["GET", "HEAD"] {
        let answer = stack.send(request(method, &link, None, "")).await;
        assert_eq!(answer.status, 200, "{method}");
    }
    let page = stack.send(request("GET", &link, None, "")).await;
    assert_eq!(page.header("content-language"), "de");
    assert_eq!(page.header("cache-control"), "no-store");
    assert_eq!(page.header("referrer-policy"), "no-referrer");
    assert!(
        page.body.contains(&format!(r#"action="{link}""#)),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"name="List-Unsubscribe" value="One-Click""#)
    );
    assert!(page.body.contains("Keine Neuigkeiten der Kampagne mehr"));
    let from_an_update = stack
        .send(request("GET", &format!("{link}&u=3"), None, ""))
        .await;
    assert!(
        from_an_update
            .body
            .contains(&format!(r#"action="{link}&amp;u=3""#)),
        "the button counts against the update too: {}",
        from_an_update.body
    );
    assert!(
        find(&stack, &email).await.unwrap().updates,
        "a GET changes nothing"
    );
}

async fn a_multipart_post_stops_them_too(stack: Stack) {
    let email = address("taras");
    let link = confirmed_with_updates(&stack, &email, "en").await;
    let boundary = "----pf1";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let answer = stack
        .send(request("POST", &link, Some(&content_type), &body))
        .await;
    assert_eq!(answer.status, 200);
    assert!(!find(&stack, &email).await.unwrap().updates);
}

async fn a_pending_signer_keeps_the_address_the_confirmation_needs(stack: Stack) {
    let email = address("petro");
    stack.sign_json(&petition(&email, "ru")).await;
    let link = format!(
        "/api/unsubscribe?t={}",
        erase_token(&stack.inbox(&email).await[0])
    );
    let answer = stack
        .send(request("POST", &link, Some(FORM), ONE_CLICK))
        .await;
    assert_eq!(answer.status, 200);
    let signature = find(&stack, &email).await.unwrap();
    assert!(!signature.updates && !signature.is_confirmed());
    assert!(signature.email.is_some(), "its confirmation still needs it");
}

async fn a_tampered_or_missing_token_stops_nothing(stack: Stack) {
    let email = address("ivan");
    let link = confirmed_with_updates(&stack, &email, "fr").await;
    let mut tampered = link.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for path in [
        tampered.as_str(),
        "/api/unsubscribe",
        "/api/unsubscribe?t=nothing",
    ] {
        let answer = stack
            .send(request("POST", path, Some(FORM), ONE_CLICK))
            .await;
        assert_eq!(answer.status, 404, "{path}");
    }
    let put = stack
        .send(request("PUT", &link, Some(FORM), ONE_CLICK))
        .await;
    assert_eq!(put.status, 405);
    assert!(find(&stack, &email).await.unwrap().updates);
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    a_one_click_post_stops_the_updates_and_keeps_the_signature,
    a_get_shows_one_button_and_changes_nothing,
    a_multipart_post_stops_them_too,
    a_pending_signer_keeps_the_address_the_confirmation_needs,
    a_tampered_or_missing_token_stops_nothing,
);
