//! The follow-up function as Lambda runs it, on the emulator's DynamoDB, SES and SQS: an update
//! staff send with the command line reaches a thousand signers in five languages once each,
//! also when the function is killed halfway and started again; SES's complaint and Gmail's
//! one-click POST stop a signer's updates; a pending signature is reminded once, a day on.

use people_first::domain::{Email, UpdateNumber};
use people_first::ports::{Clock, Consents};
use people_first::testing as support;
use std::collections::BTreeMap;
use std::time::Duration;
use support::runtime_api::{Function, deployed_environment, http_event};
use support::ses_events::{about_an_update, complaint, sns_delivery};
use support::{Delivered, Feed, MailerUnderTest, StoreUnderTest};

const SIGNERS: usize = 1_000;
const LOCALES: [&str; 5] = ["fr", "en", "uk", "ru", "de"];
/// The subject each language reads: English where staff wrote none (ru, de).
const SUBJECTS: [(&str, &str); 3] = [
    ("en", "Geneva next"),
    ("fr", "Prochaine étape : Genève"),
    ("uk", "Далі — Женева"),
];

/// Who a seeded signer is: `n` decides their language, and whether they asked and confirmed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Signer {
    Asked,
    DidNotAsk,
    Pending,
}

fn signer(n: usize) -> Signer {
    match n % 10 {
        0..=2 => Signer::DidNotAsk,
        3 | 4 => Signer::Pending,
        _ => Signer::Asked,
    }
}

fn scheduled_event() -> serde_json::Value {
    serde_json::json!({
        "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event", "source": "aws.events", "account": "123456789012",
        "time": "2026-12-06T08:00:00Z", "region": "eu-west-1",
        "resources": ["arn:aws:events:eu-west-1:123456789012:rule/follow-up"], "detail": {},
    })
}

/// The update emails SES took for this test's signers, by address.
async fn updates_sent(run: &str) -> BTreeMap<String, Vec<Delivered>> {
    let mut by_address = BTreeMap::<String, Vec<Delivered>>::new();
    for mail in support::emulator_sent_mail().await {
        if mail.to.contains(run) && mail.list_unsubscribe.contains("/api/unsubscribe") {
            by_address.entry(mail.to.clone()).or_default().push(mail);
        }
    }
    by_address
}

/// Writes the signers as signing and confirming would leave them, 25 to a call.
async fn seed(
    config: &aws_config::SdkConfig,
    table: &str,
    run: &str,
    now: people_first::domain::Timestamp,
) -> Vec<String> {
    use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
    let addresses: Vec<String> = (0..SIGNERS)
        .map(|n| format!("s{n}.{run}@example.org"))
        .collect();
    let items: Vec<WriteRequest> = addresses
        .iter()
        .enumerate()
        .map(|(n, address)| {
            let mut signature = support::pending_signature_at(address, "UA", now);
            signature.locale = people_first::domain::Locale::parse(LOCALES[n % 5]).unwrap();
            signature.updates = signer(n) != Signer::DidNotAsk;
            if signer(n) != Signer::Pending {
                signature.status = people_first::domain::SignatureStatus::Confirmed;
                signature.confirmed_at = Some(now);
                signature.expires_at = None;
                if !signature.updates {
                    signature.email = None;
                }
            }
            let item = serde_dynamo::to_item(&signature).unwrap();
            let put = PutRequest::builder().set_item(Some(item)).build().unwrap();
            WriteRequest::builder().put_request(put).build()
        })
        .collect();
    let client = aws_sdk_dynamodb::Client::new(config);
    for batch in items.chunks(25) {
        let written = client
            .batch_write_item()
            .request_items(table, batch.to_vec())
            .send()
            .await
            .unwrap();
        assert!(written.unprocessed_items.unwrap_or_default().is_empty());
    }
    addresses
}

/// Staff's update, in three of the five languages, sent with the command line; how many signers
/// it goes to.
fn send_the_update(staff: &support::StaffCommands) -> usize {
    let dir = tempfile::tempdir().unwrap();
    for (code, markdown) in [
        ("en", "# Geneva next\n\nThank you. Next: **Geneva**.\n"),
        (
            "fr",
            "# Prochaine étape : Genève\n\nMerci. Ensuite : **Genève**.\n",
        ),
        ("uk", "# Далі — Женева\n\nДякуємо. Далі — **Женева**.\n"),
    ] {
        std::fs::write(dir.path().join(format!("{code}.md")), markdown).unwrap();
    }
    let said = staff.run(&["updates", "send", dir.path().to_str().unwrap(), "--yes"]);
    let asked = (0..SIGNERS).filter(|n| signer(*n) == Signer::Asked).count();
    assert!(said.contains(&format!("goes to {asked} signers")), "{said}");
    assert!(said.contains("Update 1 is on its way"), "{said}");
    asked
}

/// Runs the follow-up function, kills it once a third went, as a crashed Lambda is, then runs
/// it again until nothing is left.
async fn send_with_a_kill(store: &StoreUnderTest, env: &[(&str, String)], asked: usize) {
    let mut follow_up = Function::start("follow-up", env).await;
    tokio::select! {
        _ = follow_up.invoke(scheduled_event()) => panic!("it was to be killed before the end"),
        () = async {
            let claims = || store.updates.claims(UpdateNumber::FIRST);
            while claims().await.unwrap().sent < asked as u64 / 3 {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        } => {}
    }
    drop(follow_up);
    let mut follow_up = Function::start("follow-up", env).await;
    for _ in 0..20 {
        let answer = follow_up.invoke(scheduled_event()).await.unwrap();
        if answer["stopped"] == "Idle" {
            return;
        }
    }
    panic!("the update was not sent in 20 runs");
}

/// Checks that each signer who asked got the update once in their language, nobody else any,
/// and that only a claim the kill left unsettled may be missing.
fn each_got_one(addresses: &[String], sent: &BTreeMap<String, Vec<Delivered>>, lost: u64) {
    let mut missing = 0;
    for (n, address) in addresses.iter().enumerate() {
        let got = sent.get(address).map_or(0, Vec::len);
        match signer(n) {
            Signer::Asked => {
                assert!(got <= 1, "{address} got {got}");
                missing += u64::from(got == 0);
            }
            other => assert_eq!(got, 0, "{address} is {other:?}"),
        }
        if let Some(mail) = sent.get(address).and_then(|m| m.first()) {
            let locale = LOCALES[n % 5];
            let subject = SUBJECTS
                .iter()
                .find(|(l, _)| *l == locale)
                .map_or("Geneva next", |s| s.1);
            assert_eq!(mail.subject, subject, "{address} reads {locale}");
            assert_eq!(mail.list_unsubscribe_post, "List-Unsubscribe=One-Click");
        }
    }
    assert!(
        missing <= lost,
        "only an email lost with the killed sender is missing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_reaches_each_signer_who_asked_once_through_the_functions() {
    let store = StoreUnderTest::dynamo().await;
    let _ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let mut env = deployed_environment(config, table).await;
    // Fast enough for a test; each run takes one share of two, as on AWS.
    env.retain(|(name, _)| *name != "PEOPLE_FIRST_SENDING_RATE");
    env.push(("PEOPLE_FIRST_SENDING_RATE", "400".into()));
    let run = format!("{:08x}", rand::random::<u32>());
    let now = people_first::adapters::clock::SystemClock.now();
    let addresses = seed(config, table, &run, now).await;
    let staff = support::StaffCommands::on(config, table).await;
    let asked = send_the_update(&staff);
    send_with_a_kill(&store, &env, asked).await;

    let sent = updates_sent(&run).await;
    // A claim left unsettled by the kill: its email went or not, as SES had answered.
    let claims = store.updates.claims(UpdateNumber::FIRST).await.unwrap();
    let lost = claims.unsettled;
    assert!(
        lost <= 1,
        "at most the email in flight when it was killed: {lost}"
    );
    each_got_one(&addresses, &sent, lost);
    let update = store
        .updates
        .update(UpdateNumber::FIRST)
        .await
        .unwrap()
        .unwrap();
    assert!(update.done);
    let went = sent.len() as u64;
    // The update's own count misses what the killed run sent after its last saved page; its
    // claims, which the status reads, miss only an email the kill left unsettled.
    assert!(
        update.counts.sent <= went,
        "{} counted, {went} went",
        update.counts.sent
    );
    assert!(
        claims.sent <= went && went - claims.sent <= lost,
        "{claims:?}, {went} went"
    );
    let status = staff.run(&["updates", "status"]);
    assert!(
        status.contains(&format!("sent        {}", claims.sent)),
        "{status}"
    );
    feedback_stops_the_updates(&store, &env, &addresses, &sent).await;
}

/// SES's complaint through mail-events, and Gmail's one-click POST through the erase function,
/// each stop a signer's updates.
async fn feedback_stops_the_updates(
    store: &StoreUnderTest,
    env: &[(&str, String)],
    addresses: &[String],
    sent: &BTreeMap<String, Vec<Delivered>>,
) {
    let keyring = support::keyring();
    let find = |address: &str| {
        let signer = keyring.signer_key(&Email::parse(address).unwrap());
        let store = store.store.clone();
        async move { store.find(&signer).await.unwrap().unwrap() }
    };
    let angry = &addresses[5];
    let mut events = Function::start("mail-events", env).await;
    events
        .invoke(sns_delivery(&[about_an_update(complaint(angry), 1)]))
        .await
        .unwrap();
    assert!(!find(angry).await.updates);
    let update = store
        .updates
        .update(UpdateNumber::FIRST)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(update.counts.complained, 1);

    let reader = addresses
        .iter()
        .skip(6)
        .find(|address| sent.contains_key(*address))
        .unwrap();
    let header = &sent[reader][0].list_unsubscribe;
    let link = &header[header.find("/api/unsubscribe").unwrap()..header.find('>').unwrap()];
    let (path, query) = link.split_once('?').unwrap();
    let mut erase = Function::start("erase", env).await;
    let form = "application/x-www-form-urlencoded";
    let one_click = http_event("POST", path, query, form, "List-Unsubscribe=One-Click");
    let answer = erase.invoke(one_click).await.unwrap();
    assert_eq!(answer["statusCode"], 200);
    let signature = find(reader).await;
    assert!(signature.is_confirmed() && !signature.updates && signature.email.is_none());
    let update = store
        .updates
        .update(UpdateNumber::FIRST)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(update.counts.unsubscribed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pending_signature_is_reminded_once_a_day_after_its_email() {
    let store = StoreUnderTest::dynamo().await;
    let _ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let env = deployed_environment(config, table).await;
    let now = people_first::adapters::clock::SystemClock.now();
    let day_ago = now.plus_seconds(-25 * 3_600);
    let run = format!("{:08x}", rand::random::<u32>());
    let [waiting, confirmed, bounced, recent] =
        ["waiting", "confirmed", "bounced", "recent"].map(|n| format!("{n}.{run}@example.org"));
    let mut signatures = BTreeMap::new();
    for (address, signed) in [
        (&waiting, day_ago),
        (&confirmed, day_ago),
        (&bounced, day_ago),
        (&recent, now),
    ] {
        let mut signature = support::pending_signature_at(address, "UA", signed);
        // Signed on the page, its proof of work done: only such signers are reminded.
        signature.proven = true;
        store.store.insert_pending(&signature).await.unwrap();
        let (key, link) = (&signature.signer, &signature.link.secret_hash);
        assert!(store.store.mark_mailed(key, link, signed).await.unwrap());
        signatures.insert(address.clone(), signature);
    }
    let was = &signatures[&confirmed];
    let seen = Consents::of(was);
    store
        .store
        .confirm(&was.signer, &was.link.secret_hash, now, &seen)
        .await
        .unwrap();
    store
        .store
        .mark_undeliverable(&signatures[&bounced].signer)
        .await
        .unwrap();

    let mut follow_up = Function::start("follow-up", &env).await;
    let first = follow_up.invoke(scheduled_event()).await.unwrap();
    assert_eq!(first["reminded"], 1, "{first}");
    let again = follow_up.invoke(scheduled_event()).await.unwrap();
    assert_eq!(again["reminded"], 0, "{again}");
    let reminded: Vec<Delivered> = support::emulator_sent_mail()
        .await
        .into_iter()
        .filter(|m| m.to.contains(&run))
        .collect();
    assert_eq!(reminded.len(), 1);
    assert_eq!(reminded[0].to, waiting);
    assert!(
        reminded[0].subject.starts_with("Нагадування"),
        "{}",
        reminded[0].subject
    );
    let signature = store
        .store
        .find(&signatures[&waiting].signer)
        .await
        .unwrap()
        .unwrap();
    assert!(signature.reminded_at.is_some());
}
