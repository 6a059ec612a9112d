//! What the integration tests and the benchmarks share: the emulator's AWS clients, fresh
//! tables, the two store and mailer implementations, readers for what they recorded, and the
//! local stack started as a person starts it. Only the `testing` feature builds it, which the
//! crates' tests and benchmarks turn on; no function or command carries it.

use crate::adapters::dynamo::DynamoStore;
use crate::adapters::embedded::EmbeddedStore;
use crate::adapters::outbox::Outbox;
use crate::adapters::ses::SesMailer;
use crate::domain::{ChangedItem, ConfirmationLink, SignatureChange};
use crate::domain::{MailFamily, SignatureStatus};
use crate::keyring::Keyring;
use crate::ports::{Mailer, SignatureMailing, SignatureStore};
use crate::use_cases::mailing::MailSettings;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    StreamSpecification, StreamViewType,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub mod dns;
pub mod event_filter;
pub mod faults;
pub mod follow_up_in_memory;
pub mod local_stack;
pub mod logs;
pub mod queue;
pub mod recording;
pub mod runtime_api;
pub mod ses_events;
pub mod signatures_in_memory;
pub mod site;
pub mod stack;
pub mod stream;
pub mod timing;
pub mod write_units;

pub const SENDER_ADDRESS: &str = "signatures@people-first.example";

/// The emulator `tests/run` starts. Without it these tests cannot run, and say so.
pub fn emulator() -> String {
    std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| {
        panic!(
            "AWS_ENDPOINT_URL is not set: these tests need the DynamoDB/SES emulator. \
             Run them with tests/run, which starts it."
        )
    })
}

pub async fn aws() -> aws_config::SdkConfig {
    let credentials =
        aws_sdk_dynamodb::config::Credentials::new("testing", "testing", None, None, "tests");
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(crate::config::http_client())
        .endpoint_url(emulator())
        .region(aws_config::Region::new("eu-west-1"))
        .credentials_provider(credentials)
        .load()
        .await
}

static TABLES: AtomicU64 = AtomicU64::new(0);

/// A new table, shaped as `infra/` makes it, with its stream on.
pub async fn fresh_table(config: &aws_config::SdkConfig) -> String {
    let name = format!(
        "signatures-{}-{}-{}",
        std::process::id(),
        TABLES.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    aws_sdk_dynamodb::Client::new(config)
        .create_table()
        .table_name(&name)
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("listed_in")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .global_secondary_indexes(
            aws_sdk_dynamodb::types::GlobalSecondaryIndex::builder()
                .index_name(crate::adapters::ORGANISATIONS_INDEX)
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name("listed_in")
                        .key_type(KeyType::Hash)
                        .build()
                        .unwrap(),
                )
                .projection(
                    aws_sdk_dynamodb::types::Projection::builder()
                        .projection_type(aws_sdk_dynamodb::types::ProjectionType::All)
                        .build(),
                )
                .build()
                .unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewAndOldImages)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("the emulator creates a table");
    name
}

/// When the tests' signatures are made.
pub const SIGNED_AT: crate::domain::Timestamp =
    crate::domain::Timestamp::from_unix_seconds(1_738_000_000);

/// A pending signature of `address` from `country`, as signing at `SIGNED_AT` writes it.
pub fn pending_signature(address: &str, country: &str) -> crate::domain::Signature {
    pending_signature_at(address, country, SIGNED_AT)
}

/// A pending signature as signing at `signed_at` writes it: functions that read the system's
/// clock mail only links that have not expired.
pub fn pending_signature_at(
    address: &str,
    country: &str,
    signed_at: crate::domain::Timestamp,
) -> crate::domain::Signature {
    use crate::domain::retention::{LINK_LIFETIME, PENDING_LIFETIME};
    use crate::domain::{
        Country, Email, LinkNonce, Locale, PRIVACY_POLICY_VERSION, Signature, SignerName,
    };
    let keyring = keyring();
    let email = Email::parse(address).unwrap();
    let signer = keyring.signer_key(&email);
    let nonce = LinkNonce::random();
    Signature {
        signer,
        status: SignatureStatus::Pending,
        name: SignerName::parse("Оксана Петренко").unwrap(),
        mail_family: Some(MailFamily::of(&email)),
        email: Some(email),
        country: Country::parse(country).unwrap(),
        locale: Locale::Uk,
        updates: false,
        proven: false,
        privacy_policy: PRIVACY_POLICY_VERSION.into(),
        source: None,
        partner_consent: None,
        signed_at,
        link: ConfirmationLink {
            nonce,
            secret_hash: keyring.confirmation_secret(&signer, &nonce).hash(),
            sent_at: signed_at,
            expires_at: signed_at.plus_seconds(LINK_LIFETIME.seconds()),
        },
        confirmed_at: None,
        erase_nonce: nonce,
        erase_hash: keyring.erasure_secret(&signer, &nonce).hash(),
        mailed_link: None,
        mailed_at: None,
        reminded_at: None,
        undeliverable: false,
        expires_at: Some(signed_at.plus_seconds(PENDING_LIFETIME.seconds())),
    }
}

/// The staff's command line as a deployed stage's staff run it: on `table` on the emulator, with
/// the stage's master key (the tests' own) read from Secrets Manager.
pub struct StaffCommands {
    table: String,
    key_arn: String,
}

impl StaffCommands {
    pub async fn on(config: &aws_config::SdkConfig, table: &str) -> Self {
        let created = aws_sdk_secretsmanager::Client::new(config)
            .create_secret()
            .name(format!("people-first-staff-{table}"))
            .secret_string("2a".repeat(32))
            .send()
            .await
            .unwrap();
        Self {
            table: table.to_owned(),
            key_arn: created.arn.unwrap(),
        }
    }

    /// The `people-first` binary, set to work on the table.
    pub fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(runtime_api::binary("people-first"));
        command
            .env("PEOPLE_FIRST_TABLE", &self.table)
            .env("PEOPLE_FIRST_SECRET_ARN", &self.key_arn)
            .env_remove("PEOPLE_FIRST_SECRET_KEY")
            .env("AWS_ENDPOINT_URL", emulator())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "eu-west-1");
        command
    }

    /// A staff command's output. Fails the test when the command fails.
    pub fn run(&self, args: &[&str]) -> String {
        let settings = mail_settings();
        let output = self
            .command()
            .env("PEOPLE_FIRST_PUBLIC_URL", settings.public_url)
            .env("PEOPLE_FIRST_SENDER", settings.sender)
            .env("PEOPLE_FIRST_CONTACT", settings.contact)
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }
}

/// The nonce the page's script would find for `email` (`domain::proof`).
pub fn proof_for(email: &str) -> String {
    (0..u64::MAX)
        .map(|n| n.to_string())
        .find(|nonce| crate::domain::proof::proves(email, nonce))
        .expect("a nonce within u64")
}

/// The mailer's DNS as the tests give it: the tests' own name server.
pub fn mail_domains() -> crate::adapters::mail_domains::DnsMailDomains {
    crate::adapters::mail_domains::DnsMailDomains::at(dns::name_server()).expect("a resolver")
}

pub fn keyring() -> Keyring {
    Keyring::from_master(&[42; 32]).unwrap()
}

pub fn mail_settings() -> MailSettings {
    MailSettings {
        public_url: "https://people-first.example".into(),
        sender: format!("People First <{SENDER_ADDRESS}>"),
        contact: "privacy@people-first.example".into(),
        wording: &crate::pages::Emails,
    }
}

/// A store under test, and a way to read back every change it made.
pub struct StoreUnderTest {
    pub store: Arc<dyn SignatureStore>,
    /// The same store, as the supporters list sees it.
    pub supporters: Arc<dyn crate::ports::SupporterStore>,
    /// And as the mail's health is counted in it.
    pub health: Arc<dyn crate::ports::MailHealthStore>,
    /// And as staff read it whole.
    pub scan: Arc<dyn crate::ports::SignatureScan>,
    /// And as the updates and the reminders are kept in it.
    pub updates: Arc<dyn crate::ports::UpdateStore>,
    pub reminders: Arc<dyn crate::ports::ReminderStore>,
    pub feed: Feed,
    _dir: Option<tempfile::TempDir>,
}

pub enum Feed {
    Embedded(Arc<EmbeddedStore>),
    Dynamo {
        config: Box<aws_config::SdkConfig>,
        table: String,
    },
}

impl StoreUnderTest {
    pub fn embedded() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        Self {
            store: store.clone(),
            supporters: store.clone(),
            health: store.clone(),
            scan: store.clone(),
            updates: store.clone(),
            reminders: store.clone(),
            feed: Feed::Embedded(store),
            _dir: Some(dir),
        }
    }

    pub async fn dynamo() -> Self {
        let config = aws().await;
        let table = fresh_table(&config).await;
        let store = Arc::new(DynamoStore::from_sdk_config(&config, &table));
        Self {
            store: store.clone(),
            health: store.clone(),
            scan: store.clone(),
            updates: store.clone(),
            reminders: store.clone(),
            supporters: store,
            feed: Feed::Dynamo {
                config: Box::new(config),
                table,
            },
            _dir: None,
        }
    }

    /// Every change so far, oldest first: the embedded feed, or the table's stream.
    pub async fn changes(&self) -> Vec<SignatureChange> {
        match &self.feed {
            Feed::Embedded(store) => store.changes_after(0, usize::MAX).unwrap().changes,
            Feed::Dynamo { config, table } => {
                crate::adapters::stream::changes_in(stream::read_event(config, table).await.records)
                    .unwrap()
            }
        }
        .into_iter()
        .filter_map(|change| match change.item {
            ChangedItem::Signature(signature) => Some(signature),
            ChangedItem::Contact(_) | ChangedItem::Other => None,
            ChangedItem::Unreadable(reason) => panic!("an unreadable record: {reason}"),
        })
        .collect()
    }

    /// How many changes moved a signature from pending to confirmed.
    pub async fn confirmations(&self) -> usize {
        self.changes()
            .await
            .iter()
            .filter(|c| {
                c.old
                    .as_ref()
                    .is_some_and(|o| o.status == SignatureStatus::Pending)
                    && c.new
                        .as_ref()
                        .is_some_and(|n| n.status == SignatureStatus::Confirmed)
            })
            .count()
    }
}

/// A mailer under test, and a way to read back what it sent.
pub struct MailerUnderTest {
    pub mailer: Arc<dyn Mailer>,
    outbox: Option<(Arc<Outbox>, tempfile::TempDir)>,
    /// On AWS, the SQS queue between the stream and the mailer; the local stack has none.
    pub queue: Option<String>,
}

/// A sent email as the tests look at it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub list_unsubscribe: String,
    /// Empty when the email has none.
    pub list_unsubscribe_post: String,
}

impl MailerUnderTest {
    pub fn outbox() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let outbox = Arc::new(Outbox::open(dir.path()).unwrap());
        Self {
            mailer: outbox.clone(),
            outbox: Some((outbox, dir)),
            queue: None,
        }
    }

    pub async fn ses() -> Self {
        let config = aws().await;
        aws_sdk_ses::Client::new(&config)
            .verify_email_identity()
            .email_address(SENDER_ADDRESS)
            .send()
            .await
            .expect("the emulator verifies the sender");
        Self {
            mailer: Arc::new(SesMailer::from_sdk_config(&config)),
            outbox: None,
            queue: Some(queue::fresh_queue(&config).await),
        }
    }

    /// Everything sent to `to`, oldest first.
    pub async fn sent_to(&self, to: &str) -> Vec<Delivered> {
        let all = match &self.outbox {
            Some((outbox, _)) => {
                let mut mail: Vec<Delivered> = outbox
                    .list()
                    .mail
                    .into_iter()
                    .map(|m| Delivered {
                        to: m.to,
                        subject: m.subject,
                        text: m.text,
                        html: m.html,
                        list_unsubscribe: m.list_unsubscribe,
                        list_unsubscribe_post: m.list_unsubscribe_post.unwrap_or_default(),
                    })
                    .collect();
                mail.reverse();
                mail
            }
            None => emulator_sent_mail().await,
        };
        all.into_iter().filter(|m| m.to == to).collect()
    }
}

/// The raw messages SES accepted, read back from the emulator's own record of them.
pub async fn emulator_sent_mail() -> Vec<Delivered> {
    let data: serde_json::Value = reqwest::get(format!("{}/moto-api/data.json", emulator()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let raw = data["ses"]["RawMessage"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    raw.iter()
        .map(|m| {
            let bytes = m["raw_data"].as_str().unwrap().as_bytes().to_vec();
            let parsed = mail_parser::MessageParser::default()
                .parse(&bytes)
                .expect("a MIME message");
            Delivered {
                to: m["destinations"][0].as_str().unwrap_or_default().to_owned(),
                subject: parsed.subject().unwrap_or_default().to_owned(),
                text: parsed
                    .body_text(0)
                    .map(std::borrow::Cow::into_owned)
                    .unwrap_or_default(),
                html: parsed
                    .body_html(0)
                    .map(std::borrow::Cow::into_owned)
                    .unwrap_or_default(),
                list_unsubscribe: parsed
                    .header_raw("List-Unsubscribe")
                    // Unfolded: a long header arrives on several lines.
                    .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default(),
                list_unsubscribe_post: parsed
                    .header_raw("List-Unsubscribe-Post")
                    .map(|h| h.trim().to_owned())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The `t` of an email's confirmation link.
pub fn link_token(email: &Delivered) -> String {
    token_after(email, "/api/confirm?t=")
}

/// The `t` of an email's erasure link.
pub fn erase_token(email: &Delivered) -> String {
    token_after(email, "/api/erase?t=")
}

fn token_after(email: &Delivered, path: &str) -> String {
    let start = email
        .text
        .rfind(path)
        .unwrap_or_else(|| panic!("the email has a link to {path}"))
        + path.len();
    email.text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// No organisation is on the list: signing with a partner's code credits nobody.
pub struct NoPartners;

#[async_trait::async_trait]
impl crate::ports::Partners for NoPartners {
    async fn partner(
        &self,
        _: &crate::domain::OrganisationId,
    ) -> Result<Option<crate::domain::Organisation>, crate::ports::StoreError> {
        Ok(None)
    }
}

/// Accepts every new signature; finds nothing and changes nothing else. Discarding, it times a
/// handler's own work; keeping, it shows what a refused request left behind.
#[derive(Default)]
pub struct AcceptingStore {
    keeps: bool,
    pub kept: std::sync::Mutex<Vec<crate::domain::Signature>>,
}

impl AcceptingStore {
    pub fn discarding() -> Self {
        Self::default()
    }

    pub fn keeping() -> Self {
        Self {
            keeps: true,
            ..Self::default()
        }
    }
}

#[async_trait::async_trait]
impl SignatureStore for AcceptingStore {
    async fn insert_pending(
        &self,
        signature: &crate::domain::Signature,
    ) -> Result<crate::ports::Insertion, crate::ports::StoreError> {
        if self.keeps {
            self.kept.lock().unwrap().push(signature.clone());
        }
        Ok(crate::ports::Insertion::Inserted)
    }
    async fn revise_pending(
        &self,
        _: &crate::domain::SignerKey,
        _: &crate::ports::SignerChoices,
        _: Option<&crate::ports::LinkRenewal>,
        _: crate::domain::Timestamp,
    ) -> Result<bool, crate::ports::StoreError> {
        Ok(false)
    }
    async fn confirm(
        &self,
        _: &crate::domain::SignerKey,
        _: &crate::domain::SecretHash,
        _: crate::domain::Timestamp,
        _: &crate::ports::Consents,
    ) -> Result<bool, crate::ports::StoreError> {
        Ok(false)
    }
    async fn replace_consents(
        &self,
        _: &crate::domain::SignerKey,
        _: &crate::domain::SecretHash,
        _: &crate::ports::Seen,
        _: &crate::ports::Consents,
    ) -> Result<bool, crate::ports::StoreError> {
        Ok(false)
    }
    async fn erase(
        &self,
        _: &crate::domain::SignerKey,
        _: Option<&crate::domain::SecretHash>,
        _: crate::domain::Timestamp,
    ) -> Result<Option<crate::domain::Signature>, crate::ports::StoreError> {
        Ok(None)
    }
    async fn forget_erased(
        &self,
        _: &crate::domain::ErasedConsent,
    ) -> Result<(), crate::ports::StoreError> {
        Ok(())
    }
    async fn erase_pending(
        &self,
        _: &crate::domain::SignerKey,
    ) -> Result<Option<crate::domain::Signature>, crate::ports::StoreError> {
        Ok(None)
    }
}

#[async_trait::async_trait]
impl crate::ports::MailboxCounts for AcceptingStore {
    async fn count_email_to(
        &self,
        _: &crate::domain::MailboxKey,
        _: crate::domain::Timestamp,
        _: u32,
    ) -> Result<bool, crate::ports::StoreError> {
        Ok(true)
    }
    async fn uncount_email_to(
        &self,
        _: &crate::domain::MailboxKey,
        _: crate::domain::Timestamp,
    ) -> Result<(), crate::ports::StoreError> {
        Ok(())
    }
}

#[async_trait::async_trait]
impl SignatureMailing for AcceptingStore {
    async fn find(
        &self,
        _: &crate::domain::SignerKey,
    ) -> Result<Option<crate::domain::Signature>, crate::ports::StoreError> {
        Ok(None)
    }
    async fn mark_mailed(
        &self,
        _: &crate::domain::SignerKey,
        _: &crate::domain::SecretHash,
        _: crate::domain::Timestamp,
    ) -> Result<bool, crate::ports::StoreError> {
        Ok(false)
    }
    async fn mark_undeliverable(
        &self,
        _: &crate::domain::SignerKey,
    ) -> Result<bool, crate::ports::StoreError> {
        Ok(false)
    }
}
