//! `people-first recount [--fix]`: proves the counter equals the confirmed signatures, per
//! country, and repairs drift on request. Reads DynamoDB when `PEOPLE_FIRST_TABLE` is set, the
//! local stack's data folder otherwise.

use anyhow::Context;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use people_first::adapters::clock::SystemClock;
use people_first::domain::Locale;
use people_first::ports::Clock;
use people_first::use_cases::recount::{Recount, fix, recount};
use std::process::ExitCode;

fn report(recount: &Recount) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["country", "", "counted", "counter", "drift"]);
    for line in recount.lines() {
        let drift = line.drift();
        table.add_row([
            line.country.code().to_owned(),
            line.country.name(Locale::En).to_owned(),
            line.counted.to_string(),
            line.recorded.to_string(),
            if drift == 0 {
                String::new()
            } else {
                format!("{drift:+}")
            },
        ]);
    }
    let drift = i128::from(recount.recorded.total()) - i128::from(recount.counted_total());
    table.add_row([
        "all".to_owned(),
        String::new(),
        recount.counted_total().to_string(),
        recount.recorded.total().to_string(),
        if drift == 0 {
            String::new()
        } else {
            format!("{drift:+}")
        },
    ]);
    table
}

#[tokio::main]
pub async fn run(target: &super::staff::Target, repair: bool) -> anyhow::Result<ExitCode> {
    let (store, source) = super::staff::open(target).await?;
    eprintln!("Recounting confirmed signatures in {source}.");
    let bar = super::staff::progress_bar();
    let result = recount(store.as_ref(), store.as_ref(), |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    let recount = result.context("the recount failed")?;
    println!("{}", report(&recount));
    println!("{} signatures read.", recount.scanned);
    if recount.is_exact() {
        println!("The counter is exact.");
        return Ok(ExitCode::SUCCESS);
    }
    if recount.moved_meanwhile {
        println!(
            "The counter moved during the recount: confirmations arrived meanwhile. Run it again."
        );
    }
    if !repair {
        println!(
            "The counter drifts from the signatures. Run `people-first recount --fix` to repair it."
        );
        return Ok(ExitCode::FAILURE);
    }
    fix(store.as_ref(), &recount, SystemClock.now()).await?;
    println!(
        "Repaired: the counter now says {}.",
        recount.counted_total()
    );
    Ok(ExitCode::SUCCESS)
}
