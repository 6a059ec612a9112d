use super::moderation::looks;
use super::*;
use crate::adapters::clock::ManualClock;
use crate::adapters::embedded::EmbeddedStore;
use crate::adapters::outbox::Outbox;
use crate::domain::retention::LINK_LIFETIME;
use crate::domain::{
    Country, Email, Locale, OrganisationId, OrganisationName, SecretHash, SignerName, Standing,
    Timestamp, Website,
};
use crate::keyring::Keyring;
use crate::ports::OrganisationReading;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

struct World {
    store: EmbeddedStore,
    outbox: Outbox,
    clock: ManualClock,
    settings: SupportSettings,
    mailed_up_to: std::sync::atomic::AtomicU64,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    World {
        store: EmbeddedStore::open(&dir.path().join("store")).unwrap(),
        outbox: Outbox::open(&dir.path().join("outbox")).unwrap(),
        clock: ManualClock::at(Timestamp::from_unix_seconds(1_795_000_000)),
        settings: SupportSettings {
            mail: crate::testing::mail_settings(),
            moderation: Some(Email::parse("moderation@people-first.example").unwrap()),
        },
        mailed_up_to: std::sync::atomic::AtomicU64::new(0),
        _dir: dir,
    }
}

fn keyring() -> Keyring {
    Keyring::from_master(&[7; 32]).unwrap()
}

/// The mailer sends what the feed asks for since it last did.
async fn mail_what_waits(world: &World) {
    let seen = world.mailed_up_to.load(std::sync::atomic::Ordering::SeqCst);
    let unseen = world.store.changes_after(seen, usize::MAX).unwrap();
    let keyring = keyring();
    let pace = crate::use_cases::sending::Pace::unlimited();
    let sending = crate::use_cases::sending::Sending {
        mailer: &world.outbox,
        store: &world.store,
        supporters: &world.store,
        domains: &crate::ports::EveryDomain,
        health: &world.store,
        unproven: &crate::use_cases::unproven::UnprovenMail::unmetered(),
        clock: &world.clock,
        keyring: &keyring,
        settings: &world.settings.mail,
        pace: &pace,
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_mins(1);
    assert!(sending.send_for_changes(&unseen.changes, deadline).await);
    world
        .mailed_up_to
        .store(unseen.last, std::sync::atomic::Ordering::SeqCst);
}

/// The contact presses the button of the link that read `id`.
async fn confirm(world: &World, id: &OrganisationId, link: &SecretHash) -> bool {
    let (organisation, _) = world.store.organisation(id).await.unwrap().unwrap();
    confirm_contact(
        &world.store,
        &world.outbox,
        &world.clock,
        &world.settings,
        &organisation,
        link,
    )
    .await
    .unwrap()
}

/// An organisation asks; the id and the link's hash from the email it sends.
async fn ask(world: &World, name: &str, email: &str) -> (OrganisationId, SecretHash) {
    ask_from(world, name, email, "memorial.de").await
}

async fn ask_from(
    world: &World,
    name: &str,
    email: &str,
    website: &str,
) -> (OrganisationId, SecretHash) {
    let request = SupportRequest {
        name: OrganisationName::parse(name).unwrap(),
        country: Country::parse("DE").unwrap(),
        website: Website::parse(website).unwrap(),
        contact_name: SignerName::parse("Anna Schmidt").unwrap(),
        email: Email::parse(email).unwrap(),
        locale: Locale::De,
        proven: true,
    };
    let keyring = keyring();
    request_support(&world.store, &world.store, &keyring, &world.clock, request)
        .await
        .unwrap();
    mail_what_waits(world).await;
    let mail = world.outbox.list().mail;
    let text = &mail.iter().find(|m| m.to == email).unwrap().text;
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/confirm?id="))
        .unwrap();
    let query: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(link.split_once('?').unwrap().1).unwrap();
    (
        OrganisationId::parse(&query["id"]).unwrap(),
        link_hash(&query["t"]).unwrap(),
    )
}

#[tokio::test]
async fn only_its_own_link_tells_anything_about_a_request() {
    let world = world();
    let (id, link) = ask(&world, "Memorial Deutschland e.V.", "anna@memorial.de").await;
    let guess = link_hash(&URL_SAFE_NO_PAD.encode([9u8; 32])).unwrap();
    let read = |link| read_contact_link(&world.store, &world.clock, &id, link);
    assert!(matches!(read(&link).await.unwrap(), ContactLink::Live(..)));
    assert_eq!(read(&guess).await.unwrap(), ContactLink::Dead);
    assert!(confirm(&world, &id, &link).await);
    assert!(matches!(read(&link).await.unwrap(), ContactLink::Used(..)));
    assert_eq!(
        read(&guess).await.unwrap(),
        ContactLink::Dead,
        "a guessed token does not tell that the request exists"
    );
}

#[tokio::test]
async fn a_link_dies_after_the_days_its_email_gives() {
    let world = world();
    let (id, link) = ask(&world, "Memorial Deutschland e.V.", "anna@memorial.de").await;
    world.clock.advance(LINK_LIFETIME.seconds());
    assert_eq!(
        read_contact_link(&world.store, &world.clock, &id, &link)
            .await
            .unwrap(),
        ContactLink::Dead
    );
    assert!(!confirm(&world, &id, &link).await);
}

#[tokio::test]
async fn the_moderation_mailbox_hears_when_requests_start_waiting_not_of_each() {
    let world = world();
    for n in 0..3 {
        let (id, link) = ask(&world, &format!("Organisation {n}"), &format!("c{n}@x.org")).await;
        assert!(confirm(&world, &id, &link).await);
    }
    let notices = |w: &World| {
        w.outbox
            .list()
            .mail
            .into_iter()
            .filter(|m| m.to == "moderation@people-first.example")
            .count()
    };
    assert_eq!(notices(&world), 1);
    for review in pending(&world.store, &world.clock).await.unwrap() {
        moderate(
            &world.store,
            &world.outbox,
            &world.clock,
            &world.settings,
            &review.organisation.id,
            &Moderation::Reject,
        )
        .await
        .unwrap();
    }
    let (id, link) = ask(&world, "Organisation 4", "c4@x.org").await;
    assert!(confirm(&world, &id, &link).await);
    assert_eq!(
        notices(&world),
        2,
        "once the queue was emptied, the next one is told"
    );
}

#[test]
fn names_that_look_alike_look_alike_whatever_the_case_or_script() {
    let memorial = looks("Memorial Deutschland e.V.");
    for alike in [
        "MEMORIAL DEUTSCHLAND E.V.",
        "Меmorial Deutschland e.V.",
        "Memoria1 Deutsch1and eV",
    ] {
        assert_eq!(looks(alike), memorial, "{alike}");
    }
    assert_ne!(looks("Memorial"), looks("Memoriam"));
}

#[tokio::test]
async fn a_look_alike_or_a_refusal_asking_again_is_flagged_to_staff() {
    let world = world();
    let decide = |id: OrganisationId, moderation: Moderation| {
        let world = &world;
        async move {
            moderate(
                &world.store,
                &world.outbox,
                &world.clock,
                &world.settings,
                &id,
                &moderation,
            )
            .await
            .unwrap();
        }
    };
    let (listed, link) = ask(&world, "Memorial Deutschland e.V.", "anna@memorial.de").await;
    assert!(confirm(&world, &listed, &link).await);
    decide(listed.clone(), Moderation::Approve(Vec::new())).await;
    let (refused, link) = ask_from(&world, "Spam & Co", "a@spam.example", "spam.example").await;
    assert!(confirm(&world, &refused, &link).await);
    decide(refused.clone(), Moderation::Reject).await;

    let mut asking = Vec::new();
    for (name, email, website) in [
        // A Cyrillic М and е, and a 1 for an l: the same name to the eye.
        (
            "Меmoria1 Deutschland e.V.",
            "x@attacker.example",
            "attacker.example",
        ),
        ("Another Name", "b@spam.example", "www.spam.example/again"),
        ("Civil Rights Defenders", "c@crd.org", "crd.org"),
    ] {
        let (id, link) = ask_from(&world, name, email, website).await;
        assert!(confirm(&world, &id, &link).await);
        asking.push(id);
    }
    let reviews = pending(&world.store, &world.clock).await.unwrap();
    let resembles = |id: &OrganisationId| {
        reviews
            .iter()
            .find(|r| &r.organisation.id == id)
            .unwrap()
            .resembles
            .clone()
    };
    assert_eq!(resembles(&asking[0]), [(listed, Standing::Approved)]);
    assert_eq!(resembles(&asking[1]), [(refused, Standing::Rejected)]);
    assert_eq!(resembles(&asking[2]), []);
}
