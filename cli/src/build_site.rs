//! `people-first build-site [DIR]`: the static site, every page in every language, into a
//! folder (dist/site) ready to upload to the CDN's bucket.

use anyhow::Context;
use people_first::pages::site::{SiteSettings, build, write};
use people_first::ports::{SupporterStore, SupportersList};
use std::path::Path;

pub fn run(out: &Path) -> anyhow::Result<()> {
    let settings = SiteSettings {
        origin: super::serve::public_url()?.unwrap_or_else(|| "http://127.0.0.1:3000".into()),
        contact: std::env::var("PEOPLE_FIRST_CONTACT")
            .unwrap_or_else(|_| "privacy@people-first.localhost".into()),
        goal: people_first::config::goal()?,
        challenge: people_first::config::challenge_widget()?,
    };
    let (supporters, source) = supporters()?;
    let files = build(&settings, &supporters);
    write(&files, out).with_context(|| format!("cannot write the site into {}", out.display()))?;
    println!(
        "Built {} files into {} for {}, with the supporters of {source}.",
        files.len(),
        out.display(),
        settings.origin
    );
    Ok(())
}

/// The supporters list as it stands: on AWS the table's (writing the campaign's first
/// supporters once, the first time), otherwise the campaign's first supporters.
fn supporters() -> anyhow::Result<(Vec<people_first::domain::Organisation>, String)> {
    let first = people_first::use_cases::supporters::first_supporters();
    let Ok(table) = people_first::config::table() else {
        return Ok((first, "the campaign's text".into()));
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let aws = people_first::config::aws().await;
        let store = people_first::adapters::dynamo::DynamoStore::from_sdk_config(&aws, &table);
        store
            .seed(&first)
            .await
            .context("cannot write the first supporters")?;
        let mut all = store
            .organisations_in(people_first::domain::Standing::Approved)
            .await
            .context("cannot read the supporters")?;
        // The index may not show yet what the seed just wrote.
        for organisation in first {
            if !all.iter().any(|o| o.id == organisation.id) {
                all.push(organisation);
            }
        }
        Ok((all, format!("DynamoDB table {table}")))
    })
}
