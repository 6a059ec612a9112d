//! `people-first erase ADDRESS`: erases a signature on its owner's request, as their own erasure
//! link would. The counter is not touched here: the deletion reaches the aggregate through the
//! stream (or the local stack's feed) like any other.

use anyhow::Context;
use people_first::domain::Email;
use std::process::ExitCode;

#[tokio::main]
pub async fn run(target: &super::staff::Target, address: &str) -> anyhow::Result<ExitCode> {
    let email = Email::parse(address)
        .ok()
        .context("that is not an email address")?;
    let (store, source) = super::staff::open(target).await?;
    let keyring = super::staff::keyring(target).await?;
    // A signature stored before providers' families of domains were folded is under the key of
    // the address as it was then normalised, in whichever of the family's spellings it was
    // typed: every one found is the same mailbox's, and goes.
    // Each erasure is said as it is made: a failure part way leaves none unreported.
    let mut erased = 0;
    let now = people_first::ports::Clock::now(&people_first::adapters::clock::SystemClock);
    for key in std::iter::once(keyring.signer_key(&email)).chain(keyring.former_signer_keys(&email))
    {
        let Some(signature) = store.erase(&key, None, now).await? else {
            continue;
        };
        erased += 1;
        let counted = if signature.is_confirmed() {
            "it was confirmed, so the count drops by one"
        } else {
            "it was not confirmed yet, so the count does not change"
        };
        println!("Erased a signature of that address from {source}: {counted}.");
    }
    if erased == 0 {
        println!(
            "No signature of that address in {source}: nothing to erase. A signature made \
             with another spelling at the same provider (dots, dashes) is found only by it."
        );
    }
    Ok(ExitCode::SUCCESS)
}
