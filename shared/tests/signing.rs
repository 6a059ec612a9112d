//! Signing and confirming, end to end through the HTTP handlers, on the local stack's parts and
//! on AWS's parts (DynamoDB and SES on the emulator, the mailer fed by the table's stream).

use people_first::testing as support;

use people_first::domain::{Email, Locale};
use people_first::http::form::PublicForm;
use people_first::ports::Consents;
use people_first::use_cases::sign::RESEND_INTERVAL_SECONDS;
use serde_json::json;
use support::link_token;
use support::stack::{Stack, address, request};

fn petition(email: &str, locale: &str) -> serde_json::Value {
    json!({ "name": "Оксана \"Ксюша\" Петренко & Co", "email": email, "country": "UA", "locale": locale })
}

async fn signing_answers_the_same_for_a_new_a_pending_and_a_confirmed_address(stack: Stack) {
    let email = address("oksana");
    let new = stack.sign_json(&petition(&email, "uk")).await;
    stack.clock.advance(600);
    let pending = stack.sign_json(&petition(&email, "uk")).await;
    let token = link_token(stack.inbox(&email).await.last().unwrap());
    assert_eq!(stack.confirm_json(&token).await.status, 200);
    let confirmed = stack.sign_json(&petition(&email, "uk")).await;
    for answer in [&new, &pending, &confirmed] {
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (202, r#"{"status":"check-email"}"#)
        );
        assert_eq!(answer.headers, new.headers);
    }
    let form = format!(
        "name=Oksana&email={}&country=UA&locale=uk",
        email.replace('@', "%40")
    );
    let by_form = stack.sign_form(&form).await;
    assert_eq!(
        (by_form.status, by_form.header("location")),
        (303, "/uk/check-email/")
    );
}

async fn the_pages_proof_of_work_is_kept_with_its_signature_and_the_latest_says(stack: Stack) {
    let email = address("proof");
    let signer = support::keyring().signer_key(&Email::parse(&email).unwrap());
    let proven = || async {
        stack
            .store
            .store
            .find(&signer)
            .await
            .unwrap()
            .unwrap()
            .proven
    };
    let mut body = petition(&email, "uk");
    body["proof"] = support::proof_for(&email).into();
    assert_eq!(stack.sign_json(&body).await.status, 202);
    assert!(proven().await);
    body["proof"] = support::proof_for(&address("someone-else")).into();
    assert_eq!(stack.sign_json(&body).await.status, 202, "answered alike");
    assert!(!proven().await, "another address's proof proves nothing");
    let form = format!(
        "name=Oksana&email={}&country=UA&locale=uk&proof={}",
        email.replace('@', "%40"),
        support::proof_for(&email)
    );
    assert_eq!(stack.sign_form(&form).await.status, 303);
    assert!(proven().await);
}

async fn every_outcome_of_signing_awaits_the_same_store_calls(stack: Stack) {
    use people_first::ports::Clock;
    use people_first::testing::recording::{Call, Recording};
    use people_first::use_cases::sign::{
        EMAILS_PER_MAILBOX_PER_DAY, SignOutcome, sign_petition, sign_silently,
    };
    let store = Recording::of(stack.store.store.clone());
    let keyring = support::keyring();
    let clock = stack.clock.as_ref();
    let parsed = |email: &str| {
        people_first::http::form::PetitionForm {
            name: Some("Оксана".into()),
            email: Some(email.into()),
            country: Some("UA".into()),
            locale: Some("uk".into()),
            ..Default::default()
        }
        .parse()
        .unwrap()
    };
    let sign = |email: String| {
        let (store, keyring) = (&store, &keyring);
        async move {
            let outcome = sign_petition(store, keyring, clock, parsed(&email))
                .await
                .unwrap();
            (outcome, store.take())
        }
    };
    let use_up_the_mailbox = |email: String| {
        let (store, keyring) = (&stack.store.store, &keyring);
        async move {
            let mailbox = keyring.mailbox_key(&Email::parse(&email).unwrap());
            while store
                .count_email_to(&mailbox, clock.now(), EMAILS_PER_MAILBOX_PER_DAY)
                .await
                .unwrap()
            {}
        }
    };
    let (new, pending, renewed, confirmed, withheld, withheld_pending) = (
        address("new"),
        address("pending"),
        address("renewed"),
        address("confirmed"),
        address("withheld"),
        address("withheld-pending"),
    );
    for email in [&pending, &renewed, &confirmed, &withheld_pending] {
        sign(email.clone()).await;
    }
    let signer = keyring.signer_key(&Email::parse(&confirmed).unwrap());
    let signature = stack.store.store.find(&signer).await.unwrap().unwrap();
    let (link, seen) = (signature.link.secret_hash, Consents::of(&signature));
    let confirming = stack
        .store
        .store
        .confirm(&signer, &link, clock.now(), &seen);
    assert!(confirming.await.unwrap());
    stack.clock.advance(RESEND_INTERVAL_SECONDS);
    sign(pending.clone()).await;
    use_up_the_mailbox(withheld.clone()).await;
    use_up_the_mailbox(withheld_pending.clone()).await;

    let outcomes = [
        sign(new).await,
        sign(pending).await,
        sign(renewed).await,
        sign(confirmed).await,
        sign(withheld).await,
        sign(withheld_pending).await,
        (
            sign_silently(&store, &keyring, clock).await.unwrap(),
            store.take(),
        ),
    ];
    let expected = [
        SignOutcome::Created,
        SignOutcome::Revised,
        SignOutcome::LinkRenewed,
        SignOutcome::Unchanged,
        SignOutcome::Withheld,
        SignOutcome::Withheld,
        SignOutcome::Silenced,
    ];
    for ((outcome, calls), expected) in outcomes.iter().zip(expected) {
        assert_eq!(*outcome, expected);
        assert_eq!(
            calls,
            &[
                Call::ReadSignature,
                Call::WriteMailbox,
                Call::WriteSignature
            ],
            "{outcome:?}"
        );
    }
}

async fn the_later_of_two_racing_submissions_decides_what_the_signature_says(stack: Stack) {
    use people_first::testing::recording::Recording;
    use people_first::use_cases::sign::{SignOutcome, sign_petition};
    let store = Recording::of(stack.store.store.clone());
    let keyring = support::keyring();
    let email = address("raced");
    let submission = |name: &str| {
        people_first::http::form::PetitionForm {
            name: Some(name.into()),
            email: Some(email.clone()),
            country: Some("UA".into()),
            locale: Some("uk".into()),
            ..Default::default()
        }
        .parse()
        .unwrap()
    };
    let clock = stack.clock.as_ref();
    let stranger = sign_petition(&store, &keyring, clock, submission("Stranger"));
    assert_eq!(stranger.await.unwrap(), SignOutcome::Created);
    // The owner's request read before the stranger's insert landed, and inserts after it.
    store.stale_for(1);
    let owner = sign_petition(&store, &keyring, clock, submission("Оксана"));
    assert_eq!(owner.await.unwrap(), SignOutcome::Revised);
    let signer = keyring.signer_key(&Email::parse(&email).unwrap());
    let stored = stack.store.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(stored.name.as_str(), "Оксана");
}

async fn signing_again_while_pending_sends_a_fresh_link_at_most_every_five_minutes(stack: Stack) {
    let email = address("mykola");
    stack.sign_json(&petition(&email, "uk")).await;
    stack.clock.advance(60);
    stack.sign_json(&petition(&email, "uk")).await;
    let mail = stack.inbox(&email).await;
    assert_eq!(
        mail.len(),
        1,
        "a second request within five minutes sends nothing"
    );
    let first = link_token(&mail[0]);

    stack.clock.advance(5 * 60);
    stack.sign_json(&petition(&email, "uk")).await;
    let mail = stack.inbox(&email).await;
    assert_eq!(mail.len(), 2, "after five minutes a fresh link is sent");
    let second = link_token(&mail[1]);
    assert_ne!(first, second);

    assert_eq!(
        stack.confirm_json(&first).await.status,
        404,
        "the old link is dead"
    );
    assert_eq!(stack.confirm_json(&second).await.status, 200);
}

async fn signing_again_when_confirmed_creates_nothing(stack: Stack) {
    let email = address("iryna");
    stack.sign_json(&petition(&email, "uk")).await;
    let token = link_token(&stack.inbox(&email).await[0]);
    stack.confirm_json(&token).await;
    let changes = stack.store.changes().await.len();
    stack.clock.advance(3600);
    assert_eq!(stack.sign_json(&petition(&email, "uk")).await.status, 202);
    assert_eq!(stack.store.changes().await.len(), changes);
    assert_eq!(stack.inbox(&email).await.len(), 1);
}

async fn clicking_the_link_shows_a_button_and_only_the_button_confirms(stack: Stack) {
    let email = address("olha");
    stack.sign_json(&petition(&email, "de")).await;
    let token = link_token(&stack.inbox(&email).await[0]);

    let page = stack.open_link(&token).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-language"), "de");
    assert!(
        page.body
            .contains(r#"<form method="post" action="/api/confirm">"#)
    );
    assert!(page.body.contains("Meine Unterschrift bestätigen"));
    let head = stack
        .send(request(
            "HEAD",
            &format!("/api/confirm?t={token}"),
            None,
            "",
        ))
        .await;
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(
        stack.store.confirmations().await,
        0,
        "GET and HEAD change nothing"
    );

    let pressed = stack.confirm_form(&token).await;
    assert_eq!(
        (pressed.status, pressed.header("location")),
        (303, "/de/thank-you/")
    );
    assert_eq!(stack.store.confirmations().await, 1);
    let again = stack.confirm_json(&token).await;
    assert_eq!(
        (again.status, again.json()),
        (200, json!({ "status": "confirmed" }))
    );
    assert_eq!(
        stack.store.confirmations().await,
        1,
        "confirming twice is harmless"
    );
}

async fn only_a_hash_of_the_secret_is_stored(stack: Stack) {
    let email = address("taras");
    stack.sign_json(&petition(&email, "en")).await;
    let token = link_token(&stack.inbox(&email).await[0]);
    let parsed = people_first::domain::LinkToken::parse(&token).unwrap();
    let stored = stack
        .store
        .store
        .find(&parsed.signer)
        .await
        .unwrap()
        .unwrap();
    let stored = serde_json::to_string(&stored).unwrap();
    let secret_hex: String = token_secret_hex(&token);
    assert!(
        !stored.contains(&secret_hex),
        "the secret itself is not stored"
    );
    assert!(!stored.contains(&token));
    assert!(
        stored.contains(&parsed.secret.hash().to_hex()),
        "its hash is"
    );
    assert!(
        stored.contains("\"expires_at\""),
        "an unconfirmed signature carries a TTL"
    );
}

fn token_secret_hex(token: &str) -> String {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .unwrap();
    bytes[32..].iter().fold(String::new(), |mut hex, b| {
        use std::fmt::Write;
        write!(hex, "{b:02x}").unwrap();
        hex
    })
}

async fn a_link_past_its_seven_days_answers_as_an_unknown_one_does(stack: Stack) {
    // Whoever holds an old email, or a seized phone, learns nothing from its link: not that the
    // signature was confirmed, nor that it waits, nor in which language it was signed.
    let pending = address("petro");
    let confirmed = address("olena");
    stack.sign_json(&petition(&pending, "fr")).await;
    stack.sign_json(&petition(&confirmed, "fr")).await;
    let pending_token = link_token(&stack.inbox(&pending).await[0]);
    let confirmed_token = link_token(&stack.inbox(&confirmed).await[0]);
    assert_eq!(stack.confirm_form(&confirmed_token).await.status, 303);
    stack.clock.advance(7 * 24 * 3600);

    let unknown = stack.open_link(&"A".repeat(86)).await;
    assert_eq!(unknown.status, 404);
    for token in [&pending_token, &confirmed_token] {
        let opened = stack.open_link(token).await;
        assert_eq!(
            (opened.status, &opened.body),
            (unknown.status, &unknown.body)
        );
        let pressed = stack.confirm_json(token).await;
        assert_eq!(pressed.status, 404);
        assert_eq!(pressed.json()["status"], "unknown-link");
    }
    assert!(
        unknown.body.contains(r#"href="/en/#sign""#),
        "it offers to sign again, in the browser's language"
    );
    assert_eq!(stack.store.confirmations().await, 1);
    assert_eq!(stack.open_link("garbage").await.status, 404);
}

async fn fifty_concurrent_confirmations_make_one_transition_and_all_succeed(stack: Stack) {
    let email = address("hanna");
    stack.sign_json(&petition(&email, "ru")).await;
    let token = link_token(&stack.inbox(&email).await[0]);
    let stack = std::sync::Arc::new(stack);
    let clicks: Vec<_> = (0..50)
        .map(|_| {
            let stack = stack.clone();
            let token = token.clone();
            tokio::spawn(async move { stack.confirm_json(&token).await.status })
        })
        .collect();
    for click in clicks {
        assert_eq!(click.await.unwrap(), 200);
    }
    assert_eq!(stack.store.confirmations().await, 1);
}

async fn the_confirmation_email_speaks_the_signers_language_and_escapes_their_name(stack: Stack) {
    let subjects = [
        (Locale::Fr, "Confirmez votre signature"),
        (Locale::En, "Confirm your signature"),
        (Locale::Uk, "Підтвердьте свій підпис"),
        (Locale::Ru, "Подтвердите подпись"),
        (Locale::De, "Bestätigen Sie Ihre Unterschrift"),
    ];
    for (locale, subject) in subjects {
        let email = address(locale.code());
        stack.sign_json(&petition(&email, locale.code())).await;
        let mail = stack.inbox(&email).await;
        let sent = &mail[0];
        assert!(
            sent.subject.starts_with(subject),
            "{locale}: {}",
            sent.subject
        );
        assert!(
            !sent.subject.contains('\u{2068}'),
            "no bidi marks in a subject"
        );
        assert!(
            sent.text.contains("Оксана \"Ксюша\" Петренко & Co"),
            "plain text carries the name as typed"
        );
        assert!(
            sent.html
                .contains("Оксана &quot;Ксюша&quot; Петренко &amp; Co"),
            "HTML escapes it"
        );
        assert!(
            sent.text
                .contains("https://people-first.example/api/confirm?t=")
        );
        assert!(
            !sent.html.contains("<img"),
            "no tracking pixel, no remote image"
        );
        assert_eq!(
            sent.list_unsubscribe,
            format!(
                "<https://people-first.example/api/erase?t={}>, \
                 <mailto:privacy@people-first.example?subject=unsubscribe>",
                support::erase_token(sent)
            )
        );
    }
}

// One table of cases, each a request and the answer it must get.
#[allow(clippy::too_many_lines)]
async fn bad_input_gets_a_clear_4xx_in_the_signers_language_and_stores_nothing(stack: Stack) {
    let email = address("bad");
    let long_name = "я".repeat(101);
    let cases: Vec<(&str, Option<&str>, String, u16, &str)> = vec![
        (
            "POST",
            Some("application/json"),
            json!({"name":"","email":email,"country":"UA","locale":"fr"}).to_string(),
            422,
            "Veuillez indiquer votre nom.",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":long_name,"email":email,"country":"UA","locale":"de"}).to_string(),
            422,
            "höchstens 100 Zeichen",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":"A\u{7}B","email":email,"country":"UA","locale":"uk"}).to_string(),
            422,
            "символи",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":"Anna","email":"anna@","country":"UA","locale":"ru"}).to_string(),
            422,
            "адрес электронной почты",
        ),
        // A name that shows other than it reads: a right-to-left override, a zero-width space.
        (
            "POST",
            Some("application/json"),
            json!({"name":"Olena\u{202E}lavoK","email":email,"country":"UA","locale":"fr"})
                .to_string(),
            422,
            "caractères",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":"Ole\u{200B}na","email":email,"country":"UA","locale":"de"}).to_string(),
            422,
            "Zeichen",
        ),
        // A name that would make our signed mail deliver a stranger's link.
        (
            "POST",
            Some("application/json"),
            json!({"name":"Win www.prize.example","email":email,"country":"UA","locale":"uk"})
                .to_string(),
            422,
            "без вебадреси",
        ),
        // Addresses SES would refuse to send to: a non-ASCII or a quoted part before the @.
        (
            "POST",
            Some("application/json"),
            json!({"name":"Anna","email":"анна@example.org","country":"UA","locale":"uk"})
                .to_string(),
            422,
            "латинськими літерами",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":"Anna","email":"\"anna\"@example.org","country":"FR","locale":"fr"})
                .to_string(),
            422,
            "sans guillemets",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":"Anna","email":email,"country":"XX","locale":"en"}).to_string(),
            422,
            "Please choose a country from the list.",
        ),
        (
            "POST",
            Some("application/json"),
            json!({"name":"Anna","email":email,"country":"UA","locale":"es"}).to_string(),
            422,
            "Please choose one of the campaign’s languages.",
        ),
        (
            "POST",
            Some("application/json"),
            format!(
                r#"{{"name":"{}","email":"{email}","country":"UA","locale":"en"}}"#,
                "x".repeat(17_000)
            ),
            413,
            "too large",
        ),
        (
            "POST",
            Some("text/plain"),
            "name=Anna".into(),
            415,
            "form or as JSON",
        ),
        (
            "POST",
            Some("application/json"),
            "{\"name\": ".into(),
            400,
            "could not be read",
        ),
        (
            "POST",
            Some("application/json"),
            String::new(),
            400,
            "could not be read",
        ),
        ("GET", None, String::new(), 405, "does not accept"),
        (
            "PUT",
            Some("application/json"),
            petition(&email, "en").to_string(),
            405,
            "does not accept",
        ),
    ];
    for (method, content_type, body, status, message) in cases {
        let answer = stack
            .send(request(method, "/api/sign", content_type, &body))
            .await;
        assert_eq!(
            answer.status, status,
            "{method} {content_type:?} {body:.80}"
        );
        assert!(
            answer.body.contains(message),
            "{status}: {} lacks {message:?}",
            answer.body
        );
    }
    let form = stack
        .sign_form(&format!(
            "name=&email={}&country=UA&locale=fr",
            email.replace('@', "%40")
        ))
        .await;
    assert_eq!(form.status, 422);
    assert!(
        form.body.contains("Veuillez indiquer votre nom."),
        "the form comes back in French"
    );
    assert!(
        form.body.contains(&format!(r#"value="{email}""#)),
        "and keeps what was typed"
    );
    let signer = support::keyring().signer_key(&Email::parse(&email).unwrap());
    assert_eq!(stack.store.store.find(&signer).await.unwrap(), None);
    assert!(stack.store.changes().await.is_empty(), "nothing was stored");
    assert!(stack.inbox(&email).await.is_empty(), "nothing was sent");
}

/// What bots send: a filled honeypot, or a form sent faster than a person could fill it. They get
/// the answer a person gets, byte for byte, and nothing is stored or sent.
async fn bot_signs_get_the_same_answer_and_nothing_happens(stack: Stack) {
    let person = stack.sign_json(&petition(&address("person"), "en")).await;
    let mut honeypot = petition(&address("bot"), "en");
    honeypot["website"] = json!("https://spam.example");
    let mut hasty = petition(&address("script"), "en");
    hasty["elapsed"] = json!(people_first::domain::challenge::MIN_FILL_MILLIS - 1);
    let mut unhurried = petition(&address("reader"), "en");
    unhurried["elapsed"] = json!(people_first::domain::challenge::MIN_FILL_MILLIS);
    for bot in [&honeypot, &hasty] {
        let answer = stack.sign_json(bot).await;
        assert_eq!(
            (answer.status, &answer.headers, &answer.body),
            (person.status, &person.headers, &person.body)
        );
    }
    assert_eq!(stack.sign_json(&unhurried).await.status, 202);
    assert_eq!(
        stack.store.changes().await.len(),
        2,
        "only the person and the reader are stored"
    );
    for bot in [&honeypot, &hasty] {
        assert!(stack.inbox(bot["email"].as_str().unwrap()).await.is_empty());
    }
}

async fn five_quick_signs_of_one_pending_address_send_at_most_two_emails(stack: Stack) {
    let email = address("impatient");
    assert_eq!(stack.sign_json(&petition(&email, "uk")).await.status, 202);
    assert_eq!(stack.inbox(&email).await.len(), 1);
    for wait in [40, 90, 120, 70] {
        stack.clock.advance(wait);
        assert_eq!(stack.sign_json(&petition(&email, "uk")).await.status, 202);
    }
    // 320 seconds in all: one fresh link once five minutes had passed.
    assert_eq!(stack.inbox(&email).await.len(), 2);
}

async fn one_mailbox_gets_at_most_three_confirmation_emails_a_day_whatever_its_tags(stack: Stack) {
    // Distinct signers at a provider whose tags do not fold for identity: one mailbox all the same.
    let mailbox = address("victim");
    let (local, domain) = mailbox.split_once('@').unwrap();
    let tagged = |n: u32| format!("{local}+{n}@{domain}");
    for n in 1..=5 {
        assert_eq!(
            stack.sign_json(&petition(&tagged(n), "uk")).await.status,
            202
        );
    }
    let mut emails = 0;
    for n in 1..=5 {
        emails += stack.inbox(&tagged(n)).await.len();
    }
    assert_eq!(emails, 3);
    // The next day the mailbox may be written to again.
    stack.clock.advance(86_400);
    assert_eq!(
        stack.sign_json(&petition(&tagged(6), "uk")).await.status,
        202
    );
    assert_eq!(stack.inbox(&tagged(6)).await.len(), 1);
}

async fn signing_past_the_mailboxs_limit_leaves_its_last_link_working(stack: Stack) {
    // Someone signs again and again with another's address, each time as a fresh link is due.
    let email = address("targeted");
    let mut mail = Vec::new();
    for _ in 0..4 {
        assert_eq!(stack.sign_json(&petition(&email, "uk")).await.status, 202);
        mail = stack.inbox(&email).await;
        stack.clock.advance(RESEND_INTERVAL_SECONDS + 1);
    }
    // Past the limit, the address's owner still decides what the live link confirms.
    let owner = json!({"name": "Оксана Петренко", "email": email, "country": "UA", "locale": "uk"});
    assert_eq!(stack.sign_json(&owner).await.status, 202);
    let signer = support::keyring().signer_key(&Email::parse(&email).unwrap());
    let pending = stack.store.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(pending.name.as_str(), "Оксана Петренко");
    assert_eq!(mail.len(), 3, "the fourth email was withheld");
    // The fourth signing renewed nothing: the link last sent still confirms.
    let last = mail.last().unwrap();
    assert_eq!(stack.confirm_form(&link_token(last)).await.status, 303);
    assert_eq!(stack.store.confirmations().await, 1);
}

async fn the_last_submission_for_a_pending_address_decides_what_its_link_confirms(stack: Stack) {
    let email = address("owner");
    // A stranger uses the address first, with a name and choices of their own.
    let stranger = json!({
        "name": "Someone Else", "email": email, "country": "RU", "locale": "ru", "updates": true
    });
    assert_eq!(stack.sign_json(&stranger).await.status, 202);
    let mail = stack.inbox(&email).await;
    assert_eq!(mail.len(), 1);
    // The page of that link shows what its button would confirm, and a way to sign otherwise.
    let token = link_token(&mail[0]);
    let shown = stack.open_link(&token).await;
    for what in [
        "Someone Else",
        "Россия",
        "Да, по электронной почте",
        "Подписать ещё раз",
    ] {
        assert!(shown.body.contains(what), "{what}: {}", shown.body);
    }

    // The address's owner signs a minute later: no second email, and the link they have now
    // confirms their own choices, in their language.
    stack.clock.advance(60);
    let owner = json!({
        "name": "Оксана Петренко", "email": email, "country": "UA", "locale": "uk", "updates": false
    });
    assert_eq!(stack.sign_json(&owner).await.status, 202);
    assert_eq!(stack.inbox(&email).await.len(), 1);
    let shown = stack.open_link(&token).await;
    for what in ["Оксана Петренко", "Україна", "<dd>Ні</dd>"] {
        assert!(shown.body.contains(what), "{what}: {}", shown.body);
    }
    assert!(!shown.body.contains("Someone Else"));
    assert_eq!(stack.confirm_form(&token).await.status, 303);
    let signer = support::keyring().signer_key(&Email::parse(&email).unwrap());
    let confirmed = stack.store.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(
        (
            confirmed.name.as_str(),
            confirmed.country.code(),
            confirmed.updates
        ),
        ("Оксана Петренко", "UA", false)
    );
    assert_eq!(
        confirmed.email, None,
        "no updates asked: the address is forgotten"
    );
}

async fn a_store_failure_answers_503_with_retry_after(stack: Stack) {
    // The emulator's table is deleted under the running handler: every write now fails.
    let support::Feed::Dynamo { config, table } = &stack.store.feed else {
        unreachable!()
    };
    aws_sdk_dynamodb::Client::new(config)
        .delete_table()
        .table_name(table)
        .send()
        .await
        .unwrap();
    let answer = stack.sign_json(&petition(&address("late"), "uk")).await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.header("retry-after"), "2");
    assert!(
        answer.body.contains("спробуйте ще раз"),
        "in the signer's language: {}",
        answer.body
    );
}

#[tokio::test]
async fn every_taken_request_waits_for_the_floor_and_a_mistake_does_not() {
    // Lower bounds only: a wait never ends early, however busy the machine. The floor is long
    // enough that a mistake, answered at once, is far below it.
    use people_first::http::answer_time::AnswerTime;
    let floor = std::time::Duration::from_millis(300);
    let mut stack = Stack::local();
    stack.sign.answer_time = AnswerTime {
        floor,
        spread: std::time::Duration::from_millis(5),
    };
    let email = address("floor");
    let timed = |body: serde_json::Value| {
        let stack = &stack;
        async move {
            let started = std::time::Instant::now();
            let answer = stack.sign_json(&body).await;
            (answer.status, started.elapsed())
        }
    };
    let mut bot = petition(&address("bot"), "uk");
    bot["website"] = "https://example.org".into();
    for (what, body) in [
        ("new", petition(&email, "uk")),
        ("pending", petition(&email, "uk")),
        ("bot", bot),
    ] {
        let (status, took) = timed(body).await;
        assert_eq!(status, 202, "{what}");
        assert!(took >= floor, "{what}: {took:?}");
    }
    let (status, took) = timed(json!({ "email": "not an address" })).await;
    assert_eq!(status, 422);
    assert!(
        took < floor,
        "a mistake depends on the input alone, and is shown at once: {took:?}"
    );
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    the_last_submission_for_a_pending_address_decides_what_its_link_confirms,
    signing_past_the_mailboxs_limit_leaves_its_last_link_working,
    one_mailbox_gets_at_most_three_confirmation_emails_a_day_whatever_its_tags,
    signing_answers_the_same_for_a_new_a_pending_and_a_confirmed_address,
    every_outcome_of_signing_awaits_the_same_store_calls,
    the_pages_proof_of_work_is_kept_with_its_signature_and_the_latest_says,
    the_later_of_two_racing_submissions_decides_what_the_signature_says,
    signing_again_while_pending_sends_a_fresh_link_at_most_every_five_minutes,
    signing_again_when_confirmed_creates_nothing,
    clicking_the_link_shows_a_button_and_only_the_button_confirms,
    only_a_hash_of_the_secret_is_stored,
    a_link_past_its_seven_days_answers_as_an_unknown_one_does,
    fifty_concurrent_confirmations_make_one_transition_and_all_succeed,
    the_confirmation_email_speaks_the_signers_language_and_escapes_their_name,
    bad_input_gets_a_clear_4xx_in_the_signers_language_and_stores_nothing,
    bot_signs_get_the_same_answer_and_nothing_happens,
    five_quick_signs_of_one_pending_address_send_at_most_two_emails,
);

#[tokio::test]
async fn a_store_failure_on_aws_answers_503_with_retry_after() {
    a_store_failure_answers_503_with_retry_after(Stack::aws().await).await;
}
