//! Whether a domain takes mail, asked of a real name server over UDP (the tests' own, on
//! loopback), and the mailer on AWS's parts sending nothing where none can arrive.

use people_first::testing as support;

use people_first::adapters::mail_domains::DnsMailDomains;
use people_first::domain::Email;
use people_first::ports::{Delivery, MailDomains};
use support::dns::{ADDRESS_ONLY, NO_RECORDS, NO_SUCH_DOMAIN, NULL_MX};
use support::stack::{Stack, address};

#[tokio::test]
async fn a_domain_takes_mail_as_its_dns_says() {
    let domains = support::mail_domains();
    for (domain, expected) in [
        ("example.org".to_owned(), Delivery::Possible),
        ("Example.ORG.".to_owned(), Delivery::Possible),
        (ADDRESS_ONLY.to_owned(), Delivery::Possible),
        (NO_SUCH_DOMAIN.to_owned(), Delivery::Impossible),
        (format!("mail.{NO_SUCH_DOMAIN}"), Delivery::Impossible),
        (NULL_MX.to_owned(), Delivery::Impossible),
        (NO_RECORDS.to_owned(), Delivery::Impossible),
    ] {
        assert_eq!(domains.delivery(&domain).await, expected, "{domain}");
        assert_eq!(
            domains.delivery(&domain).await,
            expected,
            "{domain}, answered again from the cache"
        );
    }
}

#[tokio::test]
async fn a_name_server_that_does_not_answer_leaves_it_to_ses() {
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let domains = DnsMailDomains::at(silent.local_addr().unwrap()).unwrap();
    assert_eq!(domains.delivery("example.org").await, Delivery::Unknown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailer_sends_nothing_to_a_domain_that_takes_no_mail() {
    let stack = Stack::aws().await;
    let lost = format!("olena.{:08x}@{NO_SUCH_DOMAIN}", rand::random::<u32>());
    let found = address("olena");
    for email in [&lost, &found] {
        let body =
            serde_json::json!({ "name": "Olena", "email": email, "country": "UA", "locale": "uk" });
        assert_eq!(stack.sign_json(&body).await.status, 202);
    }
    assert!(stack.inbox(&lost).await.is_empty());
    assert_eq!(stack.inbox(&found).await.len(), 1);
    let signer = support::keyring().signer_key(&Email::parse(&lost).unwrap());
    let signature = stack.store.store.find(&signer).await.unwrap().unwrap();
    assert!(
        signature.undeliverable,
        "noted, so a retried request sends nothing either"
    );
}
