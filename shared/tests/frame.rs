//! The sign form framed on a partner's page, through the sign function's handler: framed by the
//! partner's origins alone, crediting the partner, answering in the frame; on the local stack's
//! parts and on AWS's.

use people_first::testing as support;

use people_first::domain::{Email, FrameOrigin, Organisation, Source, Website};
use people_first::http::frame::CACHE_CONTROL_VALUE;
use people_first::use_cases::supporters::first_supporters;
use support::stack::{Answer, Stack, address, request};

/// The first supporters, the seventh with a website and a second site listed by staff.
async fn partners(stack: &Stack) -> Organisation {
    let mut organisations = first_supporters();
    organisations[6].website = Some(Website::parse("memorial.example.org").unwrap());
    organisations[6].frame_origins =
        vec![FrameOrigin::parse("https://blog.memorial.example").unwrap()];
    stack.store.supporters.seed(&organisations).await.unwrap();
    organisations[6].clone()
}

async fn get(stack: &Stack, uri: &str) -> Answer {
    stack.send(request("GET", uri, None, "")).await
}

fn frame_ancestors(answer: &Answer) -> String {
    let policy = answer.header("content-security-policy");
    let directive = policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("frame-ancestors"))
        .unwrap_or_else(|| panic!("no frame-ancestors in {policy}"));
    directive.to_owned()
}

async fn a_partners_frame_may_be_shown_by_its_sites_alone(stack: Stack) {
    let partner = partners(&stack).await;
    let frame = get(
        &stack,
        &format!("/api/frame?partner={}&lang=uk", partner.id),
    )
    .await;
    assert_eq!(frame.status, 200);
    assert_eq!(
        frame_ancestors(&frame),
        "frame-ancestors https://blog.memorial.example https://memorial.example.org https://www.memorial.example.org"
    );
    assert_eq!(frame.header("cache-control"), CACHE_CONTROL_VALUE);
    assert_eq!(frame.header("content-language"), "uk");
    let html = frame.body.replace("&#x2f;", "/");
    assert!(
        html.contains(&format!(r#"name="src" value="{}""#, partner.id)),
        "credited to the partner"
    );
    assert!(
        html.contains(&format!(
            r#"action="/api/frame?partner={}&amp;lang=uk""#,
            partner.id
        )),
        "{html}"
    );
    assert!(
        html.contains(partner.name_in(people_first::domain::Locale::Uk)),
        "it names the partner"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from another host"
    );

    // A first supporter without a website is framed nowhere until staff list a site.
    let bare = get(&stack, "/api/frame?partner=s01&lang=en").await;
    assert_eq!(
        (bare.status, frame_ancestors(&bare).as_str()),
        (200, "frame-ancestors 'none'")
    );
    for nobody in ["k3h8m2p9qa", "telegram", "%3Cb%3E", ""] {
        let answer = get(&stack, &format!("/api/frame?partner={nobody}&lang=en")).await;
        assert_eq!(answer.status, 404, "{nobody:?}");
        assert_eq!(frame_ancestors(&answer), "frame-ancestors 'none'");
    }
}

async fn the_frame_signs_without_javascript_credits_the_partner_and_answers_in_the_frame(
    stack: Stack,
) {
    let partner = partners(&stack).await;
    let at = format!("/api/frame?partner={}&lang=de", partner.id);
    let email = address("framed");
    let form = |name: &str| {
        format!(
            "name={name}&email={}&country=DE&locale=de&src={}",
            email.replace('@', "%40"),
            partner.id
        )
    };
    let wrong = stack
        .send(request(
            "POST",
            &at,
            Some("application/x-www-form-urlencoded"),
            &form(""),
        ))
        .await;
    assert_eq!(wrong.status, 422, "the frame again, with what was wrong");
    assert!(
        wrong.body.contains("Bitte geben Sie Ihren Namen ein."),
        "{}",
        wrong.body
    );
    assert!(frame_ancestors(&wrong).contains("https://memorial.example.org"));
    assert!(
        !wrong.body.contains(r#"target="_blank" novalidate"#),
        "a correction stays in the tab the form opened"
    );
    assert_eq!(wrong.header("cache-control"), "no-store");

    let signed = stack
        .send(request(
            "POST",
            &at,
            Some("application/x-www-form-urlencoded"),
            &form("Jana"),
        ))
        .await;
    assert_eq!(signed.status, 303);
    let sent = signed.header("location").to_owned();
    assert_eq!(sent, format!("{at}&step=sent"));
    let page = get(&stack, &sent).await;
    assert!(
        page.body.contains("Sehen Sie in Ihrem Postfach nach"),
        "{}",
        page.body
    );
    assert!(frame_ancestors(&page).contains("https://memorial.example.org"));

    let key = support::keyring().signer_key(&Email::parse(&email).unwrap());
    let stored = stack.store.store.find(&key).await.unwrap().unwrap();
    assert_eq!(stored.source, Some(Source::Partner(partner.id.clone())));
    assert_eq!(stack.run_mailer().await, None);
    let mail = stack.inbox(&email).await;
    assert_eq!(mail.len(), 1, "confirmation still by email");
    assert!(
        mail[0]
            .text
            .contains("https://people-first.example/api/confirm?t="),
        "the link leads to our pages"
    );
}

/// Signs in the partner's frame without a script, with `fields` added to the form; the stored
/// signature once confirmed, and the confirmation page as it showed.
async fn sign_in_the_frame_and_confirm(
    stack: &Stack,
    partner: &Organisation,
    fields: &str,
) -> (people_first::domain::Signature, String) {
    sign_in_the_frame_as(stack, partner, &address("consenting"), fields).await
}

/// As `sign_in_the_frame_and_confirm`, signing as `email`.
async fn sign_in_the_frame_as(
    stack: &Stack,
    partner: &Organisation,
    email: &str,
    fields: &str,
) -> (people_first::domain::Signature, String) {
    let form = format!(
        "name=Jana&email={}&country=DE&locale=de&src={}{fields}",
        email.replace('@', "%40"),
        partner.id
    );
    let at = format!("/api/frame?partner={}&lang=de", partner.id);
    let answer = stack
        .send(request(
            "POST",
            &at,
            Some("application/x-www-form-urlencoded"),
            &form,
        ))
        .await;
    assert_eq!(answer.status, 303);
    assert_eq!(stack.run_mailer().await, None);
    let token = support::link_token(&stack.inbox(email).await[0]);
    let page = stack.open_link(&token).await.body;
    assert_eq!(stack.confirm_form(&token).await.status, 303);
    let key = support::keyring().signer_key(&Email::parse(email).unwrap());
    (stack.store.store.find(&key).await.unwrap().unwrap(), page)
}

async fn a_consent_to_the_partner_is_kept_as_given_and_confirmed_with_the_signature(stack: Stack) {
    let partner = partners(&stack).await;
    let name = partner.name_in(people_first::domain::Locale::De).to_owned();
    // Fluent sets a name apart from the text around it, for scripts written the other way.
    let read = |html: &str| html.replace(['\u{2068}', '\u{2069}'], "");
    let at = format!("/api/frame?partner={}&lang=de", partner.id);
    let frame = read(&get(&stack, &at).await.body);
    let asks = format!("Ich möchte auch von der Organisation {name} informiert werden");
    assert!(
        frame.contains(&asks),
        "the frame asks, naming the partner: {frame}"
    );
    let ticked = r#"name="partner_updates" type="checkbox" checked"#;
    assert!(!frame.contains(ticked), "unticked");
    let before = people_first::ports::Clock::now(stack.clock.as_ref());
    let (consenting, page) =
        sign_in_the_frame_and_confirm(&stack, &partner, "&partner_updates=on").await;
    let shown = format!("Neuigkeiten der Organisation {name}");
    assert!(
        read(&page).contains(&shown),
        "the confirmation page shows it"
    );
    let consent = consenting.partner_consent.clone().expect("kept as given");
    assert_eq!(
        (
            consent.partner,
            consent.name.as_str(),
            consent.at,
            consent.privacy_policy.as_str()
        ),
        (
            partner.id.clone(),
            name.as_str(),
            before,
            people_first::domain::PRIVACY_POLICY_VERSION
        )
    );
    assert!(consenting.is_confirmed());
    assert!(
        consenting.email.is_some(),
        "the address is kept for the partner"
    );

    let (declining, page) = sign_in_the_frame_and_confirm(&stack, &partner, "").await;
    assert!(!page.contains("Neuigkeiten der Organisation"), "{page}");
    assert_eq!(declining.partner_consent, None);
    assert_eq!(
        declining.email, None,
        "no consent: the address is forgotten at confirmation"
    );
}

/// What the erasure link of `email` does when its page's button `withdraw` is pressed.
async fn press(stack: &Stack, email: &str, withdraw: &str) -> Answer {
    let token = support::erase_token(&stack.inbox(email).await[0]);
    let body = format!("t={token}&withdraw={withdraw}");
    let form = Some("application/x-www-form-urlencoded");
    stack.send(request("POST", "/api/erase", form, &body)).await
}

async fn a_signer_withdraws_each_consent_apart_and_the_partner_hears_of_it_once(stack: Stack) {
    use people_first::use_cases::consent::{forget_told, mark_exported, partner_share};
    let partner = partners(&stack).await;
    let (scan, store) = (stack.store.scan.as_ref(), stack.store.store.as_ref());
    let (both, quick, late) = (address("both"), address("quick"), address("late"));
    sign_in_the_frame_as(&stack, &partner, &both, "&updates=on&partner_updates=on").await;
    sign_in_the_frame_as(&stack, &partner, &quick, "&partner_updates=on").await;
    let read = |html: &str| html.replace(['\u{2068}', '\u{2069}'], "");
    let erase_page = read(
        &stack
            .open_erase_link(&support::erase_token(&stack.inbox(&both).await[0]))
            .await
            .body,
    );
    let name = partner.name_in(people_first::domain::Locale::De);
    for button in [
        "Keine Neuigkeiten der Kampagne mehr".to_owned(),
        format!("Keine Neuigkeiten der Organisation {name} mehr"),
    ] {
        assert!(erase_page.contains(&button), "{button}: {erase_page}");
    }

    // Withdrawn before any export: the consent goes at once, the partner never hears of it.
    let withdrawn = press(&stack, &quick, "partner").await;
    assert_eq!(
        (withdrawn.status, withdrawn.header("location")),
        (303, "/de/withdrawn/")
    );
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    let emails = |list: &[people_first::domain::Signature]| -> Vec<String> {
        list.iter()
            .map(|s| s.email.as_ref().unwrap().as_str().to_owned())
            .collect()
    };
    assert_eq!(
        (emails(&share.consenting), emails(&share.withdrawn)),
        (vec![both.clone()], vec![])
    );
    let key = |email: &str| support::keyring().signer_key(&Email::parse(email).unwrap());
    let quick_now = store.find(&key(&quick)).await.unwrap().unwrap();
    assert!(quick_now.is_confirmed(), "the signature stays");
    assert_eq!((quick_now.partner_consent, quick_now.email), (None, None));

    // Withdrawn while an export reads the table: that export leaves it out, and the partner
    // never has it.
    sign_in_the_frame_as(&stack, &partner, &late, "&partner_updates=on").await;
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    assert_eq!(press(&stack, &late, "partner").await.status, 303);
    let at = people_first::ports::Clock::now(stack.clock.as_ref());
    let exported = mark_exported(store, share.consenting, at).await.unwrap();
    assert_eq!(emails(&exported), vec![both.clone()]);
    let late_now = store.find(&key(&late)).await.unwrap().unwrap();
    assert_eq!((late_now.partner_consent, late_now.email), (None, None));

    // Delivered, then withdrawn: the next export tells the partner, once.
    assert_eq!(press(&stack, &both, "partner").await.status, 303);
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    assert_eq!(
        (emails(&share.consenting), emails(&share.withdrawn)),
        (vec![], vec![both.clone()])
    );
    assert_eq!(
        forget_told(store, &share.withdrawn, &share.erased)
            .await
            .unwrap(),
        0
    );
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    assert!(share.consenting.is_empty() && share.withdrawn.is_empty());
    let both_now = store.find(&key(&both)).await.unwrap().unwrap();
    assert_eq!(both_now.partner_consent, None);
    assert!(
        both_now.email.is_some(),
        "the campaign's updates still need it"
    );

    assert_eq!(press(&stack, &both, "campaign").await.status, 303);
    let both_now = store.find(&key(&both)).await.unwrap().unwrap();
    assert!(both_now.is_confirmed(), "still counted");
    assert_eq!((both_now.updates, both_now.email), (false, None));
    assert_eq!(press(&stack, &both, "neither").await.status, 404);
}

async fn a_signer_who_erases_after_an_export_is_listed_for_the_partner_once(stack: Stack) {
    use people_first::use_cases::consent::{forget_told, mark_exported, partner_share};
    let partner = partners(&stack).await;
    let (scan, store) = (stack.store.scan.as_ref(), stack.store.store.as_ref());
    let gone = address("gone");
    sign_in_the_frame_as(&stack, &partner, &gone, "&partner_updates=on").await;
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    let at = people_first::ports::Clock::now(stack.clock.as_ref());
    assert_eq!(
        mark_exported(store, share.consenting, at)
            .await
            .unwrap()
            .len(),
        1
    );

    let token = support::erase_token(&stack.inbox(&gone).await[0]);
    assert_eq!(stack.erase(&token, "application/json").await.status, 200);
    let key = support::keyring().signer_key(&Email::parse(&gone).unwrap());
    assert_eq!(
        store.find(&key).await.unwrap(),
        None,
        "the signature is gone"
    );
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    let told: Vec<&str> = share.erased.iter().map(|e| e.email.as_str()).collect();
    assert_eq!(told, [gone.as_str()], "the partner must stop writing to it");
    assert!(share.consenting.is_empty() && share.withdrawn.is_empty());
    forget_told(store, &share.withdrawn, &share.erased)
        .await
        .unwrap();
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    assert!(share.erased.is_empty(), "told once, then forgotten");
}

async fn an_export_that_could_not_be_written_leaves_nothing_delivered(stack: Stack) {
    use people_first::use_cases::consent::{mark_exported, partner_share, unmark_exported};
    let partner = partners(&stack).await;
    let (scan, store) = (stack.store.scan.as_ref(), stack.store.store.as_ref());
    let undelivered = address("undelivered");
    sign_in_the_frame_as(&stack, &partner, &undelivered, "&partner_updates=on").await;
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    let at = people_first::ports::Clock::now(stack.clock.as_ref());
    let marked = mark_exported(store, share.consenting, at).await.unwrap();
    assert_eq!(unmark_exported(store, &marked, at).await.unwrap(), 0);

    // The partner never had it: a withdrawal now is never told to it, and takes the address.
    assert_eq!(press(&stack, &undelivered, "partner").await.status, 303);
    let share = partner_share(scan, &partner.id, |_| {}).await.unwrap();
    assert!(share.consenting.is_empty() && share.withdrawn.is_empty());
    let key = support::keyring().signer_key(&Email::parse(&undelivered).unwrap());
    let now = store.find(&key).await.unwrap().unwrap();
    assert_eq!((now.partner_consent, now.email), (None, None));
}

fn gzipped(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes).unwrap();
    gzip.finish().unwrap().len()
}

/// The frame's page and the two files it fetches, all of them ours: at most 15 KB gzipped in
/// every language (the tests/bench `home_page` part reports the figures).
#[tokio::test]
async fn the_framed_page_weighs_under_fifteen_kilobytes_with_what_it_fetches() {
    let stack = Stack::local();
    partners(&stack).await;
    let assets = gzipped(include_bytes!("../../static/assets/site.css"))
        + gzipped(include_bytes!("../../static/assets/site.js"));
    for locale in people_first::domain::Locale::ALL {
        let frame = get(&stack, &format!("/api/frame?partner=s07&lang={locale}")).await;
        let fetched: Vec<&str> = frame
            .body
            .split(['"', '\''])
            .filter(|s| s.starts_with("&#x2f;assets") || s.starts_with("/assets"))
            .collect();
        assert_eq!(fetched.len(), 2, "{locale}: {fetched:?}");
        let total = gzipped(frame.body.as_bytes()) + assets;
        assert!(total <= 15 * 1024, "{locale}: {total} bytes gzipped");
    }
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    a_partners_frame_may_be_shown_by_its_sites_alone,
    the_frame_signs_without_javascript_credits_the_partner_and_answers_in_the_frame,
    a_consent_to_the_partner_is_kept_as_given_and_confirmed_with_the_signature,
    a_signer_withdraws_each_consent_apart_and_the_partner_hears_of_it_once,
    a_signer_who_erases_after_an_export_is_listed_for_the_partner_once,
    an_export_that_could_not_be_written_leaves_nothing_delivered,
);
