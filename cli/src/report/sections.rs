//! Each chart of the report, with the one line that reads it and its figures as a table.

use super::charts::{self, BLUE, Bar, GREEN, Line, ORANGE};
use super::figures::{Figures, Group};
use people_first::domain::{Locale, Timestamp};
use people_first::i18n::format_number;
use serde::Serialize;
use std::collections::BTreeMap;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// The hours the launch chart covers, up to the last hour anything happened.
const LAUNCH_HOURS: i64 = 72;
/// Sources charted one by one, the most signed first; the rest together.
const SOURCES_SHOWN: usize = 12;
/// Countries charted one by one.
const COUNTRIES_SHOWN: usize = 30;

#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub reading: String,
    pub svg: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn n(count: u64) -> String {
    format_number(Locale::En, count)
}

pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".to_owned(), |rate| format!("{rate:.1} %"))
}

/// A time to confirm, as staff say it.
fn duration(seconds: Option<i64>) -> String {
    #[expect(clippy::cast_precision_loss, reason = "durations far below 2^52 s")]
    match seconds {
        None => "-".to_owned(),
        Some(s) if s < 90 => format!("{s} s"),
        Some(s) if s < 90 * 60 => format!("{} min", (s + 30) / 60),
        Some(s) if s < 36 * HOUR => format!("{:.1} h", s as f64 / HOUR as f64),
        Some(s) => format!("{:.1} days", s as f64 / DAY as f64),
    }
}

/// The start of step `i` from `first`.
fn step_at(first: i64, step: i64, i: usize) -> i64 {
    first + step * i64::try_from(i).expect("a chart has few steps")
}

/// `1 day`, `2 days`; `1 country`, `3 countries`.
fn plural(count: u64, one: &str) -> String {
    match (count, one.strip_suffix('y')) {
        (1, _) => format!("1 {one}"),
        (_, Some(stem)) if !one.ends_with("ay") => format!("{count} {stem}ies"),
        _ => format!("{count} {one}s"),
    }
}

fn time(seconds: i64) -> String {
    Timestamp::from_unix_seconds(seconds).to_rfc3339()
}

/// `2026-12-05 14:00`.
fn hour_name(seconds: i64) -> String {
    time(seconds)[..16].replace('T', " ")
}

fn day_name(seconds: i64) -> String {
    time(seconds)[..10].to_owned()
}

/// Counts per step from `first`, `steps` of them.
fn steps_of(per: &BTreeMap<i64, u64>, first: i64, step: i64, steps: i64) -> Vec<u64> {
    (0..steps)
        .map(|i| per.get(&(first + i * step)).copied().unwrap_or(0))
        .collect()
}

fn timeline(
    id: &'static str,
    title: String,
    reading: String,
    (signed, confirmed): (&BTreeMap<i64, u64>, &BTreeMap<i64, u64>),
    (first, step, steps): (i64, i64, i64),
    name: fn(i64) -> String,
) -> anyhow::Result<Chart> {
    let signed_counts = steps_of(signed, first, step, steps);
    let confirmed_counts = steps_of(confirmed, first, step, steps);
    let rows = signed_counts
        .iter()
        .zip(&confirmed_counts)
        .enumerate()
        .filter(|(_, (s, c))| **s + **c > 0)
        .map(|(i, (s, c))| vec![name(step_at(first, step, i)), n(*s), n(*c)])
        .collect();
    let svg = charts::over_time(
        &[
            Line {
                name: "signed",
                colour: BLUE,
                counts: signed_counts,
            },
            Line {
                name: "confirmed",
                colour: GREEN,
                counts: confirmed_counts,
            },
        ],
        usize::try_from(steps).unwrap_or(0),
        &|i| name(step_at(first, step, i)),
    )?;
    Ok(Chart {
        id,
        title,
        reading,
        svg,
        header: vec!["time (UTC)".into(), "signed".into(), "confirmed".into()],
        rows,
    })
}

/// The busiest step of `per`, and its count.
fn busiest(per: &BTreeMap<i64, u64>) -> Option<(i64, u64)> {
    per.iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(at, count)| (*at, *count))
}

/// The 72 hours up to the last signed or confirmed, which is a launch's whole story even when
/// the report is made days later; up to `now` before anything happened.
pub fn per_hour(figures: &Figures, now: Timestamp) -> anyhow::Result<Chart> {
    let last = figures
        .signed_per_hour
        .keys()
        .chain(figures.confirmed_per_hour.keys())
        .max()
        .copied()
        .unwrap_or_else(|| now.unix_seconds().div_euclid(HOUR) * HOUR);
    let first = last - (LAUNCH_HOURS - 1) * HOUR;
    let in_range = |per: &BTreeMap<i64, u64>| per.range(first..).map(|(k, v)| (*k, *v)).collect();
    let (signed, confirmed): (BTreeMap<_, _>, BTreeMap<_, _>) = (
        in_range(&figures.signed_per_hour),
        in_range(&figures.confirmed_per_hour),
    );
    let reading = match busiest(&signed) {
        None => "Nothing was signed yet.".to_owned(),
        Some((at, count)) => format!(
            "The busiest hour was {} with {} signed; {} signed and {} confirmed in these 72 hours.",
            hour_name(at),
            n(count),
            n(signed.values().sum()),
            n(confirmed.values().sum()),
        ),
    };
    timeline(
        "per-hour",
        "Signed and confirmed per hour, the 72 hours up to the last signature".into(),
        reading,
        (&signed, &confirmed),
        (first, HOUR, LAUNCH_HOURS),
        hour_name,
    )
}

pub fn per_day(figures: &Figures, now: Timestamp) -> anyhow::Result<Chart> {
    let (signed, confirmed) = figures.per_day();
    let today = now.unix_seconds().div_euclid(DAY) * DAY;
    let days = || signed.keys().chain(confirmed.keys()).copied();
    let (first, last) = (days().min().unwrap_or(today), days().max().unwrap_or(today));
    let reading = match busiest(&confirmed) {
        None => "Nothing was confirmed yet.".to_owned(),
        Some((at, count)) => format!(
            "{} confirmed over {}; the best day was {} with {} confirmed. Pending signatures \
             that expired are no longer counted as signed.",
            n(figures.confirmed()),
            plural(((last - first) / DAY + 1).unsigned_abs(), "day"),
            day_name(at),
            n(count),
        ),
    };
    timeline(
        "per-day",
        "Signed and confirmed per day".into(),
        reading,
        (&signed, &confirmed),
        (first, DAY, (last - first) / DAY + 1),
        day_name,
    )
}

/// One bar a group: its confirmation rate, with its median time to confirm beside it; the
/// reading names the group that confirms least, among those with enough signatures to say.
fn rates(
    id: &'static str,
    what: &str,
    figures: &Figures,
    groups: &[(String, &Group)],
) -> anyhow::Result<Chart> {
    let bars: Vec<Bar> = groups
        .iter()
        .map(|(name, group)| Bar {
            name: name.clone(),
            value: group.rate().unwrap_or(0.0),
            note: format!(
                "{} of {} · median {}",
                percent(group.rate()),
                n(group.signed),
                duration(group.median_delay())
            ),
            colour: GREEN,
        })
        .collect();
    let weighty = groups
        .iter()
        .filter(|(_, g)| g.signed >= 20)
        .filter_map(|(name, g)| Some((name, g, g.rate()?)));
    let reading = match weighty.min_by(|a, b| a.2.total_cmp(&b.2)) {
        None => format!("Too few signatures in any {what} to compare rates (20 at least)."),
        Some((name, group, rate)) => format!(
            "{name} confirms least: {rate:.1} % of {}, median {} to confirm, against {} overall.",
            n(group.signed),
            duration(group.median_delay()),
            percent(figures.overall().rate()),
        ),
    };
    Ok(Chart {
        id,
        title: format!("Confirmation rate and median time to confirm, by {what}"),
        reading,
        svg: charts::bars(&bars, 100.0, &|rate| format!("{rate:.0} %"))?,
        header: vec![
            what.into(),
            "signed".into(),
            "confirmed".into(),
            "rate".into(),
            "median time to confirm".into(),
        ],
        rows: groups
            .iter()
            .map(|(name, g)| {
                vec![
                    name.clone(),
                    n(g.signed),
                    n(g.confirmed),
                    percent(g.rate()),
                    duration(g.median_delay()),
                ]
            })
            .collect(),
    })
}

pub fn by_language(figures: &Figures) -> anyhow::Result<Chart> {
    let groups: Vec<_> = figures
        .by_language
        .iter()
        .map(|(locale, g)| (locale.code().to_owned(), g))
        .collect();
    rates("by-language", "language", figures, &groups)
}

/// The sources with the most signatures one by one; the rest together, with any source under
/// the small-number rule (`smallest` signed), as the public count keeps a small partner's count.
pub fn by_source(figures: &Figures, smallest: u64) -> anyhow::Result<Chart> {
    let mut sources: Vec<_> = figures
        .by_source
        .iter()
        .filter_map(|(source, g)| Some((source.as_ref()?.to_string(), g)))
        .collect();
    sources.sort_by(|a, b| b.1.signed.cmp(&a.1.signed).then(a.0.cmp(&b.0)));
    let mut rest = Group::default();
    let (apart, together): (Vec<_>, Vec<_>) = sources
        .into_iter()
        .enumerate()
        .partition(|(i, (_, g))| *i < SOURCES_SHOWN && g.signed >= smallest);
    for (_, (_, g)) in &together {
        rest.merge(g);
    }
    let sources: Vec<_> = apart.into_iter().map(|(_, source)| source).collect();
    let mut groups: Vec<(String, &Group)> = sources;
    if rest.signed > 0 {
        groups.push(("other sources".into(), &rest));
    }
    if let Some(none) = figures.by_source.get(&None) {
        groups.push(("(none)".into(), none));
    }
    rates("by-source", "source", figures, &groups)
}

pub fn by_provider(figures: &Figures) -> anyhow::Result<Chart> {
    let groups: Vec<_> = figures
        .by_family
        .iter()
        .map(|(family, g)| (family.map_or("(not noted)", |f| f.name()).to_owned(), g))
        .collect();
    rates("by-provider", "mailbox provider", figures, &groups)
}

fn count_bars(rows: &[(&str, u64)], colour: plotters::style::RGBColor) -> Vec<Bar> {
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    rows.iter()
        .map(|(name, count)| Bar {
            name: (*name).to_owned(),
            value: *count as f64,
            note: n(*count),
            colour,
        })
        .collect()
}

/// A count's place on a scale: whole numbers only.
fn whole(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        String::new()
    }
}

fn most(rows: &[(&str, u64)]) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let most = rows.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1) as f64;
    most
}

pub fn mail(figures: &Figures, limit: u32) -> anyhow::Result<Chart> {
    let mail = figures.mail;
    let (mailboxes, at_limit) = figures
        .mailbox_days
        .last_key_value()
        .map_or((0, 0), |(_, counts)| *counts);
    let rows = [
        ("waiting to be sent", mail.waiting),
        ("sent, not clicked yet", mail.unclicked),
        ("bounced: no such mailbox", mail.bounced),
        ("reminded", mail.reminded),
        ("confirmed after reminder", mail.confirmed_after_reminder),
        ("mailboxes at the day's limit", at_limit),
    ];
    let reading = format!(
        "{} emails wait to be sent and {} wait for a click; {} bounced. The last day kept, {} \
         of {} mailboxes reached the limit of {limit} emails, so any more were withheld.",
        n(mail.waiting),
        n(mail.unclicked),
        n(mail.bounced),
        n(at_limit),
        n(mailboxes),
    );
    Ok(Chart {
        id: "mail",
        title: "Where the confirmation emails stand".into(),
        reading,
        svg: charts::bars(&count_bars(&rows, ORANGE), most(&rows), &whole)?,
        header: vec![String::new(), "count".into()],
        rows: rows
            .iter()
            .map(|(name, count)| vec![(*name).to_owned(), n(*count)])
            .collect(),
    })
}

pub fn mail_health(figures: &Figures, now: Timestamp) -> anyhow::Result<Chart> {
    let last = now.unix_seconds().div_euclid(HOUR) * HOUR;
    let first = last - 47 * HOUR;
    let series = |pick: fn(&people_first::domain::mail_health::MailHealth) -> u64| {
        (0..48)
            .map(|i| {
                figures
                    .mail_per_hour
                    .get(&(first + i * HOUR))
                    .map_or(0, pick)
            })
            .collect::<Vec<u64>>()
    };
    let (sent, bounced, complained) = (
        series(|h| h.sent),
        series(|h| h.bounced),
        series(|h| h.complained),
    );
    let total = |counts: &[u64]| counts.iter().sum::<u64>();
    let share = |part: u64| {
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        (total(&sent) > 0).then(|| 100.0 * part as f64 / total(&sent) as f64)
    };
    let reading = format!(
        "In the last 48 hours {} emails were sent; {} bounced ({}) and {} were called spam ({}). \
         SES reviews an account past 5 % bounces or 0.1 % complaints.",
        n(total(&sent)),
        n(total(&bounced)),
        percent(share(total(&bounced))),
        n(total(&complained)),
        percent(share(total(&complained))),
    );
    let rows = (0..48)
        .filter(|i| sent[*i] + bounced[*i] + complained[*i] > 0)
        .map(|i| {
            vec![
                hour_name(step_at(first, HOUR, i)),
                n(sent[i]),
                n(bounced[i]),
                n(complained[i]),
            ]
        })
        .collect();
    let svg = charts::over_time(
        &[
            Line {
                name: "sent",
                colour: BLUE,
                counts: sent,
            },
            Line {
                name: "bounced",
                colour: ORANGE,
                counts: bounced,
            },
            Line {
                name: "complained",
                colour: GREEN,
                counts: complained,
            },
        ],
        48,
        &|i| hour_name(step_at(first, HOUR, i)),
    )?;
    Ok(Chart {
        id: "mail-health",
        title: "Emails sent, bounced and called spam per hour, the last 48 hours".into(),
        reading,
        svg,
        header: vec![
            "hour (UTC)".into(),
            "sent".into(),
            "bounced".into(),
            "complained".into(),
        ],
        rows,
    })
}

pub fn countries(figures: &Figures, smallest: u64) -> anyhow::Result<Chart> {
    let (shown, others) = figures.countries(smallest);
    let names: Vec<(String, u64)> = shown
        .iter()
        .map(|(country, count)| (country.name(Locale::En).to_owned(), *count))
        .collect();
    let mut rows: Vec<(&str, u64)> = names
        .iter()
        .take(COUNTRIES_SHOWN)
        .map(|(name, count)| (name.as_str(), *count))
        .collect();
    let beyond: u64 = names.iter().skip(COUNTRIES_SHOWN).map(|(_, c)| c).sum();
    if beyond + others > 0 {
        rows.push(("other countries", beyond + others));
    }
    let reading = match shown.first() {
        None => "No country has enough confirmed signatures to be shown apart.".to_owned(),
        Some((country, count)) if smallest == 0 => format!(
            "{} shown apart, every one however few signed there, the most from {} ({}).",
            plural(shown.len() as u64, "country"),
            country.name(Locale::En),
            n(*count),
        ),
        Some((country, count)) => format!(
            "{} shown apart, the most from {} ({}); {} confirmed in countries under {} are \
             counted together, as the public count does.",
            plural(shown.len() as u64, "country"),
            country.name(Locale::En),
            n(*count),
            n(others),
            n(smallest),
        ),
    };
    Ok(Chart {
        id: "countries",
        title: "Confirmed per country".into(),
        reading,
        svg: charts::bars(&count_bars(&rows, BLUE), most(&rows), &whole)?,
        header: vec!["country".into(), "confirmed".into()],
        rows: names
            .iter()
            .map(|(name, count)| (name.as_str(), *count))
            .chain((others > 0).then_some(("other countries", others)))
            .map(|(name, count)| vec![name.to_owned(), n(count)])
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_to_confirm_read_as_staff_say_them() {
        assert_eq!(duration(Some(42)), "42 s");
        assert_eq!(duration(Some(600)), "10 min");
        assert_eq!(duration(Some(3 * HOUR)), "3.0 h");
        assert_eq!(duration(Some(3 * DAY)), "3.0 days");
        assert_eq!(duration(None), "-");
        assert_eq!(plural(1, "day"), "1 day");
        assert_eq!(plural(3, "day"), "3 days");
        assert_eq!(plural(2, "country"), "2 countries");
    }

    #[test]
    fn each_reading_says_what_its_chart_shows() {
        let mut figures = Figures::default();
        for i in 0..40 {
            let address = format!("s{i}@yandex.ru");
            let mut signature = people_first::testing::pending_signature(&address, "UA");
            signature.signed_at = Timestamp::from_unix_seconds(1_764_979_200);
            if i % 4 == 0 {
                signature.status = people_first::domain::SignatureStatus::Confirmed;
                signature.confirmed_at = Some(signature.signed_at.plus_seconds(600));
            }
            figures.add(&signature);
        }
        let provider = by_provider(&figures).unwrap();
        assert_eq!(
            provider.reading,
            "Yandex confirms least: 25.0 % of 40, median 10 min to confirm, against 25.0 % overall."
        );
        let now = Timestamp::from_unix_seconds(1_765_000_000);
        let hours = per_hour(&figures, now).unwrap();
        assert!(
            hours
                .reading
                .starts_with("The busiest hour was 2025-12-06 00:00 with 40 signed")
        );
        let countries = countries(&figures, 20).unwrap();
        assert!(
            countries.reading.starts_with("No country"),
            "{}",
            countries.reading
        );
        assert_eq!(countries.rows, [["other countries", "10"]]);
        let empty = Figures::default();
        assert!(
            per_day(&empty, now).unwrap().svg.contains("2025-12-06"),
            "today, not 1970"
        );
    }
}
