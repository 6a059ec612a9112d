//! `people-first recount [--fix]`: proves the counter equals the confirmed signatures, per
//! country and per source, and repairs drift on request. Reads DynamoDB when `PEOPLE_FIRST_TABLE` is set, the
//! local stack's data folder otherwise.

use anyhow::Context;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use people_first::adapters::clock::SystemClock;
use people_first::domain::Locale;
use people_first::ports::Clock;
use people_first::use_cases::recount::{Recount, fix, recount};
use std::process::ExitCode;

/// A row: what it counts, both sides' counts and their drift, blank when there is none.
fn row(what: String, name: String, counted: u64, recorded: u64) -> [String; 5] {
    let drift = i128::from(recorded) - i128::from(counted);
    let drift = if drift == 0 {
        String::new()
    } else {
        format!("{drift:+}")
    };
    [what, name, counted.to_string(), recorded.to_string(), drift]
}

fn report(recount: &Recount) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(["country", "", "counted", "counter", "drift"]);
    for line in recount.lines() {
        table.add_row(row(
            line.key.code().to_owned(),
            line.key.name(Locale::En).to_owned(),
            line.counted,
            line.recorded,
        ));
    }
    table.add_row(row(
        "all".to_owned(),
        String::new(),
        recount.counted_total(),
        recount.recorded.total(),
    ));
    for line in recount.source_lines() {
        table.add_row(row(
            "source".to_owned(),
            line.key.code().to_owned(),
            line.counted,
            line.recorded,
        ));
    }
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
