//! Organisations joining the supporters list: their request, their contact's confirmation, and
//! the staff's moderation. Nothing reaches the public list before a person approves it.

use crate::domain::retention::{CONTACT_KEPT_AFTER_DECISION, LINK_LIFETIME, PENDING_LIFETIME};
use crate::domain::routes::Api;
use crate::domain::{
    ConfirmationSecret, Contact, Country, Email, InputError, LinkNonce, Locale, Organisation,
    OrganisationId, OrganisationName, SecretHash, SignerName, Standing, Timestamp, Website,
};
use crate::keyring::Keyring;
use crate::ports::Clock;
use crate::ports::{
    MailError, Mailer, Notice, OutgoingEmail, SignatureStore, StoreError, SupporterStore,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
/// How long a rejected request is kept (never shown), so a repeat is recognised.
pub const REJECTED_KEPT_DAYS: i64 = 30;
/// An unconfirmed request, and its contact, are deleted after the days a signature's are.
pub const UNCONFIRMED_LIFETIME_SECONDS: i64 = PENDING_LIFETIME.seconds();

/// A request to join the list, parsed: every field is known good.
#[derive(Debug, Clone)]
pub struct SupportRequest {
    pub name: OrganisationName,
    pub country: Country,
    pub website: Website,
    pub contact_name: SignerName,
    pub email: Email,
    pub locale: Locale,
    /// Whether the page's script did the work for the contact's address (`domain::proof`).
    pub proven: bool,
}

/// Who the emails are from, where their links lead, and who moderates.
#[derive(Debug, Clone)]
pub struct SupportSettings {
    pub mail: crate::use_cases::mailing::MailSettings,
    /// The campaign's moderation mailbox: told, by name only, that a request waits.
    pub moderation: Option<Email>,
}

#[derive(Debug, thiserror::Error)]
pub enum SupportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the email could not be sent: {0}")]
    Mail(#[from] MailError),
}

fn encode_secret(secret: &ConfirmationSecret) -> String {
    URL_SAFE_NO_PAD.encode(secret.0)
}

/// The hash of a link's `t` parameter, or why it is not one.
pub fn link_hash(raw: &str) -> Result<SecretHash, InputError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(raw.trim())
        .map_err(|_| InputError::Invalid)?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| InputError::Invalid)?;
    Ok(ConfirmationSecret(bytes).hash())
}

/// Takes a request: stores it with its contact, and with a link for the contact to confirm it
/// when their mailbox may get another email today (without one, nothing is sent and the request
/// expires unconfirmed). The email goes from the change feed through the mailer, at the pace of
/// every other. Whatever the mailbox's count, the request awaits the same two store calls.
pub async fn request_support(
    store: &dyn SupporterStore,
    limits: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    request: SupportRequest,
) -> Result<(), SupportError> {
    take_request(store, limits, keyring, clock, request, false).await
}

/// What a request a bot sent gets: the same calls as a person's, on a mailbox nobody has, and
/// nothing mailed.
pub async fn request_silently(
    store: &dyn SupporterStore,
    limits: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
) -> Result<(), SupportError> {
    let decoy = SupportRequest {
        name: OrganisationName::parse("People First").expect("a name that parses"),
        country: Country::parse("UA").expect("a country that parses"),
        website: Website::parse("https://people-first.invalid").expect("a website that parses"),
        contact_name: SignerName::parse("People First").expect("a name that parses"),
        email: Email::parse(&format!("{}@decoy.invalid", LinkNonce::random().to_hex()))
            .expect("an address that parses"),
        locale: Locale::En,
        proven: false,
    };
    take_request(store, limits, keyring, clock, decoy, true).await
}

async fn take_request(
    store: &dyn SupporterStore,
    limits: &dyn SignatureStore,
    keyring: &Keyring,
    clock: &dyn Clock,
    request: SupportRequest,
    silently: bool,
) -> Result<(), SupportError> {
    let now = clock.now();
    let mailbox = keyring.contact_mailbox_key(&request.email);
    let limit = if silently {
        crate::use_cases::sign::COUNTS_NOTHING
    } else {
        crate::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY
    };
    let mailed = limits.count_email_to(&mailbox, now, limit).await?;
    if !mailed && !silently {
        tracing::info!(outcome = "mailbox limit", "organisation request not mailed");
    }
    let expires_at = now.plus_seconds(UNCONFIRMED_LIFETIME_SECONDS);
    let organisation = Organisation {
        id: OrganisationId::random(),
        names: BTreeMap::from([(request.locale, request.name)]),
        locale: request.locale,
        country: Some(request.country),
        website: Some(request.website),
        standing: Standing::Unconfirmed,
        requested_at: now,
        decided_at: None,
        position: 0,
        expires_at: Some(expires_at),
    };
    // Derived whatever comes of it, so every request does the same hashing.
    let nonce = LinkNonce::random();
    let link_hash = keyring.contact_secret(&organisation.id, &nonce).hash();
    let contact = Contact {
        name: request.contact_name,
        email: request.email,
        locale: request.locale,
        link_hash: mailed.then_some(link_hash),
        link_nonce: mailed.then_some(nonce),
        proven: request.proven,
        forget_at: expires_at,
    };
    let stored = store.insert_request(&organisation, &contact).await;
    if stored.is_err() && mailed {
        // Nothing will be mailed: the day's count is given back.
        let _ = limits.uncount_email_to(&mailbox, now).await;
    }
    Ok(stored?)
}

/// The email carrying a request's link, while its contact still waits for it: the request
/// unconfirmed, the link the contact's own and not yet expired (an email held in the queue
/// past it would carry a dead link).
pub fn link_email(
    settings: &crate::use_cases::mailing::MailSettings,
    keyring: &Keyring,
    organisation: &Organisation,
    contact: &Contact,
    link: &SecretHash,
    now: Timestamp,
) -> Option<OutgoingEmail> {
    let nonce = contact.link_nonce?;
    let ours = contact.link_hash.is_some_and(|hash| hash.matches(link));
    if organisation.standing != Standing::Unconfirmed || !ours || !link_alive(organisation, now) {
        return None;
    }
    let secret = keyring.contact_secret(&organisation.id, &nonce);
    let url = Api::ContactLink.link(
        &settings.public_url,
        &format!("id={}&t={}", organisation.id, encode_secret(&secret)),
    );
    let locale = contact.locale;
    let notice_of = Notice::ContactLink {
        organisation: organisation.name_in(locale).to_owned(),
        link: url,
    };
    Some(notice(settings, contact.email.clone(), locale, &notice_of))
}

/// A short email to an organisation's contact, or to the moderators.
fn notice(
    settings: &crate::use_cases::mailing::MailSettings,
    to: Email,
    locale: Locale,
    notice: &Notice,
) -> OutgoingEmail {
    let words = settings.wording.words(locale, notice);
    OutgoingEmail {
        kind: crate::ports::MailKind::Organisation,
        from: settings.sender.clone(),
        to,
        subject: words.subject,
        text: words.text,
        html: words.html,
        list_unsubscribe: format!("<mailto:{}?subject=unsubscribe>", settings.contact),
    }
}

/// What a contact's link leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum ContactLink {
    /// Live: the organisation it confirms.
    Live(Organisation, Locale),
    /// Used already: the request waits for moderation or was decided.
    Used(Organisation, Locale),
    /// Expired, mistyped or never sent.
    Dead,
}

/// Whether a request's link still works: for the days its email says.
fn link_alive(organisation: &Organisation, now: Timestamp) -> bool {
    now < link_expires_at(organisation)
}

/// When a request's link stops working.
pub fn link_expires_at(organisation: &Organisation) -> Timestamp {
    organisation
        .requested_at
        .plus_seconds(LINK_LIFETIME.seconds())
}

/// A contact as long as it is kept: the table's TTL may take days to delete one past its day.
fn kept(contact: Option<Contact>, now: Timestamp) -> Option<Contact> {
    contact.filter(|c| c.forget_at > now)
}

/// Reads what a contact's link leads to, changing nothing (a GET, and mail scanners). Only the
/// link itself tells anything: any other token for the same id is a dead link.
pub async fn read_contact_link(
    store: &dyn SupporterStore,
    clock: &dyn Clock,
    id: &OrganisationId,
    link: &SecretHash,
) -> Result<ContactLink, StoreError> {
    let now = clock.now();
    let Some((organisation, contact)) = store.organisation(id).await? else {
        return Ok(ContactLink::Dead);
    };
    let Some(contact) = kept(contact, now) else {
        return Ok(ContactLink::Dead);
    };
    let ours = contact
        .link_hash
        .as_ref()
        .is_some_and(|hash| hash.matches(link));
    Ok(match organisation.standing {
        _ if !ours => ContactLink::Dead,
        Standing::Unconfirmed if link_alive(&organisation, now) => {
            ContactLink::Live(organisation, contact.locale)
        }
        Standing::Unconfirmed => ContactLink::Dead,
        _ => ContactLink::Used(organisation, contact.locale),
    })
}

/// The contact confirms `organisation`, as its link read it: the request waits for a person. The moderation mailbox hears of it
/// (by the organisation's name only) when no other request was waiting: a person reviewing
/// sees them all, and a flood of requests cannot flood the mailbox. True when this click
/// confirmed it.
pub async fn confirm_contact(
    store: &dyn SupporterStore,
    mailer: &dyn Mailer,
    clock: &dyn Clock,
    settings: &SupportSettings,
    organisation: &Organisation,
    link: &SecretHash,
) -> Result<bool, SupportError> {
    let now = clock.now();
    let id = &organisation.id;
    if !link_alive(organisation, now) || !store.confirm_contact(id, link, now).await? {
        return Ok(false);
    }
    let waiting = store
        .organisations()
        .await?
        .iter()
        .filter(|o| o.standing == Standing::Waiting && o.id != *id)
        .count();
    if let (Some(moderation), 0) = (&settings.moderation, waiting) {
        let locale = Locale::En;
        let name = organisation.name_in(organisation.locale).to_owned();
        let waiting = Notice::Waiting {
            organisation: name,
            id: id.to_string(),
        };
        let email = notice(&settings.mail, moderation.clone(), locale, &waiting);
        // Staff see every waiting request with `supporters pending` anyway: a lost notice is
        // logged, and the contact's confirmation stands.
        if let Err(e) = mailer.send(&email).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the moderation notice was not sent");
        }
    }
    Ok(true)
}

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("no organisation has the id {0}")]
    Unknown(OrganisationId),
    #[error("{0} is {1:?}, not {2:?}")]
    Standing(OrganisationId, Standing, Standing),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What moderation did, and whether the contact heard of it.
#[derive(Debug)]
pub struct Decision {
    pub organisation: Organisation,
    /// The contact was told in their language; false when they had been forgotten or the
    /// email failed (the error is logged).
    pub contact_told: bool,
}

/// A waiting request with what helps decide it.
#[derive(Debug)]
pub struct Review {
    pub organisation: Organisation,
    pub contact: Option<Contact>,
    /// The website's domain is the contact's email domain, or one is under the other.
    pub domains_match: bool,
    /// Other organisations, listed, waiting, rejected or removed, whose name looks like one of
    /// this one's, or whose website is at the same domain: an impostor, or a refusal asking again.
    pub resembles: Vec<(OrganisationId, Standing)>,
}

/// How a name looks, whatever its case, script or spacing: Unicode's confusable skeleton
/// (UTS #39), so "Меmorial" with a Cyrillic М and е looks like "Memorial", and "Memoria1" too.
fn looks(name: &str) -> String {
    use unicode_security::skeleton;
    // Letters of other scripts as the Latin ones they look like first (a Cyrillic М is an M,
    // whose small form is not an м), then case folded, then the whole compared as it looks.
    let latin: String = name
        .chars()
        .flat_map(|c| {
            let mut one = [0; 4];
            let looks_like: String = if c.is_ascii() {
                c.to_string()
            } else {
                skeleton(c.encode_utf8(&mut one)).collect()
            };
            looks_like.to_lowercase().chars().collect::<Vec<_>>()
        })
        .collect();
    skeleton(&latin)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The requests waiting for a person, oldest first.
pub async fn pending(
    store: &dyn SupporterStore,
    clock: &dyn Clock,
) -> Result<Vec<Review>, StoreError> {
    let now = clock.now();
    let all = store.organisations().await?;
    let mut reviews = Vec::new();
    let mut waiting: Vec<&Organisation> = all
        .iter()
        .filter(|o| o.standing == Standing::Waiting)
        .collect();
    waiting.sort_by_key(|o| o.requested_at);
    for organisation in waiting {
        let contact = kept(
            store
                .organisation(&organisation.id)
                .await?
                .and_then(|(_, contact)| contact),
            now,
        );
        let domains_match = match (&organisation.website, &contact) {
            (Some(website), Some(contact)) => {
                let site = website.domain();
                let mail = contact
                    .email
                    .as_str()
                    .rsplit_once('@')
                    .map(|(_, d)| d.to_lowercase())
                    .unwrap_or_default();
                site == mail
                    || site.ends_with(&format!(".{mail}"))
                    || mail.ends_with(&format!(".{site}"))
            }
            _ => false,
        };
        let names: Vec<String> = organisation
            .names
            .values()
            .map(|n| looks(n.as_str()))
            .collect();
        let domain = organisation.website.as_ref().map(Website::domain);
        let resembles = all
            .iter()
            .filter(|other| other.id != organisation.id && other.standing != Standing::Unconfirmed)
            .filter(|other| {
                other
                    .names
                    .values()
                    .any(|n| names.contains(&looks(n.as_str())))
                    || (domain.is_some() && other.website.as_ref().map(Website::domain) == domain)
            })
            .map(|other| (other.id.clone(), other.standing))
            .collect();
        reviews.push(Review {
            organisation: organisation.clone(),
            contact,
            domains_match,
            resembles,
        });
    }
    Ok(reviews)
}

/// The public list, in its order.
pub async fn list(store: &dyn SupporterStore) -> Result<Vec<Organisation>, StoreError> {
    let all = store.organisations().await?;
    Ok(crate::domain::supporters_list(&all)
        .into_iter()
        .cloned()
        .collect())
}

/// What a person decides about an organisation.
#[derive(Debug, Clone)]
pub enum Moderation {
    /// A waiting request joins the end of the list, with its name in other languages if given,
    /// and its contact is told.
    Approve(Vec<(Locale, OrganisationName)>),
    /// A waiting request is never shown, and its contact is told.
    Reject,
    /// An organisation is taken off the list (on its own request, or the campaign's).
    Remove,
}

impl Moderation {
    /// Where the organisation must stand for this decision.
    fn from(&self) -> Standing {
        match self {
            Self::Approve(_) | Self::Reject => Standing::Waiting,
            Self::Remove => Standing::Approved,
        }
    }

    /// What the email that tells the contact says, naming the organisation as given.
    fn outcome(&self, organisation: String) -> Option<Notice> {
        match self {
            Self::Approve(_) => Some(Notice::Approved { organisation }),
            Self::Reject => Some(Notice::Rejected { organisation }),
            Self::Remove => None,
        }
    }

    fn apply(&self, organisation: &mut Organisation, now: Timestamp) {
        organisation.decided_at = Some(now);
        match self {
            Self::Approve(names) => {
                organisation.standing = Standing::Approved;
                // After the first supporters (positions 1 to 36), in the order of approval.
                organisation.position = now.unix_seconds();
                for (locale, name) in names {
                    organisation.names.insert(*locale, name.clone());
                }
            }
            Self::Reject => {
                organisation.standing = Standing::Rejected;
                organisation.expires_at = Some(now.plus_seconds(REJECTED_KEPT_DAYS * DAY));
            }
            Self::Remove => organisation.standing = Standing::Removed,
        }
    }
}

/// Carries out a person's decision, and tells the contact when there is one to tell.
pub async fn moderate(
    store: &dyn SupporterStore,
    mailer: &dyn Mailer,
    clock: &dyn Clock,
    settings: &SupportSettings,
    id: &OrganisationId,
    moderation: &Moderation,
) -> Result<Decision, ModerationError> {
    let now = clock.now();
    let from = moderation.from();
    let Some((mut organisation, contact)) = store.organisation(id).await? else {
        return Err(ModerationError::Unknown(id.clone()));
    };
    if organisation.standing != from {
        return Err(ModerationError::Standing(
            id.clone(),
            organisation.standing,
            from,
        ));
    }
    let contact = kept(contact, now);
    moderation.apply(&mut organisation, now);
    let forget_contact_at = now.plus_seconds(CONTACT_KEPT_AFTER_DECISION.seconds());
    if !store.decide(&organisation, from, forget_contact_at).await? {
        let standing = store
            .organisation(id)
            .await?
            .map_or(from, |(o, _)| o.standing);
        return Err(ModerationError::Standing(id.clone(), standing, from));
    }
    let contact_told = match contact {
        Some(contact) => tell_outcome(mailer, settings, &organisation, &contact, moderation).await,
        None => false,
    };
    Ok(Decision {
        organisation,
        contact_told,
    })
}

/// Tells a contact what was decided, in their language; false when the email failed, or when
/// nothing is told (a removal).
async fn tell_outcome(
    mailer: &dyn Mailer,
    settings: &SupportSettings,
    organisation: &Organisation,
    contact: &Contact,
    moderation: &Moderation,
) -> bool {
    let locale = contact.locale;
    let Some(outcome) = moderation.outcome(organisation.name_in(locale).to_owned()) else {
        return false;
    };
    let email = notice(&settings.mail, contact.email.clone(), locale, &outcome);
    match mailer.send(&email).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the contact was not told of the decision");
            false
        }
    }
}

/// The campaign's first supporters, in its text's order: the list's initial data.
const FIRST_SUPPORTERS: &str = include_str!("../../../static/data/supporters.json");

/// The campaign's first supporters, as its text lists them, in their order.
pub fn first_supporters() -> Vec<Organisation> {
    let launched = Timestamp::from_unix_seconds(1_738_022_400); // 28 January 2025
    let all: Vec<BTreeMap<String, String>> =
        serde_json::from_str(FIRST_SUPPORTERS).expect("static/data/supporters.json is valid");
    all.into_iter()
        .enumerate()
        .map(|(i, names)| Organisation {
            id: OrganisationId::initial(i + 1),
            names: names
                .iter()
                .map(|(code, name)| {
                    (
                        Locale::parse(code).expect("a known language"),
                        OrganisationName::parse(name).expect("a valid name"),
                    )
                })
                .collect(),
            locale: Locale::En,
            country: None,
            website: None,
            standing: Standing::Approved,
            requested_at: launched,
            decided_at: Some(launched),
            position: i64::try_from(i + 1).expect("a small number"),
            expires_at: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::clock::ManualClock;
    use crate::adapters::embedded::EmbeddedStore;
    use crate::adapters::outbox::Outbox;

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
            let (id, link) =
                ask(&world, &format!("Organisation {n}"), &format!("c{n}@x.org")).await;
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
}
