//! Erasing a signature from the link in its email, end to end through the HTTP handlers, on the
//! local stack's parts and on AWS's parts (the count made from the table's real stream records).

use people_first::testing as support;

use support::stack::{Stack, address, request};
use support::{erase_token, link_token};

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

fn petition(email: &str) -> serde_json::Value {
    serde_json::json!({ "name": "Оксана Петренко", "email": email, "country": "UA", "locale": "uk" })
}

async fn find(stack: &Stack, email: &str) -> Option<people_first::domain::Signature> {
    let signer = support::keyring().signer_key(&people_first::domain::Email::parse(email).unwrap());
    stack.store.store.find(&signer).await.unwrap()
}

async fn every_email_carries_an_erasure_link_which_a_get_never_uses(stack: Stack) {
    let email = address("olha");
    stack.sign_json(&petition(&email)).await;
    let mail = stack.inbox(&email).await;
    let token = erase_token(&mail[0]);
    // The HTML escapes the slashes of the path.
    assert!(mail[0].html.contains(&format!("erase?t={token}")));
    assert!(
        mail[0]
            .list_unsubscribe
            .contains(&format!("/api/erase?t={token}>")),
        "List-Unsubscribe leads to the erasure page: {}",
        mail[0].list_unsubscribe
    );
    assert_ne!(token, link_token(&mail[0]), "its own secret");

    for method in ["GET", "HEAD"] {
        let answer = stack
            .send(request(method, &format!("/api/erase?t={token}"), None, ""))
            .await;
        assert_eq!(answer.status, 200, "{method}");
    }
    let page = stack
        .send(request("GET", &format!("/api/erase?t={token}"), None, ""))
        .await;
    assert!(page.body.contains(r#"action="/api/erase""#) && page.body.contains("lang=\"uk\""));
    assert!(
        find(&stack, &email).await.is_some(),
        "a GET changes nothing"
    );
}

async fn erasing_a_pending_signature_deletes_it_and_leaves_the_count(stack: Stack) {
    let email = address("petro");
    stack.sign_json(&petition(&email)).await;
    let token = erase_token(&stack.inbox(&email).await[0]);
    let erased = stack.erase(&token, FORM).await;
    assert_eq!(
        (erased.status, erased.header("location")),
        (303, "/uk/erased/")
    );
    assert!(find(&stack, &email).await.is_none());
    assert_eq!(stack.count().await, 0);
    // The link of a deleted signature can no longer confirm it.
    let confirm = link_token(&stack.inbox(&email).await[0]);
    assert_eq!(stack.confirm_json(&confirm).await.status, 404);
}

async fn erasing_a_confirmed_signature_twice_at_once_drops_the_count_once(stack: Stack) {
    let keep = address("stays");
    let email = address("ivan");
    for who in [&keep, &email] {
        stack.sign_json(&petition(who)).await;
        let token = link_token(&stack.inbox(who).await[0]);
        assert_eq!(stack.confirm_json(&token).await.status, 200);
    }
    assert_eq!(stack.count().await, 2);
    let token = erase_token(&stack.inbox(&email).await[0]);
    let (first, second) = tokio::join!(stack.erase(&token, JSON), stack.erase(&token, JSON));
    for answer in [&first, &second] {
        assert_eq!(
            (answer.status, answer.json()["status"].as_str()),
            (200, Some("erased"))
        );
    }
    assert!(find(&stack, &email).await.is_none());
    assert_eq!(stack.count().await, 1, "one signature left");
    assert_eq!(stack.erase(&token, JSON).await.status, 200, "idempotent");
    let erased_page = stack.open_erase_link(&token).await;
    assert_eq!(erased_page.status, 200);
    let old_confirm = link_token(&stack.inbox(&email).await[0]);
    let nothing_left = (
        stack.confirm_json(&old_confirm).await,
        stack.open_link(&old_confirm).await,
    );
    assert_eq!(stack.count().await, 1);

    // They may sign again later, with a new link to confirm and a new one to erase.
    stack.clock.advance(600);
    assert_eq!(stack.sign_json(&petition(&email)).await.status, 202);
    let mail = stack.inbox(&email).await;
    assert_eq!(mail.len(), 2);
    assert_ne!(erase_token(&mail[1]), token);
    assert_eq!(stack.confirm_json(&link_token(&mail[1])).await.status, 200);
    assert_eq!(stack.count().await, 2);
    // The old erasure link does not reach the new signature, and answers as it did when
    // nothing was left: it never tells that its signer signed again.
    let after_signing_again = stack.erase(&token, JSON).await;
    assert_eq!(
        (
            after_signing_again.status,
            after_signing_again.body.as_str()
        ),
        (200, r#"{"status":"erased"}"#)
    );
    assert!(find(&stack, &email).await.is_some());
    let opened = stack.open_erase_link(&token).await;
    assert_eq!(opened.status, 200);
    assert_eq!(
        opened.body, erased_page.body,
        "the page of a link with nothing left"
    );
    // So does the old confirmation link.
    let pressed = stack.confirm_json(&old_confirm).await;
    let shown = stack.open_link(&old_confirm).await;
    for (now, then) in [(&pressed, &nothing_left.0), (&shown, &nothing_left.1)] {
        assert_eq!((now.status, &now.body), (then.status, &then.body));
    }
}

async fn a_tampered_or_foreign_erasure_link_erases_nothing(stack: Stack) {
    let (olena, taras) = (address("olena"), address("taras"));
    stack.sign_json(&petition(&olena)).await;
    stack.sign_json(&petition(&taras)).await;
    let olena_token = erase_token(&stack.inbox(&olena).await[0]);
    let taras_token = erase_token(&stack.inbox(&taras).await[0]);
    // Olena's signer key with Taras's secret, and her confirmation link: well formed, they
    // answer as any dead link does and erase nothing. A token cut short is no link at all.
    let foreign = format!("{}{}", &olena_token[..43], &taras_token[43..]);
    let confirm = link_token(&stack.inbox(&olena).await[0]);
    for token in [foreign.as_str(), confirm.as_str()] {
        let answer = stack.erase(token, FORM).await;
        assert_eq!(answer.status, 303, "{token}");
    }
    let answer = stack.erase(&olena_token[..80], FORM).await;
    assert_eq!(answer.status, 404);
    assert!(
        answer.body.contains("lang=\"en\""),
        "a page in the browser's language"
    );
    assert!(find(&stack, &olena).await.is_some());
    assert!(find(&stack, &taras).await.is_some());
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    every_email_carries_an_erasure_link_which_a_get_never_uses,
    erasing_a_pending_signature_deletes_it_and_leaves_the_count,
    erasing_a_confirmed_signature_twice_at_once_drops_the_count_once,
    a_tampered_or_foreign_erasure_link_erases_nothing,
);
