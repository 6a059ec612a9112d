//! The report's one HTML file: its style inline, its charts inline, nothing to fetch.

use super::figures::Figures;
use super::sections::{self, Chart};
use minijinja::{Environment, Value, context};
use people_first::domain::Timestamp;
use people_first::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY;

pub fn render(
    figures: &Figures,
    source: &str,
    now: Timestamp,
    smallest: u64,
) -> anyhow::Result<String> {
    let charts: Vec<Chart> = vec![
        sections::per_hour(figures, now)?,
        sections::per_day(figures, now)?,
        sections::by_language(figures)?,
        sections::by_source(figures, smallest)?,
        sections::by_provider(figures)?,
        sections::mail(figures, EMAILS_PER_MAILBOX_PER_DAY)?,
        sections::mail_health(figures, now)?,
        sections::countries(figures, smallest)?,
    ];
    let charts: Vec<Value> = charts
        .into_iter()
        .map(|chart| {
            context! {
                id => chart.id,
                title => chart.title,
                reading => chart.reading,
                // Drawn here, from figures only: nothing in it came from outside.
                svg => Value::from_safe_string(chart.svg),
                header => chart.header,
                rows => chart.rows,
            }
        })
        .collect();
    let mut environment = Environment::new();
    environment.add_template("report.html", include_str!("report.html"))?;
    let overall = figures.overall();
    Ok(environment.get_template("report.html")?.render(context! {
        source,
        made_at => super::made_at(now),
        all_countries => smallest == 0,
        signed => sections::n(figures.signed()),
        confirmed => sections::n(figures.confirmed()),
        rate => sections::percent(overall.rate()),
        charts,
    })?)
}
