//! The mail path guarding its reputation, on the local stack's parts and AWS's: mail without
//! the page's proof of work waits while the last hour's bounces say the guard is up, mail with
//! it goes, and the waiting mail goes once the hour is healthy again.

use people_first::testing as support;

use people_first::domain::mail_health::{MailHealth, STRETCH_SECONDS, WINDOW_SECONDS};
use people_first::domain::retention::LINK_LIFETIME;
use people_first::ports::Clock;
use people_first::use_cases::unproven::{ONE_IN, UnprovenMail};
use std::sync::Arc;
use support::stack::{Stack, address};

fn petition(email: &str) -> serde_json::Value {
    serde_json::json!({ "name": "Olena", "email": email, "country": "UA", "locale": "uk" })
}

/// SES reported a bounce for every twentieth email of the last hour.
async fn raise_the_guard(stack: &mut Stack) {
    stack.unproven = Arc::new(UnprovenMail::metered(ONE_IN));
    let bounces = MailHealth {
        sent: 1_000,
        bounced: 50,
        ..MailHealth::default()
    };
    stack
        .store
        .health
        .note_mail(stack.clock.now(), &bounces)
        .await
        .unwrap();
}

async fn mail_without_the_proof_waits_while_the_guard_is_up(mut stack: Stack) {
    raise_the_guard(&mut stack).await;
    let (proven, unproven) = (address("proven"), address("unproven"));
    let mut with_proof = petition(&proven);
    with_proof["proof"] = support::proof_for(&proven).into();
    assert_eq!(stack.sign_json(&with_proof).await.status, 202);
    assert_eq!(stack.sign_json(&petition(&unproven)).await.status, 202);

    assert!(
        stack.run_mailer().await.is_some(),
        "the unproven request goes back to wait"
    );
    assert_eq!(stack.mail.sent_to(&proven).await.len(), 1);
    assert!(stack.mail.sent_to(&unproven).await.is_empty());
    let counted = stack
        .store
        .health
        .recent_mail(stack.clock.now())
        .await
        .unwrap();
    assert_eq!(
        (
            counted.sent,
            counted.sent_unproven,
            counted.new_proven,
            counted.new_unproven
        ),
        (1_001, 0, 1, 1),
        "what went out, and what came in, is counted"
    );

    stack.clock.advance(WINDOW_SECONDS + STRETCH_SECONDS);
    assert_eq!(stack.run_mailer().await, None, "the hour is healthy again");
    assert_eq!(stack.mail.sent_to(&unproven).await.len(), 1);
    assert_eq!(
        stack.mail.sent_to(&proven).await.len(),
        1,
        "the proven email is not sent again"
    );
}

async fn mail_whose_link_died_while_it_waited_is_not_sent(mut stack: Stack) {
    raise_the_guard(&mut stack).await;
    let unproven = address("late");
    assert_eq!(stack.sign_json(&petition(&unproven)).await.status, 202);
    assert!(stack.run_mailer().await.is_some(), "held by the guard");

    stack.clock.advance(LINK_LIFETIME.seconds());
    assert_eq!(
        stack.run_mailer().await,
        None,
        "done with: signing again brings a new link"
    );
    assert!(
        stack.mail.sent_to(&unproven).await.is_empty(),
        "no email with a dead link"
    );
}

async fn an_organisations_request_with_the_proof_is_mailed_while_the_guard_is_up(mut stack: Stack) {
    raise_the_guard(&mut stack).await;
    let (proven, unproven) = (address("anna"), address("bot"));
    for (email, proof) in [
        (&proven, Some(support::proof_for(&proven))),
        (&unproven, None),
    ] {
        let asking = serde_json::json!({
            "organisation": "Memorial Deutschland e.V.", "country": "DE",
            "website": "https://memorial.de", "contact-name": "Anna Schmidt",
            "email": email, "locale": "de", "proof": proof,
        });
        let answer = stack
            .send(support::stack::request(
                "POST",
                "/api/organisations",
                Some("application/json"),
                &asking.to_string(),
            ))
            .await;
        assert_eq!(answer.status, 202);
    }
    assert!(stack.run_mailer().await.is_some(), "the unproven one waits");
    assert_eq!(stack.mail.sent_to(&proven).await.len(), 1);
    assert!(stack.mail.sent_to(&unproven).await.is_empty());
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    mail_without_the_proof_waits_while_the_guard_is_up,
    mail_whose_link_died_while_it_waited_is_not_sent,
    an_organisations_request_with_the_proof_is_mailed_while_the_guard_is_up,
);
