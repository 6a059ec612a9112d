//! `people-first smoke-test URL [--confirm]`: after a deploy, the deployed site answers its home
//! page and its count, and accepts a signature from SES's mailbox simulator, which takes the email
//! and keeps nothing. With `--confirm` that signature goes the whole way, as a person's would:
//! confirmed through its link, counted, erased through its other link, and off the count again.
//! Its links are derived as the mailer derives them, from the master secret and the nonces the
//! table holds, so `--confirm` needs what the mailer has: run it where that is acceptable
//! (staging), never with production's secret in a CI job. This command signs only the simulator.

use anyhow::{Context, bail, ensure};
use people_first::domain::{Email, Signature};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// SES's mailbox simulator: accepts every email as delivered.
const SIMULATOR_DOMAIN: &str = "simulator.amazonses.com";
/// A country that real signatures hardly ever come from, so its count moves by this test alone.
const COUNTRY: &str = "AQ";
/// The count is cached at the edge for 10 s and the aggregate batches for 5 s: a minute is ample.
const PATIENCE: Duration = Duration::from_secs(90);

struct Site {
    url: String,
    http: reqwest::Client,
}

impl Site {
    async fn count(&self) -> anyhow::Result<u64> {
        let answer: serde_json::Value = self
            .http
            .get(format!("{}/api/count?lang=en", self.url))
            .send()
            .await?
            .error_for_status()
            .context("/api/count")?
            .json()
            .await?;
        // A country counts on its own only from ten signatures: below, it is among the others.
        Ok(answer["countries"][COUNTRY]
            .as_u64()
            .or_else(|| answer["other_countries"].as_u64())
            .unwrap_or(0))
    }

    async fn wait_for_count(&self, wanted: u64, began: Instant) -> anyhow::Result<()> {
        loop {
            let count = self.count().await?;
            if count == wanted {
                println!(
                    "  the count of {COUNTRY} is {count} after {:.0?}",
                    began.elapsed()
                );
                return Ok(());
            }
            ensure!(
                began.elapsed() < PATIENCE,
                "the count of {COUNTRY} stayed at {count}, not {wanted}, for {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_secs(3)).await;
        }
    }

    async fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        let answer = self
            .http
            .post(format!("{}{path}", self.url))
            .json(body)
            .send()
            .await?;
        let status = answer.status();
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        ensure!(status.is_success(), "{path} answered {status}: {body}");
        Ok(body)
    }
}

#[tokio::main]
pub async fn run(url: &str, confirm: bool, local: bool) -> anyhow::Result<ExitCode> {
    // Named before anything is sent: a wrong target is refused before the site is touched.
    let target = if confirm {
        Some(super::staff::Target::chosen(local)?)
    } else {
        None
    };
    let site = Site {
        url: url.trim_end_matches('/').to_owned(),
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()?,
    };
    println!("smoke test of {}", site.url);
    site.http
        .get(format!("{}/en/", site.url))
        .send()
        .await?
        .error_for_status()
        .context("the home page")?;
    let before = site.count().await?;
    println!("  the home page answers; the count of {COUNTRY} is {before}");
    let label = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let address = format!("success+smoke{label}@{SIMULATOR_DOMAIN}");
    let began = Instant::now();
    site.post(
        "/api/sign",
        &serde_json::json!({ "name": "Smoke test", "email": address, "country": COUNTRY, "locale": "en" }),
    )
    .await?;
    println!("  a signature from the mailbox simulator is accepted");
    if let Some(target) = &target {
        confirm_count_and_erase(&site, target, &address, before, began).await?;
    }
    println!("smoke test passed in {:.1?}", began.elapsed());
    Ok(ExitCode::SUCCESS)
}

/// The signature confirmed, counted, erased and off the count. Once confirmed it is erased
/// whatever happens, so that no test signature stays on the public count.
async fn confirm_count_and_erase(
    site: &Site,
    target: &super::staff::Target,
    address: &str,
    before: u64,
    began: Instant,
) -> anyhow::Result<()> {
    let email = Email::parse(address)
        .ok()
        .context("the simulator's address")?;
    ensure!(
        email.normalised().ends_with(SIMULATOR_DOMAIN),
        "only the mailbox simulator can be signed for"
    );
    let (store, source) = super::staff::open(target).await?;
    let keyring = super::staff::keyring(target).await?;
    let signer = keyring.signer_key(&email);
    let signature: Signature = loop {
        if let Some(signature) = store.find(&signer).await? {
            break signature;
        }
        if began.elapsed() > Duration::from_secs(20) {
            bail!("the signature never reached {source}: is the bot challenge on?");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    println!("  pending in {source} after {:.0?}", began.elapsed());
    let token = keyring.confirmation_token(&signer, &signature.link.nonce);
    site.post("/api/confirm", &serde_json::json!({ "t": token.encode() }))
        .await?;
    println!("  confirmed through its link");
    let counted = site.wait_for_count(before + 1, began).await;
    let token = keyring.erasure_token(&signer, &signature.erase_nonce);
    site.post("/api/erase", &serde_json::json!({ "t": token.encode() }))
        .await?;
    println!("  erased through its link");
    counted?;
    site.wait_for_count(before, began).await
}
