//! An organisation asking to join the list, end to end through the HTTP handlers, on the local
//! stack's parts and on AWS's parts: the request, its contact's email sent by the mailer from
//! the change feed or the table's stream, and the link that confirms it.

use people_first::testing as support;

use people_first::domain::Email;
use people_first::ports::Clock;
use serde_json::json;
use support::stack::{Stack, address, request};

fn asking(email: &str) -> serde_json::Value {
    json!({
        "organisation": "Memorial Deutschland e.V.", "country": "DE",
        "website": "https://memorial.de", "contact-name": "Anna Schmidt",
        "email": email, "locale": "de",
    })
}

async fn ask(stack: &Stack, email: &str) -> support::stack::Answer {
    stack
        .send(request(
            "POST",
            "/api/organisations",
            Some("application/json"),
            &asking(email).to_string(),
        ))
        .await
}

/// The `id` and `t` of the link in a contact's email.
fn link_in(email: &support::Delivered) -> (String, String) {
    let at = email
        .text
        .find("/api/organisations/confirm?id=")
        .expect("the email carries the link");
    let link = email.text[at..].split_whitespace().next().unwrap();
    let query: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(link.split_once('?').unwrap().1).unwrap();
    (query["id"].clone(), query["t"].clone())
}

async fn a_contacts_link_goes_out_through_the_mailer_and_confirms_the_request(stack: Stack) {
    let email = address("anna");
    let answer = ask(&stack, &email).await;
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (202, r#"{"status":"check-email"}"#)
    );
    assert!(
        stack.mail.sent_to(&email).await.is_empty(),
        "nothing is sent while the contact waits: the mailer sends it, at its pace"
    );
    let sent = stack.inbox(&email).await;
    assert_eq!(sent.len(), 1, "one email: {sent:?}");
    let (id, token) = link_in(&sent[0]);
    let pressed = stack
        .send(request(
            "POST",
            "/api/organisations/confirm",
            Some("application/json"),
            &json!({ "id": id, "t": token }).to_string(),
        ))
        .await;
    assert_eq!(
        (pressed.status, pressed.body.as_str()),
        (200, r#"{"status":"confirmed"}"#)
    );
    assert_eq!(
        stack.inbox(&email).await.len(),
        1,
        "the mailer sends a link once, and nothing when it is used"
    );
}

async fn a_contacts_link_that_expired_in_the_queue_is_not_mailed(stack: Stack) {
    use people_first::domain::retention::LINK_LIFETIME;
    let email = address("late");
    assert_eq!(ask(&stack, &email).await.status, 202);
    stack.clock.advance(LINK_LIFETIME.seconds());
    assert!(
        stack.inbox(&email).await.is_empty(),
        "no email with a dead link"
    );
}

async fn a_request_past_its_mailboxs_limit_is_answered_alike_and_mails_nothing(stack: Stack) {
    use people_first::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY;
    let email = address("flood");
    let answers: Vec<_> = futures_util::future::join_all(
        (0..=EMAILS_PER_MAILBOX_PER_DAY).map(|_| ask(&stack, &email)),
    )
    .await;
    for answer in &answers {
        assert_eq!((answer.status, &answer.headers), (202, &answers[0].headers));
    }
    assert_eq!(
        stack.inbox(&email).await.len(),
        EMAILS_PER_MAILBOX_PER_DAY as usize,
        "the mailbox gets its emails for the day and no more"
    );
}

async fn every_outcome_of_an_organisation_request_awaits_the_same_store_calls(stack: Stack) {
    use people_first::http::form::{PublicForm, SupportForm};
    use people_first::testing::recording::{Call, Recording};
    use people_first::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY;
    use people_first::use_cases::supporters::{request_silently, request_support};
    let store = Recording::of_both(stack.store.store.clone(), stack.store.supporters.clone());
    let keyring = support::keyring();
    let clock = stack.clock.as_ref();
    let parsed = |email: &str| {
        serde_json::from_value::<SupportForm>(asking(email))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (new, withheld) = (address("new"), address("withheld"));
    let mailbox = keyring.contact_mailbox_key(&Email::parse(&withheld).unwrap());
    while stack
        .store
        .store
        .count_email_to(&mailbox, clock.now(), EMAILS_PER_MAILBOX_PER_DAY)
        .await
        .unwrap()
    {}
    request_support(&store, &store, &keyring, clock, parsed(&new))
        .await
        .unwrap();
    let first = store.take();
    request_support(&store, &store, &keyring, clock, parsed(&withheld))
        .await
        .unwrap();
    let past_the_limit = store.take();
    request_silently(&store, &store, &keyring, clock)
        .await
        .unwrap();
    let bot = store.take();
    for (what, calls) in [
        ("new", first),
        ("past the limit", past_the_limit),
        ("bot", bot),
    ] {
        assert_eq!(
            calls,
            [Call::WriteMailbox, Call::WriteOrganisation],
            "{what}"
        );
    }
    assert_eq!(
        stack.inbox(&withheld).await.len(),
        0,
        "past the limit, nothing is mailed"
    );
    assert_eq!(stack.inbox(&new).await.len(), 1);
}

#[tokio::test]
async fn an_organisation_request_waits_for_the_floor_and_a_mistake_does_not() {
    // Lower bounds only, as for signing: a wait never ends early, however busy the machine.
    use people_first::http::answer_time::AnswerTime;
    let floor = std::time::Duration::from_millis(300);
    let mut stack = Stack::local();
    stack.supporters.answer_time = AnswerTime {
        floor,
        spread: std::time::Duration::from_millis(5),
    };
    let mut bot = asking(&address("bot"));
    bot["fax"] = "+49 30 1234567".into();
    let email = address("floor");
    for (what, body) in [
        ("new", asking(&email)),
        ("again", asking(&email)),
        ("bot", bot),
    ] {
        let started = std::time::Instant::now();
        let answer = stack
            .send(request(
                "POST",
                "/api/organisations",
                Some("application/json"),
                &body.to_string(),
            ))
            .await;
        let took = started.elapsed();
        assert_eq!(answer.status, 202, "{what}");
        assert!(took >= floor, "{what}: {took:?}");
    }
    let started = std::time::Instant::now();
    let mistake = stack
        .send(request(
            "POST",
            "/api/organisations",
            Some("application/json"),
            &json!({ "email": "not an address" }).to_string(),
        ))
        .await;
    assert_eq!(mistake.status, 422);
    assert!(started.elapsed() < floor, "a mistake is shown at once");
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    a_contacts_link_goes_out_through_the_mailer_and_confirms_the_request,
    a_contacts_link_that_expired_in_the_queue_is_not_mailed,
    a_request_past_its_mailboxs_limit_is_answered_alike_and_mails_nothing,
    every_outcome_of_an_organisation_request_awaits_the_same_store_calls,
);
