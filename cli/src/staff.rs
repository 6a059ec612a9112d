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
    CounterStore, SignatureScan, SignatureStore, SupporterStore, read_every_signature,
};

/// Everything a staff command may ask of the table.
pub trait StaffStore: SignatureStore + SignatureScan + CounterStore + SupporterStore {
    fn as_supporters(&self) -> &dyn SupporterStore;
}
impl<T: SignatureStore + SignatureScan + CounterStore + SupporterStore> StaffStore for T {
    fn as_supporters(&self) -> &dyn SupporterStore {
        self
    }
}

/// Whether the commands work on AWS: `PEOPLE_FIRST_TABLE` names the table.
fn on_aws() -> Option<String> {
    people_first::config::table().ok()
}

/// The table, and how to name it to the person at the keyboard.
pub async fn open() -> anyhow::Result<(Box<dyn StaffStore>, String)> {
    if let Some(table) = on_aws() {
        let aws = people_first::config::aws().await;
        return Ok((
            Box::new(DynamoStore::from_sdk_config(&aws, &table)),
            format!("DynamoDB table {table}"),
        ));
    }
    let dir = super::serve::data_dir().join("store");
    let store = EmbeddedStore::open(&dir).with_context(|| {
        format!(
            "cannot open {} (is the local stack running? stop it first)",
            dir.display()
        )
    })?;
    Ok((
        Box::new(store),
        format!("the local stack's data in {}", dir.display()),
    ))
}

/// The secret key the signer keys were made with: the deployment's (from Secrets Manager or
/// `PEOPLE_FIRST_SECRET_KEY`), or the local stack's.
pub async fn keyring() -> anyhow::Result<Keyring> {
    if on_aws().is_some() {
        let aws = people_first::config::aws().await;
        return Ok(people_first::config::keyring(&aws).await?);
    }
    super::serve::local_keyring(&super::serve::data_dir())
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
