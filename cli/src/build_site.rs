//! `people-first build-site [DIR]`: the static site, every page in every language, into a
//! folder (dist/site) ready to upload to the CDN's bucket.

use anyhow::Context;
use people_first::site::{SiteSettings, build, write};
use std::path::Path;

pub fn run(out: &Path) -> anyhow::Result<()> {
    let origin =
        std::env::var("PEOPLE_FIRST_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:3000".into());
    let settings = SiteSettings {
        origin: origin.trim_end_matches('/').to_owned(),
        contact: std::env::var("PEOPLE_FIRST_CONTACT")
            .unwrap_or_else(|_| "privacy@people-first.localhost".into()),
        goal: people_first::config::goal()?,
        challenge: people_first::config::challenge_widget()?,
    };
    let files = build(&settings);
    write(&files, out).with_context(|| format!("cannot write the site into {}", out.display()))?;
    println!(
        "Built {} files into {} for {}.",
        files.len(),
        out.display(),
        settings.origin
    );
    Ok(())
}
