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
    // the address as it was then normalised.
    let mut erased = store.erase(&keyring.signer_key(&email), None).await?;
    if erased.is_none()
        && let Some(former) = keyring.former_signer_key(&email)
    {
        erased = store.erase(&former, None).await?;
    }
    match erased {
        Some(erased) => {
            let counted = if erased.is_confirmed() {
                "it was confirmed, so the count drops by one"
            } else {
                "it was not confirmed yet, so the count does not change"
            };
            println!("Erased the signature of that address from {source}: {counted}.");
        }
        None => println!("No signature of that address in {source}: nothing to erase."),
    }
    Ok(ExitCode::SUCCESS)
}
