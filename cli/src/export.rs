//! `people-first export`: the confirmed signatures, for delivery to the negotiators. Names and
//! countries by default; an address only of a signer who asked for updates (the others' addresses
//! are gone from the table once they confirm).

use anyhow::Context;
use clap::ValueEnum;
use people_first::domain::{Locale, Signature, Timestamp};
use std::io::Write;

#[derive(clap::Args)]
pub struct Options {
    /// The file's format
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,
    /// The columns, in order, separated by commas
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Column::Name, Column::Country])]
    columns: Vec<Column>,
    /// Where to write (standard output when absent)
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
    /// Write the supporters list instead: each organisation in the list's order, with its name
    /// in each language, its country and its website (never its contact)
    #[arg(long, conflicts_with = "columns")]
    supporters: bool,
    /// Write, for delivery to a partner (its code), only the confirmed signers who agreed to hear
    /// from it, with the fields the privacy policy names, and those who withdrew since its last
    /// export; then note them as delivered
    #[arg(long, conflicts_with_all = ["columns", "supporters"], value_name = "CODE")]
    partner: Option<String>,
}

/// What a partner receives of each signer, as the privacy policy names it: a line `consenting`,
/// or `withdrawn` or `erased` (since the last export: the partner must stop writing to that
/// address; an erased signer's line has nothing else of them).
const PARTNER_COLUMNS: [&str; 8] = [
    "status",
    "name",
    "email",
    "country",
    "language",
    "consented_at",
    "privacy_policy",
    "withdrawn_at",
];

fn consenting_row(signature: &Signature) -> Vec<String> {
    let consent = signature.partner_consent.as_ref();
    vec![
        "consenting".to_owned(),
        signature.name.as_str().to_owned(),
        signature
            .email
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
        signature.country.code().to_owned(),
        signature.locale.code().to_owned(),
        consent.map(|c| c.at.to_rfc3339()).unwrap_or_default(),
        consent
            .map(|c| c.privacy_policy.clone())
            .unwrap_or_default(),
        String::new(),
    ]
}

/// A line that tells the partner to stop writing to an address: the address and the dates,
/// nothing else of the signer (the partner needs no more to find them in its own list).
fn stop_row(
    status: &str,
    email: &str,
    consented_at: Timestamp,
    policy: &str,
    at: Timestamp,
) -> Vec<String> {
    vec![
        status.to_owned(),
        String::new(),
        email.to_owned(),
        String::new(),
        String::new(),
        consented_at.to_rfc3339(),
        policy.to_owned(),
        at.to_rfc3339(),
    ]
}

fn withdrawn_row(signature: &Signature) -> Option<Vec<String>> {
    let consent = signature.partner_consent.as_ref()?;
    Some(stop_row(
        "withdrawn",
        signature.email.as_ref()?.as_str(),
        consent.at,
        &consent.privacy_policy,
        consent.withdrawn_at?,
    ))
}

fn erased_row(erased: &people_first::domain::ErasedConsent) -> Vec<String> {
    stop_row(
        "erased",
        erased.email.as_str(),
        erased.consented_at,
        &erased.privacy_policy,
        erased.erased_at,
    )
}

/// The partner's share: each consent marked as delivered before it is written, so none the
/// signer withdrew meanwhile reaches the partner unheard of; then each withdrawal it told of
/// forgotten.
async fn export_for_partner(
    store: &dyn super::staff::StaffStore,
    code: &str,
    format: Format,
    out: Box<dyn Write>,
) -> anyhow::Result<()> {
    use people_first::use_cases::consent::{
        forget_told, mark_exported, partner_share, unmark_exported,
    };
    let partner = people_first::domain::OrganisationId::parse(code)
        .map_err(|_| anyhow::anyhow!("{code} is not a partner's code"))?;
    if store
        .as_supporters()
        .organisation(&partner)
        .await?
        .is_none()
    {
        anyhow::bail!("no organisation has the code {code}");
    }
    let bar = super::staff::progress_bar();
    let share = partner_share(store, &partner, |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    let share = share.context("cannot read the signatures")?;
    // A row without an address would tell the partner nothing it could act on.
    let with_address = |list: Vec<Signature>| -> Vec<Signature> {
        list.into_iter().filter(|s| s.email.is_some()).collect()
    };
    let now = people_first::ports::Clock::now(&people_first::adapters::clock::SystemClock);
    let consenting = with_address(share.consenting);
    let scanned = consenting.len();
    let consenting = mark_exported(store, consenting, now).await?;
    let withdrawn = with_address(share.withdrawn);
    let rows = consenting
        .iter()
        .map(consenting_row)
        .chain(withdrawn.iter().filter_map(withdrawn_row))
        .chain(share.erased.iter().map(erased_row));
    if let Err(failure) = write_rows(format, out, rows) {
        let left = unmark_exported(store, &consenting, now).await?;
        return Err(failure.context(format!(
            "cannot write the export, and nothing was noted as delivered{}: deliver nothing of \
             it, and run it again",
            if left == 0 {
                String::new()
            } else {
                format!(" (but {left} changed meanwhile)")
            }
        )));
    }
    let changed = forget_told(store, &withdrawn, &share.erased).await?;
    eprintln!(
        "{} consenting, {} withdrawn and {} erased exported for {code}; {} changed meanwhile, left out or told again next time.",
        consenting.len(),
        withdrawn.len(),
        share.erased.len(),
        scanned - consenting.len() + changed,
    );
    Ok(())
}

fn write_rows(
    format: Format,
    out: Box<dyn Write>,
    rows: impl Iterator<Item = Vec<String>>,
) -> anyhow::Result<()> {
    let mut writer = Writer::new(format, out, &PARTNER_COLUMNS)?;
    for row in rows {
        writer.row(&PARTNER_COLUMNS, row)?;
    }
    writer.finish()
}

/// The columns of the supporters list.
const SUPPORTER_COLUMNS: [&str; 10] = [
    "position",
    "id",
    "name_fr",
    "name_en",
    "name_uk",
    "name_ru",
    "name_de",
    "country",
    "website",
    "approved_at",
];

fn supporter_row(
    position: usize,
    organisation: &people_first::domain::Organisation,
) -> Vec<String> {
    let name = |locale: Locale| {
        organisation
            .names
            .get(&locale)
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default()
    };
    vec![
        (position + 1).to_string(),
        organisation.id.to_string(),
        name(Locale::Fr),
        name(Locale::En),
        name(Locale::Uk),
        name(Locale::Ru),
        name(Locale::De),
        organisation
            .country
            .map(|c| c.code().to_owned())
            .unwrap_or_default(),
        organisation
            .website
            .as_ref()
            .map(|w| w.as_str().to_owned())
            .unwrap_or_default(),
        organisation
            .decided_at
            .map(people_first::domain::Timestamp::to_rfc3339)
            .unwrap_or_default(),
    ]
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Column {
    Name,
    /// The ISO 3166 code
    Country,
    /// The country's name in English
    CountryName,
    /// The language the signer signed in
    Language,
    SignedAt,
    ConfirmedAt,
    /// Whether they asked to be kept informed
    Updates,
    /// Only for those who asked to be kept informed
    Email,
}

impl Column {
    fn header(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Country => "country",
            Self::CountryName => "country_name",
            Self::Language => "language",
            Self::SignedAt => "signed_at",
            Self::ConfirmedAt => "confirmed_at",
            Self::Updates => "updates",
            Self::Email => "email",
        }
    }

    fn value(self, signature: &Signature) -> String {
        match self {
            Self::Name => signature.name.as_str().to_owned(),
            Self::Country => signature.country.code().to_owned(),
            Self::CountryName => signature.country.name(Locale::En).to_owned(),
            Self::Language => signature.locale.code().to_owned(),
            Self::SignedAt => signature.signed_at.to_rfc3339(),
            Self::ConfirmedAt => signature
                .confirmed_at
                .map(people_first::domain::Timestamp::to_rfc3339)
                .unwrap_or_default(),
            Self::Updates => signature.updates.to_string(),
            // Consent decides, not what happens to be stored.
            Self::Email => signature
                .email
                .as_ref()
                .filter(|_| signature.updates)
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        }
    }
}

/// A cell a spreadsheet would run as a formula (`=HYPERLINK(…)` typed as a name) is written
/// after an apostrophe, which spreadsheets read as "text follows" and do not show.
fn neutralised(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The export file, readable and writable by its owner only: it holds names and addresses.
fn private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // A file that existed keeps its mode through `open`: narrow it too.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(file)
}

/// Writes rows as they come, so an export of a million signatures holds one in memory.
enum Writer {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Json { out: Box<dyn Write>, rows: u64 },
}

impl Writer {
    fn new(format: Format, out: Box<dyn Write>, headers: &[&str]) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Csv => {
                // Every cell quoted: a spreadsheet that splits on `;` (as Excel does in German,
                // French, Russian and Ukrainian) must not find a formula inside a name.
                let mut csv = csv::WriterBuilder::new()
                    .quote_style(csv::QuoteStyle::Always)
                    .from_writer(out);
                csv.write_record(headers)?;
                Self::Csv(Box::new(csv))
            }
            Format::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                Self::Json { out, rows: 0 }
            }
        })
    }

    fn row(&mut self, headers: &[&str], cells: Vec<String>) -> anyhow::Result<()> {
        match self {
            Self::Csv(csv) => {
                csv.write_record(cells.into_iter().map(neutralised))?;
            }
            Self::Json { out, rows } => {
                let row: serde_json::Map<String, serde_json::Value> = headers
                    .iter()
                    .zip(cells)
                    .map(|(header, cell)| ((*header).to_owned(), cell.into()))
                    .collect();
                out.write_all(if *rows == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, &row)?;
                *rows += 1;
            }
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        match self {
            Self::Csv(mut csv) => csv.flush()?,
            Self::Json { mut out, .. } => {
                out.write_all(b"\n]\n")?;
                out.flush()?;
            }
        }
        Ok(())
    }
}

#[tokio::main]
pub async fn run(target: &super::staff::Target, options: &Options) -> anyhow::Result<()> {
    let (store, source) = super::staff::open(target).await?;
    let out: Box<dyn Write> = match &options.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            private_file(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if options.supporters {
        eprintln!("Exporting the supporters list in {source}.");
        let list = people_first::use_cases::supporters::list(store.as_supporters()).await?;
        let mut writer = Writer::new(options.format, out, &SUPPORTER_COLUMNS)?;
        for (position, organisation) in list.iter().enumerate() {
            writer.row(&SUPPORTER_COLUMNS, supporter_row(position, organisation))?;
        }
        writer.finish()?;
        eprintln!("{} organisations exported.", list.len());
        return Ok(());
    }
    if let Some(code) = &options.partner {
        eprintln!("Exporting for the partner {code} in {source}.");
        return export_for_partner(store.as_ref(), code, options.format, out).await;
    }
    eprintln!("Exporting the confirmed signatures in {source}.");
    let headers: Vec<&str> = options.columns.iter().map(|c| c.header()).collect();
    let mut writer = Writer::new(options.format, out, &headers)?;
    let mut exported = 0u64;
    let mut failure = None;
    let read = super::staff::scan(store.as_ref(), |signature| {
        if failure.is_none() && signature.is_confirmed() {
            let cells = options
                .columns
                .iter()
                .map(|c| c.value(&signature))
                .collect();
            match writer.row(&headers, cells) {
                Ok(()) => exported += 1,
                Err(e) => failure = Some(e),
            }
        }
    })
    .await?;
    if let Some(e) = failure {
        return Err(e.context("cannot write the export"));
    }
    writer.finish()?;
    eprintln!("{exported} confirmed signatures exported, of {read} read.");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_written_as_text() {
        for formula in [
            "=HYPERLINK(\"http://evil.example\",\"open\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralised(formula.to_owned()), format!("'{formula}"));
        }
        for plain in [
            "Olena Koval",
            "Jean-Paul",
            "2026-11-29T10:00:00Z",
            "",
            "'quoted",
        ] {
            assert_eq!(neutralised(plain.to_owned()), plain);
        }
    }
}
