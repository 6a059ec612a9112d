//! Credit for each signature: to the partner organisation or the campaign's channel it came
//! through, never to a person; on the local stack's parts and on AWS's.

use people_first::testing as support;

use people_first::domain::{
    Channel, Email, Organisation, OrganisationId, Source, Standing, supporters_list,
};
use people_first::use_cases::supporters::first_supporters;
use serde_json::json;
use support::stack::{Stack, address};
use support::{erase_token, link_token};

/// What the signature of `email` is credited to, once signed with `src`.
async fn credit_of(stack: &Stack, email: &str, src: &str) -> Option<Source> {
    let body =
        json!({ "name": "Ivan", "email": email, "country": "DE", "locale": "ru", "src": src });
    assert_eq!(stack.sign_json(&body).await.status, 202, "{src:?}");
    let signer = support::keyring().signer_key(&Email::parse(email).unwrap());
    stack
        .store
        .store
        .find(&signer)
        .await
        .unwrap()
        .unwrap()
        .source
}

fn waiting_request() -> Organisation {
    Organisation {
        id: OrganisationId::random(),
        standing: Standing::Waiting,
        position: 1_000_000,
        decided_at: None,
        ..first_supporters()[0].clone()
    }
}

async fn a_signature_is_credited_to_the_channel_or_partner_it_came_through(stack: Stack) {
    let waiting = waiting_request();
    let mut organisations = first_supporters();
    organisations.push(waiting.clone());
    stack.store.supporters.seed(&organisations).await.unwrap();
    let partner = supporters_list(&organisations)[6].id.clone();

    assert_eq!(
        credit_of(&stack, &address("channel"), "telegram").await,
        Some(Source::Channel(Channel::Telegram))
    );
    assert_eq!(
        credit_of(&stack, &address("partner"), partner.as_str()).await,
        Some(Source::Partner(partner.clone()))
    );
    let email = address("form");
    let by_form = format!(
        "name=Ivan&email={}&country=DE&locale=ru&src={partner}",
        email.replace('@', "%40")
    );
    assert_eq!(stack.sign_form(&by_form).await.status, 303);
    let signer = support::keyring().signer_key(&Email::parse(&email).unwrap());
    let stored = stack.store.store.find(&signer).await.unwrap().unwrap();
    assert_eq!(stored.source, Some(Source::Partner(partner)));
    for nobody in [
        OrganisationId::random().as_str(),
        waiting.id.as_str(),
        "<script>",
        "an-organisation's-name",
        "",
    ] {
        assert_eq!(
            credit_of(&stack, &address("nobody"), nobody).await,
            None,
            "{nobody:?} is no partner"
        );
    }
}

async fn a_partner_taken_off_the_list_is_credited_no_more_within_a_minute(stack: Stack) {
    let mut organisations = first_supporters();
    stack.store.supporters.seed(&organisations).await.unwrap();
    let partner = organisations[2].id.clone();
    assert!(
        credit_of(&stack, &address("before"), partner.as_str())
            .await
            .is_some()
    );
    organisations[2].standing = Standing::Removed;
    let removed = stack
        .store
        .supporters
        .decide(
            &organisations[2],
            Standing::Approved,
            people_first::domain::Timestamp::from_unix_seconds(0),
        )
        .await
        .unwrap();
    assert!(removed);
    stack.clock.advance(61);
    assert_eq!(
        credit_of(&stack, &address("after"), partner.as_str()).await,
        None
    );
}

async fn a_partners_confirmed_signatures_are_counted_for_it_until_erased(stack: Stack) {
    stack
        .store
        .supporters
        .seed(&first_supporters())
        .await
        .unwrap();
    let partner = Source::parse("s07").unwrap();
    let telegram = Source::Channel(Channel::Telegram);
    let signers = [
        (address("through-partner"), "s07"),
        (address("through-telegram"), "telegram"),
        (address("through-nobody"), ""),
    ];
    for (email, src) in &signers {
        credit_of(&stack, email, src).await;
    }
    assert_eq!(stack.run_mailer().await, None);
    for (email, _) in &signers {
        let token = link_token(&stack.inbox(email).await[0]);
        assert_eq!(stack.confirm_json(&token).await.status, 200);
    }
    let counter = stack.counter().await;
    assert_eq!(counter.total(), 3);
    assert_eq!(
        counter.sources.into_iter().collect::<Vec<_>>(),
        [(partner.clone(), 1), (telegram.clone(), 1)]
    );
    let erase = erase_token(&stack.inbox(&signers[0].0).await[0]);
    assert_eq!(stack.erase(&erase, "application/json").await.status, 200);
    let counter = stack.counter().await;
    assert_eq!(counter.total(), 2);
    assert_eq!(
        counter.sources.into_iter().collect::<Vec<_>>(),
        [(telegram, 1)],
        "an erased signature leaves its partner's count"
    );
}

people_first::on_both!(
    local => super::Stack::local(),
    aws => super::Stack::aws().await;
    a_signature_is_credited_to_the_channel_or_partner_it_came_through,
    a_partner_taken_off_the_list_is_credited_no_more_within_a_minute,
    a_partners_confirmed_signatures_are_counted_for_it_until_erased,
);
