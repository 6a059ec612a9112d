//! What the staff commands share: the table they read (DynamoDB, or the local stack's data) through
//! the same ports the functions use, the secret key that turns an address into its signer key, and
//! a scan of every signature with a progress bar.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use people_first::adapters::dynamo::DynamoStore;
use people_first::adapters::embedded::EmbeddedStore;
use people_first::domain::Signature;
use people_first::keyring::Keyring;
use people_first::ports::{
    CounterStore, MailHealthHistory, Mailer, SignatureScan, SignatureStore, SupporterStore,
    UpdateStore, read_every_signature,
};
use people_first::use_cases::mailing::MailSettings;

/// Everything a staff command may ask of the table.
pub trait StaffStore:
    SignatureStore + SignatureScan + CounterStore + SupporterStore + UpdateStore + MailHealthHistory
{
    fn as_supporters(&self) -> &dyn SupporterStore;
    fn as_updates(&self) -> &dyn UpdateStore;
}
impl<
    T: SignatureStore
        + SignatureScan
        + CounterStore
        + SupporterStore
        + UpdateStore
        + MailHealthHistory,
> StaffStore for T
{
    fn as_supporters(&self) -> &dyn SupporterStore {
        self
    }

    fn as_updates(&self) -> &dyn UpdateStore {
        self
    }
}

/// Where staff commands' emails go, and the site their links lead to: SES and the stage's site
/// when a table is named, the local stack's outbox and address otherwise.
pub async fn mailer() -> anyhow::Result<(Box<dyn Mailer>, MailSettings)> {
    if people_first::config::table().is_ok() {
        let aws = people_first::config::aws().await;
        return Ok((
            Box::new(people_first::adapters::ses::SesMailer::from_sdk_config(
                &aws,
            )),
            people_first::config::mail_settings()?,
        ));
    }
    let dir = super::serve::data_dir();
    let outbox = people_first::adapters::outbox::Outbox::open(&dir.join("outbox"))
        .context("cannot open the local outbox")?;
    // The links lead where the local stack listens, as its own emails' do.
    let stack = super::serve::Settings::from_environment()?;
    Ok((Box::new(outbox), stack.mail(stack.address)))
}

/// What the staff commands act on, as the person at the keyboard named it: a stage's table
/// (`PEOPLE_FIRST_TABLE`), or the local stack's data (`--local`). Never a guess: a command run
/// in the wrong shell must not answer from the wrong data.
pub enum Target {
    Table(String),
    Local(std::path::PathBuf),
}

impl Target {
    pub fn chosen(local: bool) -> anyhow::Result<Self> {
        match (people_first::config::table().ok(), local) {
            (Some(table), false) => {
                // The stage's key is its own secret: a stray key from a test or another stage
                // would find nobody's signature, and say so as if there were none.
                anyhow::ensure!(
                    std::env::var_os("PEOPLE_FIRST_SECRET_KEY").is_none(),
                    "PEOPLE_FIRST_SECRET_KEY is set: against a table the key is the stage's own, \
                     read from the secret PEOPLE_FIRST_SECRET_ARN names; unset \
                     PEOPLE_FIRST_SECRET_KEY"
                );
                Ok(Self::Table(table))
            }
            (None, true) => Ok(Self::Local(super::serve::data_dir())),
            (Some(table), true) => anyhow::bail!(
                "PEOPLE_FIRST_TABLE names the table {table}, and --local the local stack's data: \
                 choose one"
            ),
            (None, false) => anyhow::bail!(
                "which data? Set PEOPLE_FIRST_TABLE to a stage's DynamoDB table, or pass --local \
                 for the local stack's data in {}",
                super::serve::data_dir().display()
            ),
        }
    }
}

/// The table, and how to name it to the person at the keyboard, named before anything is read
/// or changed.
pub async fn open(target: &Target) -> anyhow::Result<(Box<dyn StaffStore>, String)> {
    let (store, name): (Box<dyn StaffStore>, String) = match target {
        Target::Table(table) => {
            let aws = people_first::config::aws().await;
            let region = aws
                .region()
                .map_or_else(|| "no region set".to_owned(), ToString::to_string);
            (
                Box::new(DynamoStore::from_sdk_config(&aws, table)),
                format!("DynamoDB table {table} ({region})"),
            )
        }
        Target::Local(dir) => {
            let dir = dir.join("store");
            let store = EmbeddedStore::open(&dir).with_context(|| {
                format!(
                    "cannot open {} (is the local stack running? stop it first)",
                    dir.display()
                )
            })?;
            (
                Box::new(store),
                format!("the local stack's data in {}", dir.display()),
            )
        }
    };
    eprintln!("Acting on {name}.");
    Ok((store, name))
}

/// The secret key the signer keys were made with: the stage's (from Secrets Manager), or the
/// local stack's.
pub async fn keyring(target: &Target) -> anyhow::Result<Keyring> {
    match target {
        Target::Table(_) => {
            let aws = people_first::config::aws().await;
            Ok(people_first::config::keyring(&aws).await?)
        }
        Target::Local(dir) => super::serve::local_keyring(dir),
    }
}

/// The spinner a long scan shows, counting the signatures read.
pub fn progress_bar() -> ProgressBar {
    ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {pos} signatures read ({per_sec})")
            .expect("a valid template"),
    )
}

/// Reads every signature once, handing each to `each`, with a progress bar; returns how many.
pub async fn scan(store: &dyn SignatureScan, each: impl FnMut(Signature)) -> anyhow::Result<u64> {
    let bar = progress_bar();
    let read = read_every_signature(store, each, |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    read.context("cannot read the table")
}
