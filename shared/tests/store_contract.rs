//! The contract every `SignatureStore` keeps, run against the embedded store and against
//! DynamoDB on the emulator.

use people_first::testing as support;

use people_first::adapters::clock::ManualClock;
use people_first::domain::{
    ConfirmationLink, ConfirmationSecret, Contact, LinkNonce, Locale, Organisation, OrganisationId,
    Signature, SignatureStatus, SignerName, Standing, Timestamp, UtcDay,
};
use people_first::ports::Clock;
use people_first::ports::{Consents, Insertion, LinkRenewal, SignerChoices};
use support::StoreUnderTest;

const NOW: Timestamp = support::SIGNED_AT;

/// A consent to hear from `partner`, given at `NOW` under the current policy, never exported.
fn consent_to(partner: OrganisationId, name: &str) -> people_first::domain::PartnerConsent {
    people_first::domain::PartnerConsent {
        partner,
        name: name.into(),
        at: NOW,
        privacy_policy: people_first::domain::PRIVACY_POLICY_VERSION.into(),
        exported_at: None,
        withdrawn_at: None,
    }
}

fn pending(address: &str) -> Signature {
    support::pending_signature(address, "UA")
}

async fn a_new_signature_is_stored_and_found(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    assert_eq!(
        subject.store.insert_pending(&signature).await.unwrap(),
        Insertion::Inserted
    );
    assert_eq!(
        subject.store.find(&signature.signer).await.unwrap(),
        Some(signature)
    );
}

async fn a_second_insert_for_the_same_signer_returns_the_first_and_writes_nothing(
    subject: StoreUnderTest,
) {
    let first = pending("oksana@example.org");
    subject.store.insert_pending(&first).await.unwrap();
    let mut second = pending("Oksana@Example.org");
    second.name = SignerName::parse("Someone else").unwrap();
    assert_eq!(first.signer, second.signer);
    assert_eq!(
        subject.store.insert_pending(&second).await.unwrap(),
        Insertion::AlreadySigned(Box::new(first.clone()))
    );
    assert_eq!(
        subject.store.find(&first.signer).await.unwrap(),
        Some(first)
    );
    assert_eq!(subject.changes().await.len(), 1);
}

async fn a_link_is_renewed_only_from_the_link_it_replaces(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    let later = NOW.plus_seconds(600);
    let nonce = LinkNonce::random();
    let renewal = LinkRenewal {
        link: ConfirmationLink {
            nonce,
            secret_hash: support::keyring()
                .confirmation_secret(&signature.signer, &nonce)
                .hash(),
            sent_at: later,
            expires_at: later.plus_seconds(7 * 86_400),
        },
        expires_at: later.plus_seconds(8 * 86_400),
    };
    let choices = choices_of(&signature);
    let revise = |before| {
        let (store, signer, choices) = (subject.store.clone(), signature.signer, choices.clone());
        async move {
            store
                .revise_pending(&signer, &choices, Some(&renewal), before)
                .await
                .unwrap()
        }
    };
    assert!(!revise(later).await);
    assert!(revise(NOW).await);
    // The same renewal again: the link it names is gone.
    assert!(!revise(NOW).await);
    let stored = subject
        .store
        .find(&signature.signer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.link, renewal.link);
    assert_eq!(stored.expires_at, Some(renewal.expires_at));
}

async fn a_renewed_link_is_mailed_even_where_the_last_one_bounced(subject: StoreUnderTest) {
    // The signer asked again: the mailbox may take mail by now, and SES's suppression list
    // still keeps one that bounces for good.
    let signature = pending("back@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    assert!(
        subject
            .store
            .mark_undeliverable(&signature.signer)
            .await
            .unwrap()
    );
    let choices = choices_of(&signature);
    assert!(
        subject
            .store
            .revise_pending(&signature.signer, &choices, None, NOW)
            .await
            .unwrap()
    );
    let find = || async {
        subject
            .store
            .find(&signature.signer)
            .await
            .unwrap()
            .unwrap()
    };
    assert!(find().await.undeliverable, "a revision alone is no new ask");
    let later = NOW.plus_seconds(600);
    let renewal = LinkRenewal {
        link: ConfirmationLink {
            sent_at: later,
            ..signature.link
        },
        expires_at: later.plus_seconds(8 * 86_400),
    };
    assert!(
        subject
            .store
            .revise_pending(&signature.signer, &choices, Some(&renewal), NOW)
            .await
            .unwrap()
    );
    assert!(!find().await.undeliverable);
}

async fn the_motions_of_signing_change_nothing_where_nothing_is_to_change(subject: StoreUnderTest) {
    // What signing awaits when no write is due: a revision of a signature that is not there, or
    // not pending, and a count against a limit no mailbox is under.
    let absent = pending("nobody@example.org");
    assert!(
        !subject
            .store
            .revise_pending(&absent.signer, &choices_of(&absent), None, NOW)
            .await
            .unwrap()
    );
    assert_eq!(subject.store.find(&absent.signer).await.unwrap(), None);
    let mailbox = support::keyring().mailbox_key(absent.email.as_ref().unwrap());
    assert!(
        !subject
            .store
            .count_email_to(&mailbox, NOW, 0)
            .await
            .unwrap()
    );
    for _ in 0..3 {
        assert!(
            subject
                .store
                .count_email_to(&mailbox, NOW, 3)
                .await
                .unwrap()
        );
    }
    assert!(
        !subject
            .store
            .count_email_to(&mailbox, NOW, 3)
            .await
            .unwrap()
    );
    assert!(subject.changes().await.is_empty());
}

fn choices_of(signature: &people_first::domain::Signature) -> SignerChoices {
    SignerChoices {
        name: signature.name.clone(),
        country: signature.country,
        locale: signature.locale,
        updates: signature.updates,
        proven: signature.proven,
        source: signature.source.clone(),
        partner_consent: signature.partner_consent.clone(),
    }
}

async fn a_newer_submission_replaces_a_pending_signatures_choices_only(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    let newer = SignerChoices {
        name: SignerName::parse("Оксана Петренко").unwrap(),
        country: people_first::domain::Country::parse("PL").unwrap(),
        locale: people_first::domain::Locale::De,
        updates: !signature.updates,
        proven: !signature.proven,
        source: Some(people_first::domain::Source::parse("s07").unwrap()),
        partner_consent: Some(consent_to(
            OrganisationId::initial(7),
            "Центр громадянських свобод",
        )),
    };
    assert!(
        subject
            .store
            .revise_pending(&signature.signer, &newer, None, NOW)
            .await
            .unwrap()
    );
    let stored = subject
        .store
        .find(&signature.signer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(choices_of(&stored), newer);
    let unproven = SignerChoices {
        proven: false,
        source: None,
        partner_consent: None,
        ..newer.clone()
    };
    subject
        .store
        .revise_pending(&signature.signer, &unproven, None, NOW)
        .await
        .unwrap();
    let again = subject
        .store
        .find(&signature.signer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(choices_of(&again), unproven, "the latest submission says");
    subject
        .store
        .revise_pending(&signature.signer, &newer, None, NOW)
        .await
        .unwrap();
    assert_eq!(stored.link, signature.link, "the live link stays");
    assert_eq!(stored.erase_hash, signature.erase_hash);
    // Confirmed, the signature is its owner's: a submission changes nothing.
    assert!(
        subject
            .store
            .confirm(
                &signature.signer,
                &signature.link.secret_hash,
                NOW,
                &Consents::of(&stored),
            )
            .await
            .unwrap()
    );
    assert!(
        !subject
            .store
            .revise_pending(&signature.signer, &choices_of(&signature), None, NOW)
            .await
            .unwrap()
    );
    let confirmed = subject
        .store
        .find(&signature.signer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(choices_of(&confirmed), newer);
}

async fn confirming_moves_to_confirmed_once_and_forgets_the_address(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    let at = NOW.plus_seconds(60);
    assert!(
        subject
            .store
            .confirm(
                &signature.signer,
                &signature.link.secret_hash,
                at,
                &Consents::of(&signature)
            )
            .await
            .unwrap()
    );
    assert!(
        !subject
            .store
            .confirm(
                &signature.signer,
                &signature.link.secret_hash,
                at,
                &Consents::of(&signature)
            )
            .await
            .unwrap()
    );
    let stored = subject
        .store
        .find(&signature.signer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, SignatureStatus::Confirmed);
    assert_eq!(stored.confirmed_at, Some(at));
    assert_eq!(
        stored.email, None,
        "a signer who wants no updates keeps no address"
    );
    assert_eq!(
        stored.expires_at, None,
        "a confirmed signature does not expire"
    );
    assert_eq!(subject.confirmations().await, 1);
}

async fn a_signer_who_wants_updates_keeps_their_address(subject: StoreUnderTest) {
    let mut signature = pending("oksana@example.org");
    signature.updates = true;
    subject.store.insert_pending(&signature).await.unwrap();
    assert!(
        subject
            .store
            .confirm(
                &signature.signer,
                &signature.link.secret_hash,
                NOW,
                &Consents::of(&signature)
            )
            .await
            .unwrap()
    );
    let stored = subject
        .store
        .find(&signature.signer)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.email.map(|e| e.as_str().to_owned()).as_deref(),
        Some("oksana@example.org")
    );
}

async fn a_wrong_or_expired_link_confirms_nothing(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    let wrong = support::keyring()
        .confirmation_secret(&signature.signer, &LinkNonce::random())
        .hash();
    assert!(
        !subject
            .store
            .confirm(&signature.signer, &wrong, NOW, &Consents::of(&signature))
            .await
            .unwrap()
    );
    let too_late = signature.link.expires_at;
    assert!(
        !subject
            .store
            .confirm(
                &signature.signer,
                &signature.link.secret_hash,
                too_late,
                &Consents::of(&signature)
            )
            .await
            .unwrap()
    );
    assert_eq!(subject.confirmations().await, 0);
}

async fn fifty_concurrent_confirmations_make_exactly_one_transition(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    let clock = ManualClock::at(NOW);
    let attempts = (0..50).map(|_| {
        let store = subject.store.clone();
        let signature = signature.clone();
        let at = clock.now();
        tokio::spawn(async move {
            store
                .confirm(
                    &signature.signer,
                    &signature.link.secret_hash,
                    at,
                    &Consents::of(&signature),
                )
                .await
                .unwrap()
        })
    });
    let won: usize = futures_count(attempts).await;
    assert_eq!(won, 1);
    assert_eq!(subject.confirmations().await, 1);
}

async fn futures_count(handles: impl Iterator<Item = tokio::task::JoinHandle<bool>>) -> usize {
    let mut won = 0;
    for handle in handles.collect::<Vec<_>>() {
        won += usize::from(handle.await.unwrap());
    }
    won
}

async fn an_unknown_signer_is_not_found(subject: StoreUnderTest) {
    let signature = pending("nobody@example.org");
    assert_eq!(subject.store.find(&signature.signer).await.unwrap(), None);
    assert!(
        !subject
            .store
            .confirm(
                &signature.signer,
                &signature.link.secret_hash,
                NOW,
                &Consents::of(&signature)
            )
            .await
            .unwrap()
    );
    assert!(subject.changes().await.is_empty());
}

async fn an_erasure_deletes_only_with_its_own_hash_and_once(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    let signer = &signature.signer;
    for wrong in [
        signature.link.secret_hash,
        support::keyring()
            .erasure_secret(signer, &LinkNonce::random())
            .hash(),
    ] {
        assert_eq!(
            subject
                .store
                .erase(signer, Some(&wrong), NOW)
                .await
                .unwrap(),
            None
        );
    }
    assert!(subject.store.find(signer).await.unwrap().is_some());
    let erased = subject
        .store
        .erase(signer, Some(&signature.erase_hash), NOW)
        .await
        .unwrap();
    assert_eq!(
        erased,
        Some(signature.clone()),
        "the deleted signature comes back"
    );
    assert_eq!(subject.store.find(signer).await.unwrap(), None);
    assert_eq!(
        subject
            .store
            .erase(signer, Some(&signature.erase_hash), NOW)
            .await
            .unwrap(),
        None
    );
    // The change feed or stream shows the deletion, with the signature as it was.
    let last = subject.changes().await.pop().unwrap();
    assert_eq!((last.old, last.new), (Some(signature), None));
}

async fn staff_erase_whatever_the_hash(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    assert!(
        subject
            .store
            .erase(&signature.signer, None, NOW)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(subject.store.find(&signature.signer).await.unwrap(), None);
    assert_eq!(
        subject
            .store
            .erase(&signature.signer, None, NOW)
            .await
            .unwrap(),
        None
    );
}

async fn an_erasure_leaves_a_partner_that_had_the_address_a_notice_until_told(
    subject: StoreUnderTest,
) {
    use people_first::domain::ErasedConsent;
    use people_first::ports::Seen;
    let partner = OrganisationId::random();
    let erased_of = |scan: std::sync::Arc<dyn people_first::ports::SignatureScan>| {
        let partner = partner.clone();
        async move {
            let mut erased = Vec::new();
            let mut from = None;
            loop {
                let page = scan.scan(from).await.unwrap();
                erased.extend(page.erased.into_iter().filter(|e| e.partner == partner));
                match page.next {
                    Some(next) => from = Some(next),
                    None => return erased,
                }
            }
        }
    };
    let mut signatures = Vec::new();
    for (email, exported) in [("told@example.org", true), ("untold@example.org", false)] {
        let mut signature = pending(email);
        signature.partner_consent = Some(consent_to(partner.clone(), "Memorial"));
        subject.store.insert_pending(&signature).await.unwrap();
        let seen = Consents::of(&signature);
        let link = &signature.link.secret_hash;
        assert!(
            subject
                .store
                .confirm(&signature.signer, link, NOW, &seen)
                .await
                .unwrap()
        );
        let confirmed = subject
            .store
            .find(&signature.signer)
            .await
            .unwrap()
            .unwrap();
        if exported {
            let mut delivered = seen.clone();
            delivered.partner_consent.as_mut().unwrap().exported_at = Some(NOW);
            let (signer, hash) = (&signature.signer, &signature.erase_hash);
            let seen = Seen::of(&confirmed);
            let replaced = subject
                .store
                .replace_consents(signer, hash, &seen, &delivered);
            assert!(replaced.await.unwrap());
        }
        signatures.push(
            subject
                .store
                .find(&signature.signer)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let at = NOW.plus_seconds(60);
    for signature in &signatures {
        let erased = subject
            .store
            .erase(&signature.signer, Some(&signature.erase_hash), at);
        assert_eq!(erased.await.unwrap().as_ref(), Some(signature));
        assert_eq!(subject.store.find(&signature.signer).await.unwrap(), None);
    }
    let told = ErasedConsent::of(&signatures[0], at).unwrap();
    assert_eq!(
        erased_of(subject.scan.clone()).await,
        vec![told.clone()],
        "only the partner that had the address hears of it, by its address alone"
    );
    let older = ErasedConsent {
        erased_at: NOW,
        ..told.clone()
    };
    subject.store.forget_erased(&older).await.unwrap();
    assert_eq!(
        erased_of(subject.scan.clone()).await,
        vec![told.clone()],
        "a notice left after the export read the table waits for the next"
    );
    subject.store.forget_erased(&told).await.unwrap();
    assert_eq!(erased_of(subject.scan.clone()).await, vec![]);
}

fn organisation_request(name: &str) -> (Organisation, Contact, ConfirmationSecret) {
    use people_first::domain::{Country, Email, Locale, OrganisationName, Website};
    let secret = support::keyring().confirmation_secret(
        &support::keyring().signer_key(&Email::parse("anna@memorial.de").unwrap()),
        &LinkNonce::random(),
    );
    let expires_at =
        NOW.plus_seconds(people_first::use_cases::supporters::UNCONFIRMED_LIFETIME_SECONDS);
    let organisation = Organisation {
        id: OrganisationId::random(),
        names: [(Locale::De, OrganisationName::parse(name).unwrap())].into(),
        locale: Locale::De,
        country: Some(Country::parse("DE").unwrap()),
        website: Some(Website::parse("memorial.de").unwrap()),
        standing: Standing::Unconfirmed,
        requested_at: NOW,
        decided_at: None,
        position: 0,
        expires_at: Some(expires_at),
        frame_origins: Vec::new(),
    };
    let contact = Contact {
        name: SignerName::parse("Anna Schmidt").unwrap(),
        email: Email::parse("anna@memorial.de").unwrap(),
        locale: Locale::De,
        link_hash: Some(secret.hash()),
        link_nonce: None,
        proven: true,
        forget_at: expires_at,
    };
    (organisation, contact, secret)
}

async fn a_flood_of_unconfirmed_requests_never_reaches_the_list_read_whole(
    subject: StoreUnderTest,
) {
    use futures_util::StreamExt;
    let store = subject.supporters.as_ref();
    let (listed, contact, secret) = organisation_request("Memorial Deutschland e.V.");
    store.insert_request(&listed, &contact).await.unwrap();
    assert!(
        store
            .confirm_contact(&listed.id, &secret.hash(), NOW)
            .await
            .unwrap()
    );
    let before = store.organisations().await.unwrap();
    assert_eq!(before.len(), 1);
    // The emulator copies every table for each transaction, minutes for a thousand; the index
    // is sparse, so a hundred there shows what ten thousand would.
    let flood = match subject.feed {
        support::Feed::Embedded(_) => 10_000,
        support::Feed::Dynamo { .. } => 100,
    };
    futures_util::stream::iter(0..flood)
        .for_each_concurrent(32, |n| async move {
            let (flood, contact, _) = organisation_request(&format!("Flood {n}"));
            store.insert_request(&flood, &contact).await.unwrap();
        })
        .await;
    assert_eq!(store.organisations().await.unwrap(), before);

    // Confirmed requests wait apart from the approved, which signing reads every minute.
    let mut approved = before[0].clone();
    approved.standing = Standing::Approved;
    assert!(
        store
            .decide(&approved, Standing::Waiting, NOW)
            .await
            .unwrap()
    );
    futures_util::stream::iter(0..20)
        .for_each_concurrent(8, |n| async move {
            let (waiting, contact, secret) = organisation_request(&format!("Waiting {n}"));
            store.insert_request(&waiting, &contact).await.unwrap();
            let link = secret.hash();
            let confirmed = store.confirm_contact(&waiting.id, &link, NOW);
            assert!(confirmed.await.unwrap());
        })
        .await;
    let approved_only = store.organisations_in(Standing::Approved).await.unwrap();
    assert_eq!(approved_only, vec![approved]);
    let waiting = store.organisations_in(Standing::Waiting).await.unwrap();
    assert_eq!(waiting.len(), 20);
    assert!(
        store
            .organisations_in(Standing::Unconfirmed)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn consents_are_replaced_only_as_they_were_seen_and_by_the_erasure_link(
    subject: StoreUnderTest,
) {
    use people_first::domain::SecretHash;
    use people_first::ports::Seen;
    let mut signature = pending("consents@example.org");
    signature.updates = true;
    signature.partner_consent = Some(consent_to(OrganisationId::initial(7), "Memorial"));
    subject.store.insert_pending(&signature).await.unwrap();
    let seen = Seen::of(&signature);
    let mut exported = seen.consents.clone();
    exported.partner_consent.as_mut().unwrap().exported_at = Some(NOW);
    let (signer, hash) = (signature.signer, signature.erase_hash);
    let replace = |seen: Seen, new: Consents, hash: SecretHash| {
        let store = subject.store.clone();
        async move {
            store
                .replace_consents(&signer, &hash, &seen, &new)
                .await
                .unwrap()
        }
    };
    let stranger = support::keyring()
        .erasure_secret(&signer, &people_first::domain::LinkNonce::random())
        .hash();
    assert!(
        !replace(seen.clone(), exported.clone(), stranger).await,
        "another link"
    );
    assert!(replace(seen.clone(), exported.clone(), hash).await);
    assert!(
        !replace(seen.clone(), exported.clone(), hash).await,
        "seen before: changed meanwhile"
    );
    let stored = subject.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(Consents::of(&stored), exported);
    let none = Consents {
        updates: false,
        partner_consent: None,
    };
    let pending_seen = Seen::of(&stored);
    assert!(
        !subject
            .store
            .confirm(&signer, &signature.link.secret_hash, NOW, &seen.consents)
            .await
            .unwrap(),
        "a confirmation that read the consents before they changed confirms nothing"
    );
    assert!(
        subject
            .store
            .confirm(&signer, &signature.link.secret_hash, NOW, &exported)
            .await
            .unwrap()
    );
    let stored = subject.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(stored.email, signature.email, "kept: its consents need it");
    assert!(
        !replace(pending_seen, none.clone(), hash).await,
        "a withdrawal that read it pending changes nothing once it is confirmed"
    );
    assert!(replace(Seen::of(&stored), none.clone(), hash).await);
    let stored = subject.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(
        (Consents::of(&stored), stored.email.clone()),
        (none, None),
        "the last consent that needed the address took it along"
    );
    assert!(stored.is_confirmed(), "the signature stays");
}

async fn the_sites_that_may_frame_a_partners_form_are_replaced_as_staff_list_them(
    subject: StoreUnderTest,
) {
    use people_first::domain::FrameOrigin;
    let store = subject.supporters.as_ref();
    let (organisation, contact, _) = organisation_request("Memorial Deutschland e.V.");
    store.insert_request(&organisation, &contact).await.unwrap();
    let listed = [
        FrameOrigin::parse("https://blog.memorial.de").unwrap(),
        FrameOrigin::parse("http://127.0.0.1:8080").unwrap(),
    ];
    assert!(
        store
            .set_frame_origins(&organisation.id, &listed)
            .await
            .unwrap()
    );
    let read = |id| async move { store.organisation(id).await.unwrap().unwrap().0 };
    let framed = read(&organisation.id).await;
    assert_eq!(framed.frame_origins, listed);
    assert_eq!(
        framed.frame_ancestors(),
        [
            "http://127.0.0.1:8080",
            "https://blog.memorial.de",
            "https://memorial.de",
            "https://www.memorial.de"
        ]
    );
    assert!(
        store
            .set_frame_origins(&organisation.id, &[])
            .await
            .unwrap()
    );
    assert_eq!(
        read(&organisation.id).await,
        organisation,
        "none listed: as before"
    );
    assert!(
        !store
            .set_frame_origins(&OrganisationId::random(), &listed)
            .await
            .unwrap(),
        "nobody's"
    );
}

async fn an_organisations_request_waits_for_its_contact_then_for_a_person(subject: StoreUnderTest) {
    let store = subject.supporters.as_ref();
    let (organisation, contact, secret) = organisation_request("Memorial Deutschland e.V.");
    let id = &organisation.id;
    store.insert_request(&organisation, &contact).await.unwrap();
    assert_eq!(
        store.organisation(id).await.unwrap(),
        Some((organisation.clone(), Some(contact.clone())))
    );
    assert_eq!(
        store.organisations().await.unwrap(),
        vec![],
        "not in the list until its contact confirms"
    );

    let wrong = people_first::domain::SecretHash::from_hex(&"ab".repeat(32)).unwrap();
    assert!(!store.confirm_contact(id, &wrong, NOW).await.unwrap());
    let later = NOW.plus_seconds(60);
    assert!(
        store
            .confirm_contact(id, &secret.hash(), later)
            .await
            .unwrap()
    );
    assert!(
        !store
            .confirm_contact(id, &secret.hash(), later)
            .await
            .unwrap()
    );
    let (waiting, kept) = store.organisation(id).await.unwrap().unwrap();
    assert_eq!(waiting.standing, Standing::Waiting);
    assert_eq!(
        waiting.expires_at, None,
        "a confirmed request does not expire"
    );
    let kept = kept.expect("the contact is kept while the request waits");
    assert!(
        kept.link_hash
            .is_some_and(|hash| hash.matches(&secret.hash())),
        "the used link is still told from any other"
    );
    assert_eq!(
        kept.forget_at,
        people_first::domain::retention::contact_forgotten_while_waiting(later)
    );

    let mut approved = waiting.clone();
    approved.standing = Standing::Approved;
    approved.position = later.unix_seconds();
    let forget = later.plus_seconds(30 * 86_400);
    assert!(
        store
            .decide(&approved, Standing::Waiting, forget)
            .await
            .unwrap()
    );
    assert!(
        !store
            .decide(&approved, Standing::Waiting, forget)
            .await
            .unwrap(),
        "a second decision from the same standing changes nothing"
    );
    let (decided, kept) = store.organisation(id).await.unwrap().unwrap();
    assert_eq!(decided, approved);
    assert_eq!(
        store.organisations_in(Standing::Approved).await.unwrap(),
        vec![approved.clone()]
    );
    assert_eq!(
        store.organisations_in(Standing::Waiting).await.unwrap(),
        vec![]
    );
    assert_eq!(kept.unwrap().forget_at, forget);
    assert_eq!(
        subject.changes().await.len(),
        0,
        "organisations never reach the signatures' consumers"
    );
}

async fn the_first_supporters_are_written_once_and_a_removal_stays(subject: StoreUnderTest) {
    let store = subject.supporters.as_ref();
    let first = people_first::use_cases::supporters::first_supporters();
    assert_eq!(store.seed(&first).await.unwrap(), 36);
    let mut removed = first[2].clone();
    removed.standing = Standing::Removed;
    assert!(
        store
            .decide(&removed, Standing::Approved, NOW)
            .await
            .unwrap()
    );
    assert_eq!(store.seed(&first).await.unwrap(), 0);
    let all = store.organisations().await.unwrap();
    let listed: Vec<&OrganisationId> = people_first::domain::supporters_list(&all)
        .into_iter()
        .map(|o| &o.id)
        .collect();
    let expected: Vec<&OrganisationId> = first
        .iter()
        .filter(|o| o.id != removed.id)
        .map(|o| &o.id)
        .collect();
    assert_eq!(listed, expected, "35 left, in the campaign's order");
}

async fn a_forgotten_contact_stays_forgotten(subject: StoreUnderTest) {
    let store = subject.supporters.as_ref();
    let (organisation, contact, secret) = organisation_request("Memorial Deutschland e.V.");
    let id = &organisation.id;
    store.insert_request(&organisation, &contact).await.unwrap();
    assert!(
        store
            .confirm_contact(id, &secret.hash(), NOW)
            .await
            .unwrap()
    );
    let (waiting, kept) = store.organisation(id).await.unwrap().unwrap();
    let forgotten_on = kept.unwrap().forget_at;

    // Decided after the contact's day: the decision stands, the contact is not brought back.
    let mut rejected = waiting.clone();
    rejected.standing = Standing::Rejected;
    rejected.decided_at = Some(forgotten_on.plus_seconds(1));
    let forget = forgotten_on.plus_seconds(30 * 86_400);
    assert!(
        store
            .decide(&rejected, Standing::Waiting, forget)
            .await
            .unwrap()
    );
    let (_, contact) = store.organisation(id).await.unwrap().unwrap();
    assert!(
        contact.is_none_or(|c| c.forget_at == forgotten_on),
        "a contact past its day is not given more days"
    );

    // On request, staff forget a contact at once.
    let (other, contact, _) = organisation_request("Andere Organisation");
    store.insert_request(&other, &contact).await.unwrap();
    assert!(store.forget_contact(&other.id).await.unwrap());
    assert_eq!(
        store.organisation(&other.id).await.unwrap(),
        Some((other.clone(), None))
    );
    assert!(!store.forget_contact(&other.id).await.unwrap());
}

async fn only_the_live_link_of_a_pending_signature_is_marked_mailed(subject: StoreUnderTest) {
    let signature = pending("oksana@example.org");
    let signer = &signature.signer;
    subject.store.insert_pending(&signature).await.unwrap();
    let other = people_first::domain::SecretHash::from_hex(&"ab".repeat(32)).unwrap();
    assert!(
        !subject
            .store
            .mark_mailed(signer, &other, NOW)
            .await
            .unwrap()
    );
    assert!(
        subject
            .store
            .mark_mailed(signer, &signature.link.secret_hash, NOW)
            .await
            .unwrap()
    );
    let marked = subject.store.find(signer).await.unwrap().unwrap();
    assert!(
        marked
            .mailed_link
            .is_some_and(|m| m.matches(&signature.link.secret_hash))
    );
    assert_eq!(marked.mailed_at, Some(NOW), "the reminder counts from it");
    let mut unmarked = marked.clone();
    unmarked.mailed_link = None;
    unmarked.mailed_at = None;
    assert_eq!(unmarked, signature, "nothing else changed");
    // Confirmed, it is no longer waiting for an email.
    subject
        .store
        .confirm(
            signer,
            &signature.link.secret_hash,
            NOW,
            &Consents::of(&signature),
        )
        .await
        .unwrap();
    assert!(
        !subject
            .store
            .mark_mailed(signer, &signature.link.secret_hash, NOW)
            .await
            .unwrap()
    );
    let unknown = pending("nobody@example.org");
    assert!(
        !subject
            .store
            .mark_mailed(&unknown.signer, &unknown.link.secret_hash, NOW)
            .await
            .unwrap()
    );
}

async fn ses_feedback_marks_or_erases_only_pending_signatures(subject: StoreUnderTest) {
    let bounced = pending("gone@example.org");
    let complained = pending("angry@example.org");
    let confirmed = pending("kept@example.org");
    for signature in [&bounced, &complained, &confirmed] {
        subject.store.insert_pending(signature).await.unwrap();
    }
    subject
        .store
        .confirm(
            &confirmed.signer,
            &confirmed.link.secret_hash,
            NOW,
            &Consents::of(&confirmed),
        )
        .await
        .unwrap();

    assert!(
        subject
            .store
            .mark_undeliverable(&bounced.signer)
            .await
            .unwrap()
    );
    let marked = subject.store.find(&bounced.signer).await.unwrap().unwrap();
    assert!(marked.undeliverable);
    assert_eq!(
        people_first::domain::Signature {
            undeliverable: false,
            ..marked
        },
        bounced,
        "nothing else changed"
    );
    assert_eq!(
        subject
            .store
            .erase_pending(&complained.signer)
            .await
            .unwrap(),
        Some(complained.clone())
    );
    assert_eq!(subject.store.find(&complained.signer).await.unwrap(), None);
    assert_eq!(
        subject
            .store
            .erase_pending(&complained.signer)
            .await
            .unwrap(),
        None
    );

    // A confirmed signature is its mailbox owner's: neither touches it.
    assert!(
        !subject
            .store
            .mark_undeliverable(&confirmed.signer)
            .await
            .unwrap()
    );
    assert_eq!(
        subject
            .store
            .erase_pending(&confirmed.signer)
            .await
            .unwrap(),
        None
    );
    let kept = subject
        .store
        .find(&confirmed.signer)
        .await
        .unwrap()
        .unwrap();
    assert!(kept.is_confirmed() && !kept.undeliverable);
}

async fn emails_to_a_mailbox_are_counted_per_day_up_to_the_limit(subject: StoreUnderTest) {
    let keyring = support::keyring();
    let mailbox =
        |address: &str| keyring.mailbox_key(&people_first::domain::Email::parse(address).unwrap());
    let victim = mailbox("victim+1@example.org");
    assert_eq!(
        victim,
        mailbox("Victim+2@Example.org"),
        "tags fold for the limit"
    );
    let mut allowed = Vec::new();
    for _ in 0..4 {
        allowed.push(subject.store.count_email_to(&victim, NOW, 3).await.unwrap());
    }
    assert_eq!(allowed, [true, true, true, false]);
    // An email counted for nothing is given back, once.
    subject.store.uncount_email_to(&victim, NOW).await.unwrap();
    assert!(subject.store.count_email_to(&victim, NOW, 3).await.unwrap());
    assert!(!subject.store.count_email_to(&victim, NOW, 3).await.unwrap());
    let other = mailbox("someone@example.org");
    assert!(subject.store.count_email_to(&other, NOW, 3).await.unwrap());
    let tomorrow = NOW.plus_seconds(86_400);
    assert!(
        subject
            .store
            .count_email_to(&victim, tomorrow, 3)
            .await
            .unwrap()
    );
    // No count is a signature: staff reading every signature see none of them, and see each
    // mailbox's day as a count, never as its mailbox.
    let (read, mut days) = read_whole(&subject).await;
    assert_eq!(read, 0);
    days.sort_unstable();
    let (today, next_day) = (UtcDay::of(NOW), UtcDay::of(tomorrow));
    assert_eq!(days, [(today, 1), (today, 3), (next_day, 1)]);
}

/// Every page of a scan: how many signatures, and the mailboxes' days.
async fn read_whole(subject: &StoreUnderTest) -> (usize, Vec<(UtcDay, u32)>) {
    use people_first::ports::SignatureScan;
    let dynamo;
    let scan: &dyn SignatureScan = match &subject.feed {
        support::Feed::Embedded(store) => store.as_ref(),
        support::Feed::Dynamo { config, table } => {
            dynamo = people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table);
            &dynamo
        }
    };
    let (mut read, mut days, mut from) = (0, Vec::new(), None);
    loop {
        let page = scan.scan(from).await.unwrap();
        read += page.signatures.len();
        days.extend(page.mailbox_days);
        from = page.next;
        if from.is_none() {
            return (read, days);
        }
    }
}

async fn the_mails_health_reads_back_stretch_by_stretch(subject: StoreUnderTest) {
    use people_first::domain::mail_health::{MailHealth, STRETCH_SECONDS};
    use people_first::ports::MailHealthHistory;
    let dynamo;
    let history: &dyn MailHealthHistory = match &subject.feed {
        support::Feed::Embedded(store) => store.as_ref(),
        support::Feed::Dynamo { config, table } => {
            dynamo = people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table);
            &dynamo
        }
    };
    let seen = |sent| MailHealth {
        sent,
        ..MailHealth::default()
    };
    let day_ago = NOW.plus_seconds(-86_400);
    subject.health.note_mail(NOW, &seen(1)).await.unwrap();
    subject.health.note_mail(day_ago, &seen(2)).await.unwrap();
    subject.health.note_mail(day_ago, &seen(3)).await.unwrap();
    // Older than the two days asked for.
    subject
        .health
        .note_mail(NOW.plus_seconds(-3 * 86_400), &seen(9))
        .await
        .unwrap();
    let read = history
        .mail_between(NOW.plus_seconds(-2 * 86_400), NOW)
        .await
        .unwrap();
    assert_eq!(
        read,
        [
            (MailHealth::stretch_of(day_ago), seen(5)),
            (MailHealth::stretch_of(NOW), seen(1))
        ]
    );
    assert_eq!(
        history
            .mail_between(NOW.plus_seconds(STRETCH_SECONDS), NOW.plus_seconds(86_400))
            .await
            .unwrap(),
        []
    );
}

async fn the_mails_health_adds_up_over_the_last_hour_only(subject: StoreUnderTest) {
    use people_first::domain::mail_health::{MailHealth, WINDOW_SECONDS};
    let seen = MailHealth {
        sent: 10,
        sent_unproven: 1,
        bounced: 2,
        complained: 1,
        new_proven: 7,
        new_unproven: 3,
    };
    let health = subject.health.as_ref();
    health.note_mail(NOW, &seen).await.unwrap();
    health
        .note_mail(NOW.plus_seconds(-60), &seen)
        .await
        .unwrap();
    health
        .note_mail(NOW.plus_seconds(-WINDOW_SECONDS - 1), &seen)
        .await
        .unwrap();
    let mut twice = seen;
    twice.add(&seen);
    assert_eq!(health.recent_mail(NOW).await.unwrap(), twice);
    assert_eq!(
        health
            .recent_mail(NOW.plus_seconds(2 * WINDOW_SECONDS))
            .await
            .unwrap(),
        MailHealth::default(),
        "an hour later, nothing"
    );
}

fn texts(subject: &str) -> std::collections::BTreeMap<Locale, people_first::domain::UpdateText> {
    [(Locale::En, subject), (Locale::Uk, "Новини")]
        .into_iter()
        .map(|(locale, subject)| {
            let text = people_first::domain::UpdateText::parse(&format!("# {subject}\n\nBody."));
            (locale, text.unwrap())
        })
        .collect()
}

async fn updates_go_one_at_a_time_and_count_what_became_of_them(subject: StoreUnderTest) {
    use people_first::domain::{UpdateCounts, UpdateNumber};
    let updates = subject.updates.as_ref();
    assert_eq!(updates.latest_update().await.unwrap(), None);
    let first = updates.add_update(&texts("First"), NOW).await.unwrap();
    assert_eq!(first, Ok(UpdateNumber::FIRST));
    assert_eq!(
        updates.add_update(&texts("Second"), NOW).await.unwrap(),
        Err(UpdateNumber::FIRST),
        "one at a time"
    );
    let read = updates.latest_update().await.unwrap().unwrap();
    assert_eq!(
        (read.texts, read.sent_at, read.from, read.done),
        (texts("First"), NOW, None, false)
    );

    let one = UpdateNumber::FIRST;
    let sent = UpdateCounts {
        sent: 2,
        ..UpdateCounts::default()
    };
    assert!(
        updates
            .advance_update(one, None, Some("page"), &sent)
            .await
            .unwrap()
    );
    assert!(
        !updates
            .advance_update(one, None, Some("other"), &sent)
            .await
            .unwrap(),
        "another sender moved it first"
    );
    assert!(
        updates
            .advance_update(one, Some("page"), None, &sent)
            .await
            .unwrap()
    );
    assert!(
        !updates
            .advance_update(one, None, None, &sent)
            .await
            .unwrap(),
        "done"
    );
    let feedback = UpdateCounts {
        complained: 1,
        unsubscribed: 2,
        ..UpdateCounts::default()
    };
    updates.count_update(one, &feedback).await.unwrap();
    let done = updates.update(one).await.unwrap().unwrap();
    assert!(done.done && done.from.is_none());
    assert_eq!(
        done.counts,
        UpdateCounts {
            sent: 4,
            complained: 1,
            unsubscribed: 2,
            ..UpdateCounts::default()
        }
    );
    let second = updates.add_update(&texts("Second"), NOW).await.unwrap();
    assert_eq!(second, Ok(UpdateNumber::new(2)));
    assert_eq!(
        updates.latest_update().await.unwrap().unwrap().number,
        UpdateNumber::new(2)
    );
    let olena = pending("olena@example.org").signer;
    assert!(updates.claim_update(one, &olena).await.unwrap());
    assert!(
        updates
            .claim_update(UpdateNumber::new(2), &olena)
            .await
            .unwrap(),
        "each update has its own claims"
    );
    assert_eq!(updates.update(UpdateNumber::new(9)).await.unwrap(), None);
}

async fn each_signer_is_claimed_once_for_an_update(subject: StoreUnderTest) {
    use people_first::domain::UpdateNumber;
    use people_first::ports::Settled;
    let updates = subject.updates.as_ref();
    updates
        .add_update(&texts("First"), NOW)
        .await
        .unwrap()
        .unwrap();
    let (olena, taras) = (
        pending("olena@example.org").signer,
        pending("taras@example.org").signer,
    );
    let one = UpdateNumber::FIRST;
    assert!(updates.claim_update(one, &olena).await.unwrap());
    assert!(
        !updates.claim_update(one, &olena).await.unwrap(),
        "claimed once"
    );
    assert!(updates.claim_update(one, &taras).await.unwrap());
    assert_eq!(updates.claims(one).await.unwrap().unsettled, 2);
    updates
        .settle_update(one, &olena, Settled::Sent)
        .await
        .unwrap();
    updates
        .settle_update(one, &taras, Settled::Returned)
        .await
        .unwrap();
    assert_eq!(
        updates.claims(one).await.unwrap(),
        people_first::ports::Claims {
            sent: 1,
            refused: 0,
            unsettled: 0
        }
    );
    assert!(
        !updates.claim_update(one, &olena).await.unwrap(),
        "sent stays claimed"
    );
    assert!(
        updates.claim_update(one, &taras).await.unwrap(),
        "returned is claimed again"
    );
}

async fn a_reminder_is_claimed_once_for_a_mailed_live_link(subject: StoreUnderTest) {
    use people_first::ports::ReminderPass;
    let (store, reminders) = (subject.store.as_ref(), subject.reminders.as_ref());
    let signature = pending("oksana@example.org");
    let (signer, link) = (&signature.signer, &signature.link.secret_hash);
    store.insert_pending(&signature).await.unwrap();
    let later = NOW.plus_seconds(86_400);
    assert!(
        !reminders.claim_reminder(signer, link, later).await.unwrap(),
        "never mailed"
    );
    store.mark_mailed(signer, link, NOW).await.unwrap();
    let other = people_first::domain::SecretHash::from_hex(&"ab".repeat(32)).unwrap();
    assert!(
        !reminders
            .claim_reminder(signer, &other, later)
            .await
            .unwrap(),
        "another link"
    );
    assert!(reminders.claim_reminder(signer, link, later).await.unwrap());
    assert!(
        !reminders.claim_reminder(signer, link, later).await.unwrap(),
        "once"
    );
    reminders.release_reminder(signer, later).await.unwrap();
    assert_eq!(store.find(signer).await.unwrap().unwrap().reminded_at, None);
    assert!(
        reminders.claim_reminder(signer, link, later).await.unwrap(),
        "given back"
    );
    store
        .confirm(signer, link, later, &Consents::of(&signature))
        .await
        .unwrap();
    let confirmed = store.find(signer).await.unwrap().unwrap();
    assert_eq!(
        confirmed.reminded_at,
        Some(later),
        "kept, for staff to count"
    );
    assert!(
        !reminders.claim_reminder(signer, link, later).await.unwrap(),
        "confirmed"
    );

    let bounced = pending("gone@example.org");
    store.insert_pending(&bounced).await.unwrap();
    store
        .mark_mailed(&bounced.signer, &bounced.link.secret_hash, NOW)
        .await
        .unwrap();
    store.mark_undeliverable(&bounced.signer).await.unwrap();
    assert!(
        !reminders
            .claim_reminder(&bounced.signer, &bounced.link.secret_hash, later)
            .await
            .unwrap(),
        "never to an address that bounced"
    );

    assert_eq!(reminders.reminder_pass().await.unwrap(), None);
    let first = ReminderPass {
        started_at: NOW,
        from: None,
        done: false,
    };
    let on = ReminderPass {
        from: Some("page".into()),
        ..first.clone()
    };
    assert!(reminders.save_reminder_pass(None, &first).await.unwrap());
    assert!(
        !reminders.save_reminder_pass(None, &on).await.unwrap(),
        "one pass at a time"
    );
    assert!(
        reminders
            .save_reminder_pass(Some(&first), &on)
            .await
            .unwrap()
    );
    assert!(
        !reminders
            .save_reminder_pass(Some(&first), &on)
            .await
            .unwrap()
    );
    let done = ReminderPass {
        from: None,
        done: true,
        ..on.clone()
    };
    assert!(
        reminders
            .save_reminder_pass(Some(&on), &done)
            .await
            .unwrap()
    );
    assert_eq!(reminders.reminder_pass().await.unwrap(), Some(done));
}

people_first::on_both!(
    embedded => super::StoreUnderTest::embedded(),
    dynamodb => super::StoreUnderTest::dynamo().await;
    updates_go_one_at_a_time_and_count_what_became_of_them,
    each_signer_is_claimed_once_for_an_update,
    a_reminder_is_claimed_once_for_a_mailed_live_link,
    an_organisations_request_waits_for_its_contact_then_for_a_person,
    the_sites_that_may_frame_a_partners_form_are_replaced_as_staff_list_them,
    consents_are_replaced_only_as_they_were_seen_and_by_the_erasure_link,
    an_erasure_leaves_a_partner_that_had_the_address_a_notice_until_told,
    a_flood_of_unconfirmed_requests_never_reaches_the_list_read_whole,
    the_first_supporters_are_written_once_and_a_removal_stays,
    a_forgotten_contact_stays_forgotten,
    the_mails_health_adds_up_over_the_last_hour_only,
    the_mails_health_reads_back_stretch_by_stretch,
    a_newer_submission_replaces_a_pending_signatures_choices_only,
    emails_to_a_mailbox_are_counted_per_day_up_to_the_limit,
    ses_feedback_marks_or_erases_only_pending_signatures,
    only_the_live_link_of_a_pending_signature_is_marked_mailed,
    a_new_signature_is_stored_and_found,
    a_second_insert_for_the_same_signer_returns_the_first_and_writes_nothing,
    a_link_is_renewed_only_from_the_link_it_replaces,
    a_renewed_link_is_mailed_even_where_the_last_one_bounced,
    the_motions_of_signing_change_nothing_where_nothing_is_to_change,
    confirming_moves_to_confirmed_once_and_forgets_the_address,
    a_signer_who_wants_updates_keeps_their_address,
    a_wrong_or_expired_link_confirms_nothing,
    fifty_concurrent_confirmations_make_exactly_one_transition,
    an_unknown_signer_is_not_found,
    an_erasure_deletes_only_with_its_own_hash_and_once,
    staff_erase_whatever_the_hash,
);

/// DynamoDB's TTL deletes expired items on its own; the local stack does it with this.
#[tokio::test]
async fn the_embedded_store_purges_pending_signatures_past_their_time_and_keeps_the_rest() {
    let subject = StoreUnderTest::embedded();
    let support::Feed::Embedded(store) = &subject.feed else {
        unreachable!()
    };
    let (stale, confirmed, fresh) = (
        pending("stale@example.org"),
        pending("kept@example.org"),
        pending("fresh@example.org"),
    );
    for signature in [&stale, &confirmed] {
        subject.store.insert_pending(signature).await.unwrap();
    }
    assert!(
        subject
            .store
            .confirm(
                &confirmed.signer,
                &confirmed.link.secret_hash,
                NOW,
                &Consents::of(&confirmed)
            )
            .await
            .unwrap()
    );
    let later = stale.expires_at.unwrap();
    let mut fresh = fresh;
    fresh.expires_at = Some(later.plus_seconds(1));
    subject.store.insert_pending(&fresh).await.unwrap();

    assert_eq!(store.purge_expired(later).await.unwrap(), 1);
    assert_eq!(subject.store.find(&stale.signer).await.unwrap(), None);
    assert!(
        subject
            .store
            .find(&confirmed.signer)
            .await
            .unwrap()
            .is_some()
    );
    assert!(subject.store.find(&fresh.signer).await.unwrap().is_some());
    let last = subject.changes().await.pop().unwrap();
    assert_eq!((last.old, last.new), (Some(stale), None));
    assert_eq!(store.purge_expired(later).await.unwrap(), 0);
}

/// The mailed mark is for the mailer's own next look: the local feed leaves it out, so that a
/// spike's signatures do not each cost every consumer a second record.
#[tokio::test]
async fn the_embedded_feed_leaves_the_mailed_mark_out() {
    let subject = StoreUnderTest::embedded();
    let signature = pending("olena@example.org");
    subject.store.insert_pending(&signature).await.unwrap();
    assert!(
        subject
            .store
            .mark_mailed(&signature.signer, &signature.link.secret_hash, NOW)
            .await
            .unwrap()
    );
    let changes = subject.changes().await;
    assert_eq!(changes.len(), 1, "the insert alone: {changes:#?}");
    subject
        .store
        .confirm(
            &signature.signer,
            &signature.link.secret_hash,
            NOW,
            &Consents::of(&signature),
        )
        .await
        .unwrap();
    let last = subject.changes().await.pop().unwrap();
    assert!(
        last.old.unwrap().mailed_link.is_some(),
        "the confirmation's old image is the signature as it was, mark and all"
    );
}

async fn counted(
    store: &people_first::adapters::embedded::EmbeddedStore,
    mailbox: people_first::domain::MailboxKey,
    at: Timestamp,
) -> bool {
    use people_first::ports::MailboxCounts;
    store.count_email_to(&mailbox, at, 3).await.unwrap()
}

/// The embedded store keeps the day's counts of emails in memory: a restart must not give a
/// flooded mailbox three more emails, and the days the purge forgets stay forgotten.
#[tokio::test]
async fn the_embedded_store_keeps_the_days_email_counts_across_a_restart() {
    use people_first::adapters::embedded::EmbeddedStore;
    use people_first::ports::MailboxCounts;
    let dir = tempfile::tempdir().unwrap();
    let keyring = support::keyring();
    let mailbox =
        |address: &str| keyring.mailbox_key(&people_first::domain::Email::parse(address).unwrap());
    let (victim, other) = (mailbox("victim@example.org"), mailbox("other@example.org"));
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        for _ in 0..3 {
            assert!(counted(&store, victim, NOW).await);
        }
        assert!(counted(&store, other, NOW).await);
        assert!(counted(&store, other, NOW).await);
        store.uncount_email_to(&other, NOW).await.unwrap();
    }

    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert!(
        !counted(&store, victim, NOW).await,
        "three today, restart or not"
    );
    assert!(counted(&store, other, NOW).await);
    assert!(counted(&store, other, NOW).await);
    assert!(!counted(&store, other, NOW).await, "one given back, once");
    let tomorrow = NOW.plus_seconds(86_400);
    assert!(counted(&store, victim, tomorrow).await);
    store.purge_expired(tomorrow).await.unwrap();
    assert!(
        counted(&store, victim, NOW).await,
        "the day before is forgotten"
    );
    drop(store);

    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert!(
        counted(&store, victim, NOW).await && counted(&store, victim, NOW).await,
        "the purged day is gone from the file too; only the count after the purge is left"
    );
    assert!(!counted(&store, victim, NOW).await);
    assert!(counted(&store, victim, tomorrow).await);
    assert!(counted(&store, victim, tomorrow).await);
    assert!(
        !counted(&store, victim, tomorrow).await,
        "tomorrow's count was kept"
    );
}

/// As DynamoDB's TTL does on AWS: an unconfirmed request goes after its days, and a contact on
/// the day it is forgotten, while its organisation stays.
#[tokio::test]
async fn the_embedded_store_forgets_contacts_and_unconfirmed_requests_on_their_day() {
    let subject = StoreUnderTest::embedded();
    let support::Feed::Embedded(store) = &subject.feed else {
        unreachable!()
    };
    let supporters = subject.supporters.as_ref();
    let (unconfirmed, contact, _) = organisation_request("Nie bestätigt");
    supporters
        .insert_request(&unconfirmed, &contact)
        .await
        .unwrap();
    let (decided, contact, secret) = organisation_request("Memorial Deutschland e.V.");
    supporters.insert_request(&decided, &contact).await.unwrap();
    assert!(
        supporters
            .confirm_contact(&decided.id, &secret.hash(), NOW)
            .await
            .unwrap()
    );
    let mut approved = supporters
        .organisation(&decided.id)
        .await
        .unwrap()
        .unwrap()
        .0;
    approved.standing = Standing::Approved;
    let forget = NOW.plus_seconds(30 * 86_400);
    supporters
        .decide(&approved, Standing::Waiting, forget)
        .await
        .unwrap();

    store
        .purge_expired(unconfirmed.expires_at.unwrap())
        .await
        .unwrap();
    assert_eq!(
        supporters.organisation(&unconfirmed.id).await.unwrap(),
        None
    );
    assert!(
        supporters
            .organisation(&decided.id)
            .await
            .unwrap()
            .unwrap()
            .1
            .is_some(),
        "kept until its day"
    );
    store.purge_expired(forget).await.unwrap();
    assert_eq!(
        supporters.organisation(&decided.id).await.unwrap(),
        Some((approved, None)),
        "the organisation stays on the list; its contact is gone"
    );
}
