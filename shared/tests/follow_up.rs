//! The mail after the confirmations: one reminder a day after a pending signature's email, and
//! the campaign's updates to the confirmed signers who asked, once each, in their language, on
//! the local stack's parts and on AWS's (DynamoDB, SES and SQS on the emulator).

use people_first::domain::{Locale, UpdateNumber, UpdateText};
use people_first::ports::{Clock, MailError, Mailer, OutgoingEmail};
use people_first::testing as support;
use people_first::use_cases::follow_up::Stopped;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::stack::{Stack, address, request};
use support::{Delivered, link_token};

fn later() -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_mins(1)
}

fn petition(email: &str, locale: &str, updates: bool) -> serde_json::Value {
    serde_json::json!({
        "name": "Оксана", "email": email, "country": "UA", "locale": locale, "updates": updates,
    })
}

/// As the page sends it, its proof of work done: only such signers are reminded.
fn proven(email: &str, locale: &str) -> serde_json::Value {
    let mut body = petition(email, locale, false);
    body["proof"] = support::proof_for(email).into();
    body
}

async fn confirmed(stack: &Stack, name: &str, locale: &str, updates: bool) -> String {
    let email = address(name);
    stack.sign_json(&petition(&email, locale, updates)).await;
    let token = link_token(&stack.inbox(&email).await[0]);
    assert_eq!(stack.confirm_json(&token).await.status, 200);
    email
}

fn texts() -> std::collections::BTreeMap<Locale, UpdateText> {
    [
        (Locale::En, "# Geneva next\n\nThank you. Next: **Geneva**."),
        (Locale::Uk, "# Далі — Женева\n\nДякуємо. Далі — **Женева**."),
    ]
    .into_iter()
    .map(|(locale, markdown)| (locale, UpdateText::parse(markdown).unwrap()))
    .collect()
}

async fn updates_to(stack: &Stack, email: &str) -> Vec<Delivered> {
    let mail = stack.mail.sent_to(email).await;
    mail.into_iter()
        .filter(|m| m.list_unsubscribe.contains("/api/unsubscribe"))
        .collect()
}

async fn an_update_goes_once_to_each_signer_who_asked_in_their_language(stack: Stack) {
    let olha = confirmed(&stack, "olha", "uk", true).await;
    let ivan = confirmed(&stack, "ivan", "en", true).await;
    let jean = confirmed(&stack, "jean", "fr", false).await;
    let petro = address("petro");
    stack.sign_json(&petition(&petro, "ru", true)).await;
    stack.inbox(&petro).await;
    let added = stack
        .store
        .updates
        .add_update(&texts(), support::SIGNED_AT)
        .await;
    assert_eq!(added.unwrap(), Ok(UpdateNumber::FIRST));

    let run = stack.run_follow_up(None, false, later()).await;
    assert_eq!((run.updates_sent, run.stopped), (2, Stopped::Idle));
    let to_olha = updates_to(&stack, &olha).await;
    assert_eq!(to_olha.len(), 1);
    assert_eq!(to_olha[0].subject, "Далі — Женева");
    assert!(to_olha[0].html.contains("<strong>Женева</strong>"));
    assert_eq!(
        to_olha[0].list_unsubscribe_post,
        "List-Unsubscribe=One-Click"
    );
    assert!(
        to_olha[0].list_unsubscribe.contains("&u=1>"),
        "{}",
        to_olha[0].list_unsubscribe
    );
    assert_eq!(updates_to(&stack, &ivan).await[0].subject, "Geneva next");
    assert!(updates_to(&stack, &jean).await.is_empty(), "did not ask");
    assert!(updates_to(&stack, &petro).await.is_empty(), "not confirmed");

    let again = stack.run_follow_up(None, false, later()).await;
    assert_eq!(again.updates_sent, 0);
    assert_eq!(updates_to(&stack, &olha).await.len(), 1, "once");
    let update = stack
        .store
        .updates
        .update(UpdateNumber::FIRST)
        .await
        .unwrap()
        .unwrap();
    assert!(update.done);
    assert_eq!(update.counts.sent, 2);

    // Gmail's one-click POST, to the link the update's header carries.
    let header = &to_olha[0].list_unsubscribe;
    let link = &header[header.find("/api/unsubscribe").unwrap()..header.find('>').unwrap()];
    let form = "application/x-www-form-urlencoded";
    let answer = stack
        .send(request(
            "POST",
            link,
            Some(form),
            "List-Unsubscribe=One-Click",
        ))
        .await;
    assert_eq!(answer.status, 200);
    let counted = stack
        .store
        .updates
        .update(UpdateNumber::FIRST)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(counted.counts.unsubscribed, 1);
    stack
        .send(request(
            "POST",
            link,
            Some(form),
            "List-Unsubscribe=One-Click",
        ))
        .await;
    let counted = stack
        .store
        .updates
        .update(UpdateNumber::FIRST)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        counted.counts.unsubscribed, 1,
        "a second click counts nothing more"
    );
}

async fn confirmation_emails_go_first(stack: Stack) {
    let olha = confirmed(&stack, "olha", "uk", true).await;
    stack
        .store
        .updates
        .add_update(&texts(), support::SIGNED_AT)
        .await
        .unwrap()
        .unwrap();
    let run = stack.run_follow_up(None, true, later()).await;
    assert_eq!(
        (run.updates_sent, run.stopped),
        (0, Stopped::ConfirmationsFirst)
    );
    assert!(updates_to(&stack, &olha).await.is_empty());
    let past = stack
        .run_follow_up(None, false, tokio::time::Instant::now())
        .await;
    assert_eq!((past.updates_sent, past.stopped), (0, Stopped::Deadline));
}

/// SES failing after `works` emails with `fault`: the run stops and the rest waits.
struct FailingAfter<'a> {
    works: usize,
    fault: fn() -> MailError,
    sent: AtomicUsize,
    mailer: &'a dyn Mailer,
}

impl<'a> FailingAfter<'a> {
    fn new(works: usize, fault: fn() -> MailError, mailer: &'a dyn Mailer) -> Self {
        Self {
            works,
            fault,
            sent: AtomicUsize::new(0),
            mailer,
        }
    }
}

#[async_trait::async_trait]
impl Mailer for FailingAfter<'_> {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        if self.sent.fetch_add(1, Ordering::SeqCst) >= self.works {
            return Err((self.fault)());
        }
        self.mailer.send(email).await
    }
}

async fn a_run_stopped_midway_goes_on_and_sends_nobody_a_second(stack: Stack) {
    let mut signers = Vec::new();
    for name in ["a", "b", "c", "d", "e", "f"] {
        signers.push(confirmed(&stack, name, "en", true).await);
    }
    let updates = stack.store.updates.as_ref();
    updates
        .add_update(&texts(), support::SIGNED_AT)
        .await
        .unwrap()
        .unwrap();
    let mailer = stack.mail.mailer.as_ref();
    // SES's quota spent: the email surely did not go, and its claim is given back.
    let spent = FailingAfter::new(2, || MailError::QuotaSpent("spent".into()), mailer);
    let first = stack.run_follow_up(Some(&spent), false, later()).await;
    assert_eq!((first.updates_sent, first.stopped), (2, Stopped::Later));
    let update = updates.update(UpdateNumber::FIRST).await.unwrap().unwrap();
    assert!(!update.done && update.counts.sent == 2, "{update:?}");
    let claims = updates.claims(UpdateNumber::FIRST).await.unwrap();
    assert_eq!((claims.sent, claims.unsettled), (2, 0), "given back");
    // A fault, which may come after SES took the email: it stays claimed, never sent twice.
    let faulty = FailingAfter::new(1, || MailError::Unavailable("timeout".into()), mailer);
    let second = stack.run_follow_up(Some(&faulty), false, later()).await;
    assert_eq!((second.updates_sent, second.stopped), (1, Stopped::Later));
    let claims = updates.claims(UpdateNumber::FIRST).await.unwrap();
    assert_eq!((claims.sent, claims.unsettled), (3, 1));
    let third = stack.run_follow_up(None, false, later()).await;
    assert_eq!((third.updates_sent, third.stopped), (2, Stopped::Idle));
    let mut missing = 0;
    for signer in &signers {
        let got = updates_to(&stack, signer).await.len();
        assert!(got <= 1, "{signer} got {got}");
        missing += usize::from(got == 0);
    }
    assert_eq!(missing, 1, "the one whose fate SES left unknown");
}

async fn the_guard_up_holds_the_follow_up_mail(stack: Stack) {
    let olha = confirmed(&stack, "olha", "uk", true).await;
    let updates = stack.store.updates.as_ref();
    updates
        .add_update(&texts(), support::SIGNED_AT)
        .await
        .unwrap()
        .unwrap();
    let complaints = people_first::domain::mail_health::MailHealth {
        complained: 10,
        ..Default::default()
    };
    let now = stack.clock.now();
    stack
        .store
        .health
        .note_mail(now, &complaints)
        .await
        .unwrap();
    let run = stack.run_follow_up(None, false, later()).await;
    assert_eq!((run.updates_sent, run.stopped), (0, Stopped::GuardUp));
    assert!(updates_to(&stack, &olha).await.is_empty());
    stack.clock.advance(2 * 3_600);
    let healthy = stack.run_follow_up(None, false, later()).await;
    assert_eq!(healthy.updates_sent, 1, "an hour on, the guard is down");
    let counted = stack
        .store
        .health
        .recent_mail(stack.clock.now())
        .await
        .unwrap();
    assert_eq!(counted.sent, 1, "counted as the mailers' sends are");
}

async fn the_reminder_goes_once_a_day_after_the_email(stack: Stack) {
    let waiting = address("waiting");
    stack.sign_json(&proven(&waiting, "uk")).await;
    let first = stack.inbox(&waiting).await;
    let quick = confirmed(&stack, "quick", "en", false).await;
    let bounced = address("bounced");
    stack.sign_json(&proven(&bounced, "en")).await;
    let bot = address("bot");
    stack.sign_json(&petition(&bot, "en", false)).await;
    stack.inbox(&bot).await;
    stack.inbox(&bounced).await;
    let keyring = support::keyring();
    let key = |email: &str| keyring.signer_key(&people_first::domain::Email::parse(email).unwrap());
    stack
        .store
        .store
        .mark_undeliverable(&key(&bounced))
        .await
        .unwrap();
    stack.clock.advance(10 * 3_600);
    let later_signer = address("later");
    stack.sign_json(&proven(&later_signer, "de")).await;
    stack.inbox(&later_signer).await;

    stack.clock.advance(13 * 3_600);
    assert_eq!(
        stack.run_follow_up(None, false, later()).await.reminded,
        0,
        "23 hours"
    );
    stack.clock.advance(3_600 + 1);
    assert_eq!(stack.run_follow_up(None, false, later()).await.reminded, 1);
    let mail = stack.mail.sent_to(&waiting).await;
    assert_eq!(mail.len(), 2);
    assert_eq!(
        mail[1].subject,
        "Нагадування: підтвердьте свій підпис для People First"
    );
    assert_eq!(
        link_token(&mail[1]),
        link_token(&first[0]),
        "the same live link"
    );
    assert_eq!(
        stack.mail.sent_to(&quick).await.len(),
        1,
        "confirmed: no reminder"
    );
    assert_eq!(
        stack.mail.sent_to(&bounced).await.len(),
        1,
        "bounced: no reminder"
    );

    stack.clock.advance(2 * 3_600);
    assert_eq!(
        stack.run_follow_up(None, false, later()).await.reminded,
        0,
        "never a second"
    );
    stack.clock.advance(9 * 3_600);
    assert_eq!(
        stack.run_follow_up(None, false, later()).await.reminded,
        1,
        "a day after its own email"
    );
    assert_eq!(stack.mail.sent_to(&later_signer).await.len(), 2);
    assert_eq!(stack.mail.sent_to(&waiting).await.len(), 2);

    assert_eq!(stack.confirm_json(&link_token(&mail[1])).await.status, 200);
    let signature = stack
        .store
        .store
        .find(&key(&waiting))
        .await
        .unwrap()
        .unwrap();
    assert!(signature.is_confirmed() && signature.reminded_at.is_some());
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    an_update_goes_once_to_each_signer_who_asked_in_their_language,
    confirmation_emails_go_first,
    a_run_stopped_midway_goes_on_and_sends_nobody_a_second,
    the_guard_up_holds_the_follow_up_mail,
    the_reminder_goes_once_a_day_after_the_email,
);
