//! The function binaries as Lambda runs them: started under a Runtime API, configured
//! from the environment, talking to DynamoDB and SES on the emulator.

use people_first::testing as support;

use people_first::domain::ChangedItem;
use people_first::http::edge::{CALLS_SKIPPING_THE_CDN, ORIGIN_HEADER};
use support::runtime_api::{Function, deployed_environment, http_event};
use support::ses_events::{about_an_organisation, bounce, complaint, sns_delivery};
use support::stack::address;
use support::{Feed, MailerUnderTest, StoreUnderTest};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_skips_the_cdn_is_refused_and_changes_nothing() {
    let store = StoreUnderTest::dynamo().await;
    let _ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let env = deployed_environment(config, table).await;
    let signature =
        serde_json::json!({ "name": "Oksana", "email": address("direct"), "country": "UA", "locale": "uk" })
            .to_string();
    let link = format!("t={}", "A".repeat(86));
    let requests = [
        (
            "sign",
            http_event("POST", "/api/sign", "", "application/json", &signature),
        ),
        (
            "confirm",
            http_event(
                "POST",
                "/api/confirm",
                "",
                "application/x-www-form-urlencoded",
                &link,
            ),
        ),
        (
            "erase",
            http_event(
                "POST",
                "/api/erase",
                "",
                "application/x-www-form-urlencoded",
                &link,
            ),
        ),
        (
            "count",
            http_event("GET", "/api/count", "", "text/plain", ""),
        ),
    ];
    for (name, through_the_cdn) in requests {
        let mut function = Function::start(name, &env).await;
        let mut direct = through_the_cdn.clone();
        direct["headers"]
            .as_object_mut()
            .unwrap()
            .remove(ORIGIN_HEADER);
        let mut guessed = through_the_cdn.clone();
        guessed["headers"][ORIGIN_HEADER] = "the-cdn-says-this-came-through-the-sitf".into();
        for request in [direct, guessed] {
            let answer = function.invoke(request).await.unwrap();
            assert_eq!(answer["statusCode"], 403, "{name}");
            assert!(
                answer["body"]
                    .as_str()
                    .unwrap()
                    .contains("Ця адреса відповідає лише через сайт кампанії"),
                "{name} says why, in the requester's language"
            );
        }
        let admitted = function.invoke(through_the_cdn).await.unwrap();
        assert_ne!(admitted["statusCode"], 403, "{name}");
        let counted = |function: &Function| {
            function
                .printed()
                .iter()
                .filter(|line| line.contains(&format!("\"{CALLS_SKIPPING_THE_CDN}\":1")))
                .count()
        };
        for _ in 0..50 {
            if counted(&function) >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(
            counted(&function),
            2,
            "{name} counts each call that skipped the CDN, and only those"
        );
    }
    let stream = support::stream::read_event(config, table).await;
    let signatures = people_first::adapters::stream::changes_in(stream.records)
        .unwrap()
        .into_iter()
        .filter(|change| matches!(change.item, ChangedItem::Signature(_)))
        .count();
    assert_eq!(
        signatures, 1,
        "only the signature that came through the CDN was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_function_asks_the_challenge_with_its_secret_from_secrets_manager() {
    let store = StoreUnderTest::dynamo().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let (url, asked) = crate::challenge::provider().await;
    let secret = aws_sdk_secretsmanager::Client::new(config)
        .create_secret()
        .name(format!("people-first-challenge-{table}"))
        .secret_string(crate::challenge::SECRET)
        .send()
        .await
        .unwrap();
    let mut env = deployed_environment(config, table).await;
    env.extend([
        ("PEOPLE_FIRST_CHALLENGE", "turnstile".to_owned()),
        ("PEOPLE_FIRST_CHALLENGE_SITE_KEY", "site-key-1".to_owned()),
        (
            "PEOPLE_FIRST_CHALLENGE_SECRET_ARN",
            secret.arn().unwrap().to_owned(),
        ),
        ("PEOPLE_FIRST_CHALLENGE_VERIFY_URL", url),
    ]);
    let mut sign = Function::start("sign", &env).await;
    let email = address("challenged");
    let body = serde_json::json!({
        "name": "Oksana", "email": email, "country": "UA", "locale": "uk", "challenge": "genuine",
    })
    .to_string();
    let mut event = http_event("POST", "/api/sign", "", "application/json", &body);
    event["headers"]["origin"] = support::mail_settings().public_url.into();
    assert_eq!(sign.invoke(event).await.unwrap()["statusCode"], 202);
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
    let signer =
        support::keyring().signer_key(&people_first::domain::Email::parse(&email).unwrap());
    assert!(
        store.store.find(&signer).await.unwrap().is_some(),
        "the provider passed the answer: it was asked with the campaign's secret"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_mailer_and_confirm_work_together_as_deployed() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let env = deployed_environment(config, table).await;
    let mut sign = Function::start("sign", &env).await;
    let mut mail = MailPath::start(&env).await;
    let mut confirm = Function::start("confirm", &env).await;

    let email = address("deployed");
    let body =
        serde_json::json!({ "name": "Oksana", "email": email, "country": "UA", "locale": "uk" })
            .to_string();
    // A form on another site: refused, in the signer's language, before anything is stored.
    let mut from_elsewhere = http_event("POST", "/api/sign", "", "application/json", &body);
    from_elsewhere["headers"]["origin"] = "https://prize.example".into();
    from_elsewhere["headers"]["sec-fetch-site"] = "cross-site".into();
    let refused = sign.invoke(from_elsewhere).await.unwrap();
    assert_eq!(refused["statusCode"], 403);
    assert!(
        refused["body"]
            .as_str()
            .unwrap()
            .contains("Будь ласка, підпишіть на сайті кампанії")
    );
    let mut from_the_site = http_event("POST", "/api/sign", "", "application/json", &body);
    from_the_site["headers"]["origin"] = support::mail_settings().public_url.into();
    let signed = sign.invoke(from_the_site).await.unwrap();
    assert_eq!(signed["statusCode"], 202);
    assert_eq!(signed["body"], r#"{"status":"check-email"}"#);
    let refused = sign
        .invoke(http_event(
            "POST",
            "/api/sign",
            "",
            "application/json",
            "{}",
        ))
        .await
        .unwrap();
    assert_eq!(
        refused["statusCode"], 422,
        "a second invocation of the same process"
    );

    mail.run(config, table).await;
    let sent = ses.sent_to(&email).await;
    assert_eq!(sent.len(), 1);
    let token = support::link_token(&sent[0]);

    let page = confirm
        .invoke(http_event(
            "GET",
            "/api/confirm",
            &format!("t={token}"),
            "text/html",
            "",
        ))
        .await
        .unwrap();
    assert_eq!(page["statusCode"], 200);
    assert!(
        page["body"]
            .as_str()
            .unwrap()
            .contains("Підтвердити мій підпис")
    );
    let pressed = confirm
        .invoke(http_event(
            "POST",
            "/api/confirm",
            "",
            "application/x-www-form-urlencoded",
            &format!("t={token}"),
        ))
        .await
        .unwrap();
    assert_eq!(pressed["statusCode"], 303);
    assert_eq!(pressed["headers"]["location"], "/uk/thank-you/");
    assert_eq!(store.confirmations().await, 1);

    the_count_shows_it(config, table, &env).await;
    the_erasure_takes_it_off_the_count(config, table, &env, &support::erase_token(&sent[0])).await;
}

/// A partner's page frames the form from the sign function, a person signs in it without a
/// script, confirms, and the aggregate and count functions credit the partner: each function
/// reading the supporters list as deployed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_frame_signs_and_the_count_credits_it_as_deployed() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let mut organisations = people_first::use_cases::supporters::first_supporters();
    organisations[6].website =
        Some(people_first::domain::Website::parse("memorial.example.org").unwrap());
    store.supporters.seed(&organisations).await.unwrap();
    let env = deployed_environment(config, table).await;
    let mut sign = Function::start("sign", &env).await;
    let mut mail = MailPath::start(&env).await;
    let mut confirm = Function::start("confirm", &env).await;

    // The partner's page loads the frame: a navigation from another site.
    let mut shown = http_event("GET", "/api/frame", "partner=s07&lang=de", "", "");
    shown["headers"]["sec-fetch-site"] = "cross-site".into();
    let frame = sign.invoke(shown).await.unwrap();
    assert_eq!(frame["statusCode"], 200);
    assert!(
        frame["headers"]["content-security-policy"]
            .as_str()
            .unwrap()
            .contains(
                "frame-ancestors https://memorial.example.org https://www.memorial.example.org"
            ),
        "{frame}"
    );
    let email = address("framed");
    let form = format!(
        "name=Jana&email={}&country=DE&locale=de&src=s07",
        email.replace('@', "%40")
    );
    let mut sent = http_event(
        "POST",
        "/api/frame",
        "partner=s07&lang=de",
        "application/x-www-form-urlencoded",
        &form,
    );
    sent["headers"]["origin"] = support::mail_settings().public_url.into();
    let signed = sign.invoke(sent).await.unwrap();
    assert_eq!(signed["statusCode"], 303);
    assert_eq!(
        signed["headers"]["location"],
        "/api/frame?partner=s07&lang=de&step=sent"
    );

    mail.run(config, table).await;
    let token = support::link_token(&ses.sent_to(&email).await[0]);
    let pressed = confirm
        .invoke(http_event(
            "POST",
            "/api/confirm",
            "",
            "application/json",
            &serde_json::json!({ "t": token }).to_string(),
        ))
        .await
        .unwrap();
    assert_eq!(pressed["statusCode"], 200);

    let mut aggregate = Function::start("aggregate", &env).await;
    let mut count = Function::start("count", &env).await;
    let window = whole_stream_window(config, table).await;
    let counted = aggregate
        .invoke(serde_json::to_value(&window).unwrap())
        .await
        .unwrap();
    assert_eq!(counted["batchItemFailures"], serde_json::json!([]));
    let recorded = people_first::ports::CounterStore::read_counter(
        &people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table),
    )
    .await
    .unwrap();
    assert_eq!(
        recorded.sources.into_iter().collect::<Vec<_>>(),
        [(people_first::domain::Source::parse("s07").unwrap(), 1)]
    );
    let partner = count
        .invoke(http_event("GET", "/api/count", "source=s07", "", ""))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(partner["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["source"],
        serde_json::json!({ "code": "s07", "confirmed": null }),
        "one is under the small-number rule"
    );
    let nobody = count
        .invoke(http_event("GET", "/api/count", "source=k3h8m2p9qa", "", ""))
        .await
        .unwrap();
    assert_eq!(nobody["statusCode"], 301);
}

/// The erase function deletes the signature from its email's link; the aggregate function
/// subtracts it from the stream's REMOVE record.
async fn the_erasure_takes_it_off_the_count(
    config: &aws_config::SdkConfig,
    table: &str,
    env: &[(&str, String)],
    token: &str,
) {
    let mut erase = Function::start("erase", env).await;
    // The same function stops the updates, from a one-click POST as a mail client sends it.
    let unsubscribed = erase
        .invoke(http_event(
            "POST",
            "/api/unsubscribe",
            &format!("t={token}"),
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click",
        ))
        .await
        .unwrap();
    assert_eq!(unsubscribed["statusCode"], 200);
    assert!(
        unsubscribed["body"]
            .as_str()
            .is_some_and(|page| !page.contains("<form")),
        "the stopped updates' page, not the button"
    );
    let page = erase
        .invoke(http_event(
            "GET",
            "/api/erase",
            &format!("t={token}"),
            "text/html",
            "",
        ))
        .await
        .unwrap();
    assert_eq!(page["statusCode"], 200);
    assert!(
        page["body"]
            .as_str()
            .unwrap()
            .contains("Видалити мій підпис")
    );
    let body = serde_json::json!({ "t": token }).to_string();
    let erased = erase
        .invoke(http_event(
            "POST",
            "/api/erase",
            "",
            "application/json",
            &body,
        ))
        .await
        .unwrap();
    assert_eq!(erased["statusCode"], 200);
    assert_eq!(erased["body"], r#"{"status":"erased"}"#);

    let mut aggregate = Function::start("aggregate", env).await;
    let window = whole_stream_window(config, table).await;
    let counted = aggregate
        .invoke(serde_json::to_value(&window).unwrap())
        .await
        .unwrap();
    assert_eq!(counted["batchItemFailures"], serde_json::json!([]));
    let mut count = Function::start("count", env).await;
    let total = count
        .invoke(http_event("GET", "/api/count", "", "text/plain", ""))
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(total["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["total"], 0);
}

/// The table's stream so far, as the aggregate's event source mapping delivers it: one window of
/// one named shard.
async fn whole_stream_window(
    config: &aws_config::SdkConfig,
    table: &str,
) -> aws_lambda_events::dynamodb::TimeWindowEvent {
    let mut window = aws_lambda_events::dynamodb::TimeWindowEvent::default();
    window.dynamo_db_event = support::stream::read_event(config, table).await;
    window.time_window_properties.shard_id = Some("shardId-00000001".into());
    window
}

/// The aggregate function counts the confirmation and the count function shows it.
async fn the_count_shows_it(config: &aws_config::SdkConfig, table: &str, env: &[(&str, String)]) {
    let mut aggregate = Function::start("aggregate", env).await;
    let mut count = Function::start("count", env).await;
    // The stream's two records (the new signature, its confirmation) reach the aggregate
    // function as its event source mapping delivers them, with the shard named.
    let window = whole_stream_window(config, table).await;
    let counted = aggregate
        .invoke(serde_json::to_value(&window).unwrap())
        .await
        .unwrap();
    assert_eq!(counted["batchItemFailures"], serde_json::json!([]));
    let again = aggregate
        .invoke(serde_json::to_value(&window).unwrap())
        .await
        .unwrap();
    assert_eq!(
        again["batchItemFailures"],
        serde_json::json!([]),
        "a redelivery is harmless"
    );

    let total = count
        .invoke(http_event("GET", "/api/count", "", "text/plain", ""))
        .await
        .unwrap();
    assert_eq!(total["statusCode"], 200);
    let body: serde_json::Value = serde_json::from_str(total["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (
            body["total"].clone(),
            body["countries"].clone(),
            body["other_countries"].clone()
        ),
        (
            serde_json::json!(1),
            serde_json::json!({}),
            serde_json::json!(1)
        )
    );
    assert!(
        total["headers"]["cache-control"]
            .as_str()
            .unwrap()
            .contains("s-maxage")
    );
    let badge = count
        .invoke(http_event(
            "GET",
            "/api/count.svg",
            "lang=uk",
            "text/plain",
            "",
        ))
        .await
        .unwrap();
    assert!(badge["body"].as_str().unwrap().contains("1 підпис"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounces_and_complaints_from_ses_reach_the_signatures_they_are_about() {
    use people_first::ports::MailQueue;
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let env = deployed_environment(config, table).await;
    let keyring = support::keyring();
    let [gone, full, angry, confirmed, also_a_contact] =
        ["gone", "full", "angry", "confirmed", "contact"].map(address);
    // Signed now: the mailer reads the system's clock, and mails only links still alive.
    let now = people_first::ports::Clock::now(&people_first::adapters::clock::SystemClock);
    let mut signatures = Vec::new();
    for email in [&gone, &full, &angry, &confirmed, &also_a_contact] {
        let mut signature = support::pending_signature_at(email, "UA", now);
        // The confirmed signer asked for updates, so their address stays to be complained of.
        signature.updates = email == &confirmed;
        store.store.insert_pending(&signature).await.unwrap();
        signatures.push(signature);
    }
    let was_confirmed = &signatures[3];
    assert!(
        store
            .store
            .confirm(
                &was_confirmed.signer,
                &was_confirmed.link.secret_hash,
                now,
                &people_first::ports::Consents::of(was_confirmed)
            )
            .await
            .unwrap()
    );

    let mut events = Function::start("mail-events", &env).await;
    let delivery = sns_delivery(&[
        bounce(&gone, "Permanent"),
        bounce(&full, "Transient"),
        complaint(&angry),
        complaint(&confirmed),
        // An organisation's email to an address that also signed: not about the signature.
        about_an_organisation(complaint(&also_a_contact)),
        about_an_organisation(bounce(&also_a_contact, "Permanent")),
    ]);
    events.invoke(delivery.clone()).await.unwrap();
    // SNS may deliver twice; acting again changes nothing.
    events.invoke(delivery).await.unwrap();

    let find = |email: &str| {
        let signer = keyring.signer_key(&people_first::domain::Email::parse(email).unwrap());
        let store = store.store.clone();
        async move { store.find(&signer).await.unwrap() }
    };
    assert!(
        find(&gone).await.unwrap().undeliverable,
        "a permanent bounce marks it"
    );
    assert!(
        !find(&full).await.unwrap().undeliverable,
        "a full mailbox may empty"
    );
    assert_eq!(
        find(&angry).await,
        None,
        "a complaint erases the pending signature"
    );
    assert!(
        find(&confirmed).await.is_some(),
        "the mailbox's owner confirmed it: a complaint does not undo that"
    );
    assert_eq!(
        find(&also_a_contact).await.as_ref(),
        Some(&signatures[4]),
        "feedback on an organisation's email leaves the signature as it was"
    );

    // The mailer sends nothing more to the mailbox that does not exist.
    let url = support::runtime_api::setting(&env, "PEOPLE_FIRST_MAIL_QUEUE");
    let queue = people_first::adapters::sqs::SqsQueue::from_sdk_config(config, url);
    let requests: Vec<_> = signatures[..2]
        .iter()
        .map(|s| people_first::ports::MailRequest::Confirmation {
            signer: s.signer,
            link: s.link.secret_hash,
            proven: true,
        })
        .collect();
    queue.enqueue(&requests).await.unwrap();
    let mut mailer = Function::start("mailer", &env).await;
    deliver_to(&mut mailer, config, url).await;
    assert!(ses.sent_to(&gone).await.is_empty());
    assert_eq!(ses.sent_to(&full).await.len(), 1);
}

/// The `id` and `t` of an organisation contact's link in an email.
fn organisation_link(email: &support::Delivered) -> (String, String) {
    let start = email
        .text
        .find("/api/organisations/confirm?id=")
        .expect("the email has the link");
    let query = email.text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .split_once('?')
        .unwrap()
        .1;
    let pairs: std::collections::HashMap<String, String> =
        serde_urlencoded::from_str(query).unwrap();
    (pairs["id"].clone(), pairs["t"].clone())
}

/// The way of an email as deployed: the stream's new records through the mail-queue function,
/// and the queue through the mailer function.
struct MailPath {
    mail_queue: Function,
    mailer: Function,
    url: String,
    seen: usize,
}

impl MailPath {
    async fn start(env: &[(&str, String)]) -> Self {
        Self {
            mail_queue: Function::start("mail-queue", env).await,
            mailer: Function::start("mailer", env).await,
            url: support::runtime_api::setting(env, "PEOPLE_FIRST_MAIL_QUEUE").to_owned(),
            seen: 0,
        }
    }

    async fn run(&mut self, config: &aws_config::SdkConfig, table: &str) {
        let mut event = support::stream::read_event(config, table).await;
        let all = event.records.len();
        event.records.drain(..self.seen);
        self.seen = all;
        let event = support::stream::as_mapped(event, "MailQueueFunction");
        let queued = self
            .mail_queue
            .invoke(serde_json::to_value(event).unwrap())
            .await
            .unwrap();
        assert_eq!(queued["batchItemFailures"], serde_json::json!([]));
        deliver_to(&mut self.mailer, config, &self.url).await;
    }
}

/// What waits in the queue at `url`, through the mailer function, which gives nothing back.
async fn deliver_to(mailer: &mut Function, config: &aws_config::SdkConfig, url: &str) {
    let failed = support::queue::deliver(config, url, |event| async {
        let answer = mailer
            .invoke(serde_json::to_value(event.payload).unwrap())
            .await
            .unwrap();
        Ok(serde_json::from_value(answer).unwrap())
    })
    .await;
    assert_eq!(failed, Vec::<String>::new());
}

/// An organisation asks through the function, in `locale`, and its contact confirms from the
/// email the mailer function sent: the page shows the organisation, the button confirms. Its
/// id and contact's address.
async fn ask_and_confirm(
    organisations: &mut Function,
    mail: &mut MailPath,
    (ses, config, table): (&MailerUnderTest, &aws_config::SdkConfig, &str),
    name: &str,
    locale: &str,
) -> (String, String) {
    let contact = address("contact");
    let body = serde_json::json!({
        "organisation": name, "country": "DE", "website": "https://memorial.de",
        "contact-name": "Anna Schmidt", "email": contact, "locale": locale,
    })
    .to_string();
    let mut request = http_event("POST", "/api/organisations", "", "application/json", &body);
    request["headers"]["origin"] = support::mail_settings().public_url.into();
    let answer = organisations.invoke(request).await.unwrap();
    assert_eq!(answer["statusCode"], 202, "{answer}");
    assert!(
        ses.sent_to(&contact).await.is_empty(),
        "the link goes through the mail queue, not while the contact waits"
    );
    mail.run(config, table).await;
    let sent = ses.sent_to(&contact).await;
    assert_eq!(sent.len(), 1);
    let (id, token) = organisation_link(&sent[0]);
    let shown = organisations
        .invoke(http_event(
            "GET",
            "/api/organisations/confirm",
            &format!("id={id}&t={token}"),
            "text/html",
            "",
        ))
        .await
        .unwrap();
    assert_eq!(shown["statusCode"], 200);
    assert!(
        shown["body"]
            .as_str()
            .unwrap()
            .contains(&name.replace('&', "&amp;"))
    );
    let pressed = organisations
        .invoke(http_event(
            "POST",
            "/api/organisations/confirm",
            "",
            "application/x-www-form-urlencoded",
            &format!("id={id}&t={token}"),
        ))
        .await
        .unwrap();
    assert_eq!(pressed["statusCode"], 303);
    assert_eq!(
        pressed["headers"]["location"],
        format!("/{locale}/organisations/confirmed/")
    );
    (id, contact)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_joins_the_list_through_the_functions_and_staff_as_deployed() {
    let store = StoreUnderTest::dynamo().await;
    let ses = MailerUnderTest::ses().await;
    let Feed::Dynamo { config, table } = &store.feed else {
        unreachable!()
    };
    let (bucket, distribution) = support::site::bucket_and_cdn(config).await;
    // As the deploy writes them, before any request.
    store
        .supporters
        .seed(&people_first::use_cases::supporters::first_supporters())
        .await
        .unwrap();
    let mut env = deployed_environment(config, table).await;
    let moderation = address("moderation");
    env.extend([
        ("PEOPLE_FIRST_MODERATION_EMAIL", moderation.clone()),
        ("PEOPLE_FIRST_SITE_BUCKET", bucket.clone()),
        ("PEOPLE_FIRST_DISTRIBUTION", distribution.clone()),
    ]);
    let mut organisations = Function::start("organisations", &env).await;
    let mut mail = MailPath::start(&env).await;

    let mut asked = Vec::new();
    for (name, locale) in [("Memorial Deutschland e.V.", "de"), ("Spam & Co", "en")] {
        let parts = (&ses, config.as_ref(), table.as_str());
        asked.push(ask_and_confirm(&mut organisations, &mut mail, parts, name, locale).await);
    }
    let notices = ses.sent_to(&moderation).await;
    assert_eq!(
        notices.len(),
        1,
        "the moderation mailbox hears when a request starts waiting, not of each one behind it"
    );
    assert!(notices[0].text.contains("Memorial Deutschland e.V."));
    assert!(
        !notices[0].text.contains("Anna"),
        "by the organisation's name only"
    );

    let staff_commands = support::StaffCommands::on(config, table).await;
    let staff = |args: &[&str]| staff_commands.run(args);
    let pending = staff(&["supporters", "pending"]);
    assert!(
        pending.contains(&asked[0].0) && pending.contains(&asked[1].0),
        "{pending}"
    );
    staff(&[
        "supporters",
        "approve",
        &asked[0].0,
        "--name",
        "uk=Меморіал Німеччина",
    ]);
    staff(&["supporters", "reject", &asked[1].0]);
    assert!(
        ses.sent_to(&asked[0].1).await[1].subject.contains("Liste"),
        "told in German"
    );
    assert_eq!(
        ses.sent_to(&asked[1].1).await.len(),
        2,
        "the rejected one is told too"
    );

    // Its minute comes: the pages that changed are published, and only those.
    let mut publish = Function::start("publish", &env).await;
    let started = std::time::Instant::now();
    let published = publish.invoke(scheduled_event()).await.unwrap();
    eprintln!(
        "publishing the five pages took {} ms on the emulator",
        started.elapsed().as_millis()
    );
    assert_eq!(published, serde_json::json!({ "listed": 37, "pages": 5 }));
    let german = support::site::published_page(config, &bucket, "de/index.html").await;
    assert!(german.contains("<li>Memorial Deutschland e.V.</li>"));
    assert!(german.contains("37\u{2069} Organisationen unterstützen die Kampagne"));
    let ukrainian = support::site::published_page(config, &bucket, "uk/index.html").await;
    assert!(ukrainian.contains("<li>Меморіал Німеччина</li>"));
    for page in [german, ukrainian] {
        assert!(
            !page.contains("Spam &amp; Co"),
            "a rejected organisation never appears"
        );
    }
    let invalidations = aws_sdk_cloudfront::Client::new(config)
        .list_invalidations()
        .distribution_id(&distribution)
        .send()
        .await
        .unwrap();
    assert_eq!(
        invalidations.invalidation_list.unwrap().quantity,
        1,
        "the CDN drops its copies of the pages"
    );
    let again = publish.invoke(scheduled_event()).await.unwrap();
    assert_eq!(
        again,
        serde_json::json!({ "listed": 37, "pages": 0 }),
        "an unchanged list writes and invalidates nothing"
    );
}

/// What EventBridge sends a scheduled function.
fn scheduled_event() -> serde_json::Value {
    serde_json::json!({
        "version": "0", "id": "schedule", "detail-type": "Scheduled Event", "source": "aws.events",
        "account": "123456789012", "time": "2026-11-29T12:00:00Z", "region": "eu-west-1",
        "resources": ["arn:aws:events:eu-west-1:123456789012:rule/people-first-publish"], "detail": {}
    })
}
