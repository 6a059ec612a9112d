//! `people-first report`: the signatures as charts, in one HTML file that asks nothing of any
//! network when opened, for staff steering a launch. Figures only: no name or address is read
//! out, and countries follow the public count's small-number rule unless staff ask for all.

mod charts;
mod figures;
mod page;
mod sections;

use anyhow::Context;
use figures::Figures;
use people_first::domain::Timestamp;
use people_first::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY;
use std::path::PathBuf;

/// How far back the mail's health is kept, and so charted.
const MAIL_KEPT_SECONDS: i64 = 2 * 86_400;

#[derive(clap::Args)]
pub struct Options {
    /// Where to write the report
    #[arg(short, long, default_value = "people-first-report.html")]
    output: PathBuf,
    /// Show every country apart, however few signed there (the public count shows countries
    /// under PEOPLE_FIRST_SMALLEST_COUNTRY_SHOWN together): not for sharing
    #[arg(long)]
    all: bool,
}

#[tokio::main]
pub async fn run(target: &super::staff::Target, options: &Options) -> anyhow::Result<()> {
    let (store, source) = super::staff::open(target).await?;
    let now = people_first::ports::Clock::now(&people_first::adapters::clock::SystemClock);
    let mut figures = Figures::default();
    let bar = super::staff::progress_bar();
    let (mut read, mut from) = (0, None);
    loop {
        let page = store.scan(from).await.context("cannot read the table")?;
        read += page.signatures.len() as u64;
        bar.set_position(read);
        page.signatures.iter().for_each(|s| figures.add(s));
        for (day, emails) in page.mailbox_days {
            figures.add_mailbox_day(day, emails, EMAILS_PER_MAILBOX_PER_DAY);
        }
        from = page.next;
        if from.is_none() {
            break;
        }
    }
    bar.finish_and_clear();
    for (stretch, seen) in store
        .mail_between(now.plus_seconds(-MAIL_KEPT_SECONDS), now)
        .await
        .context("cannot read the mail's health")?
    {
        figures.add_mail(stretch, &seen);
    }
    let smallest = if options.all {
        0
    } else {
        people_first::config::smallest_country_shown()?
    };
    let html = page::render(&figures, &source, now, smallest)?;
    std::fs::write(&options.output, html)
        .with_context(|| format!("cannot write {}", options.output.display()))?;
    eprintln!(
        "{read} signatures read; the report is in {}.",
        options.output.display()
    );
    Ok(())
}

/// When the report was made, as its title says it.
fn made_at(now: Timestamp) -> String {
    now.to_rfc3339()[..16].replace('T', " ")
}
