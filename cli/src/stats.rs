//! `people-first stats`: confirmed signatures per day and per country, how many wait for
//! confirmation, what the reminder to confirm brought, and with `--by-source` how each partner
//! and channel fares. Figures only: no
//! name or address is read out.

use comfy_table::{CellAlignment, Table, presets::UTF8_FULL_CONDENSED};
use people_first::domain::{Country, Locale, Signature, Source};
use std::collections::BTreeMap;

#[derive(Debug, Default, PartialEq, Eq)]
struct Stats {
    /// Confirmed signatures by the UTC day of their confirmation, `YYYY-MM-DD`.
    per_day: BTreeMap<String, u64>,
    per_country: BTreeMap<Country, u64>,
    pending: u64,
    /// Pending signatures whose mailbox SES reported as non-existent: never confirmable.
    undeliverable: u64,
    /// Per source, and `None` for those that came through none.
    per_source: BTreeMap<Option<Source>, SourceStats>,
    /// Signatures sent the reminder to confirm, and those of them confirmed after it.
    reminded: u64,
    confirmed_after_reminder: u64,
}

/// What came of the signatures through one source.
#[derive(Debug, Default, PartialEq, Eq)]
struct SourceStats {
    /// Every signature in the table: pending and confirmed.
    signed: u64,
    confirmed: u64,
}

impl SourceStats {
    /// The confirmed share of those signed, in percent, to one decimal.
    fn rate(&self) -> String {
        if self.signed == 0 {
            return "-".to_owned();
        }
        #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
        let percent = 100.0 * self.confirmed as f64 / self.signed as f64;
        format!("{percent:.1} %")
    }
}

impl Stats {
    fn add(&mut self, signature: &Signature) {
        let source = self.per_source.entry(signature.source.clone()).or_default();
        source.signed += 1;
        source.confirmed += u64::from(signature.is_confirmed());
        if let Some(reminded_at) = signature.reminded_at {
            self.reminded += 1;
            self.confirmed_after_reminder +=
                u64::from(signature.is_confirmed() && signature.confirmed_at >= Some(reminded_at));
        }
        let Some(confirmed_at) = signature.confirmed_at.filter(|_| signature.is_confirmed()) else {
            self.pending += 1;
            self.undeliverable += u64::from(signature.undeliverable);
            return;
        };
        let day = confirmed_at.to_rfc3339()[..10].to_owned();
        *self.per_day.entry(day).or_default() += 1;
        *self.per_country.entry(signature.country).or_default() += 1;
    }

    fn confirmed(&self) -> u64 {
        self.per_day.values().sum()
    }
}

fn table(header: [&str; 3], rows: impl IntoIterator<Item = [String; 3]>) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    for row in rows {
        table.add_row(row);
    }
    if let Some(column) = table.column_mut(2) {
        column.set_cell_alignment(CellAlignment::Right);
    }
    table
}

#[tokio::main]
pub async fn run(target: &super::staff::Target, by_source: bool) -> anyhow::Result<()> {
    let (store, source) = super::staff::open(target).await?;
    eprintln!("Reading the signatures in {source}.");
    let mut stats = Stats::default();
    super::staff::scan(store.as_ref(), |signature| stats.add(&signature)).await?;

    let mut total = 0;
    println!(
        "{}",
        table(
            ["day (UTC)", "confirmed", "running total"],
            stats.per_day.iter().map(|(day, n)| {
                total += n;
                [day.clone(), n.to_string(), total.to_string()]
            })
        )
    );
    let mut countries: Vec<(&Country, &u64)> = stats.per_country.iter().collect();
    countries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!(
        "{}",
        table(
            ["country", "", "confirmed"],
            countries.into_iter().map(|(country, n)| {
                [
                    country.code().to_owned(),
                    country.name(Locale::En).to_owned(),
                    n.to_string(),
                ]
            })
        )
    );
    if by_source {
        println!("{}", source_table(&stats.per_source));
    }
    println!(
        "{} confirmed, {} waiting for confirmation ({} of them at an address that does not exist).",
        stats.confirmed(),
        stats.pending,
        stats.undeliverable
    );
    println!(
        "{} reminded to confirm, {} of them confirmed after the reminder.",
        stats.reminded, stats.confirmed_after_reminder
    );
    Ok(())
}

/// Each source's line, the most signed first; signatures through none last.
fn source_table(per_source: &BTreeMap<Option<Source>, SourceStats>) -> Table {
    let mut sources: Vec<_> = per_source.iter().collect();
    sources.sort_by(|a, b| (a.0.is_none(), b.1.signed).cmp(&(b.0.is_none(), a.1.signed)));
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "source",
        "signed",
        "confirmed",
        "confirmed %",
    ]);
    for (source, stats) in sources {
        table.add_row([
            source
                .as_ref()
                .map_or("(none)".to_owned(), ToString::to_string),
            stats.signed.to_string(),
            stats.confirmed.to_string(),
            stats.rate(),
        ]);
    }
    for column in 1..4 {
        if let Some(column) = table.column_mut(column) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use people_first::domain::{SignatureStatus, Timestamp};

    /// A pending signature as the table holds it.
    fn pending() -> Signature {
        serde_json::from_value(serde_json::json!({
            "pk": "00".repeat(32), "status": "pending", "name": "Olena", "country": "UA",
            "locale": "uk", "updates": false, "privacy_policy": "2026-11-29",
            "signed_at": 1_764_374_400, "link_nonce": "00".repeat(16), "secret_hash": "00".repeat(32),
            "link_sent_at": 1_764_374_400, "link_expires_at": 1_764_979_200,
            "erase_nonce": "00".repeat(16), "erase_hash": "00".repeat(32),
        }))
        .unwrap()
    }

    #[test]
    fn confirmed_signatures_count_by_day_and_country_and_pending_and_undeliverable_ones_apart() {
        let base = pending();
        let confirmed = |country: &str, at: i64| Signature {
            status: SignatureStatus::Confirmed,
            confirmed_at: Some(Timestamp::from_unix_seconds(at)),
            country: Country::parse(country).unwrap(),
            ..base.clone()
        };
        let mut stats = Stats::default();
        for signature in [
            confirmed("UA", 1_764_374_400),
            confirmed("UA", 1_764_374_400 + 3600),
            confirmed("PL", 1_764_374_400 + 86_400),
            base.clone(),
            Signature {
                undeliverable: true,
                ..base.clone()
            },
        ] {
            stats.add(&signature);
        }
        assert_eq!(stats.pending, 2);
        assert_eq!(stats.undeliverable, 1);
        assert_eq!(stats.confirmed(), 3);
        assert_eq!(
            stats.per_day.into_iter().collect::<Vec<_>>(),
            [("2025-11-29".to_owned(), 2), ("2025-11-30".to_owned(), 1)]
        );
        assert_eq!(stats.per_country[&Country::parse("UA").unwrap()], 2);
    }

    #[test]
    fn confirmations_after_the_reminder_count_apart() {
        let base = pending();
        let at = |seconds| Some(Timestamp::from_unix_seconds(seconds));
        let mut stats = Stats::default();
        for signature in [
            // Reminded, then confirmed.
            Signature {
                status: SignatureStatus::Confirmed,
                reminded_at: at(1_764_460_800),
                confirmed_at: at(1_764_464_400),
                ..base.clone()
            },
            // Reminded, still waiting.
            Signature {
                reminded_at: at(1_764_460_800),
                ..base.clone()
            },
            // Confirmed without a reminder.
            Signature {
                status: SignatureStatus::Confirmed,
                confirmed_at: at(1_764_378_000),
                ..base.clone()
            },
        ] {
            stats.add(&signature);
        }
        assert_eq!((stats.reminded, stats.confirmed_after_reminder), (2, 1));
    }

    #[test]
    fn each_source_counts_what_was_signed_and_confirmed_through_it() {
        let base = pending();
        let through = |src: &str, confirmed: bool| Signature {
            source: Source::parse(src).ok(),
            status: if confirmed {
                SignatureStatus::Confirmed
            } else {
                SignatureStatus::Pending
            },
            confirmed_at: confirmed.then_some(Timestamp::from_unix_seconds(1_764_374_500)),
            ..base.clone()
        };
        let mut stats = Stats::default();
        for signature in [
            through("s07", true),
            through("s07", false),
            through("s07", true),
            through("telegram", false),
            through("", true),
        ] {
            stats.add(&signature);
        }
        let s07 = &stats.per_source[&Source::parse("s07").ok()];
        assert_eq!(
            (s07.signed, s07.confirmed, s07.rate().as_str()),
            (3, 2, "66.7 %")
        );
        assert_eq!(
            stats.per_source[&Source::parse("telegram").ok()].rate(),
            "0.0 %"
        );
        let table = source_table(&stats.per_source).to_string();
        let s07_at = table.find("s07").unwrap();
        assert!(
            s07_at < table.find("telegram").unwrap(),
            "the most signed first"
        );
        assert!(
            table.find("telegram").unwrap() < table.find("(none)").unwrap(),
            "none last"
        );
    }
}
