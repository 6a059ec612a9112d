//! `people-first export`: the confirmed signatures, for delivery to the negotiators. Names and
//! countries by default; an address only of a signer who asked for updates (the others' addresses
//! are gone from the table once they confirm).

use anyhow::Context;
use clap::ValueEnum;
use people_first::domain::{Locale, Signature};
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
    fn new(format: Format, out: Box<dyn Write>, columns: &[Column]) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Csv => {
                // Every cell quoted: a spreadsheet that splits on `;` (as Excel does in German,
                // French, Russian and Ukrainian) must not find a formula inside a name.
                let mut csv = csv::WriterBuilder::new()
                    .quote_style(csv::QuoteStyle::Always)
                    .from_writer(out);
                csv.write_record(columns.iter().map(|c| c.header()))?;
                Self::Csv(Box::new(csv))
            }
            Format::Json => {
                let mut out = out;
                out.write_all(b"[")?;
                Self::Json { out, rows: 0 }
            }
        })
    }

    fn row(&mut self, columns: &[Column], signature: &Signature) -> anyhow::Result<()> {
        match self {
            Self::Csv(csv) => {
                csv.write_record(columns.iter().map(|c| neutralised(c.value(signature))))?;
            }
            Self::Json { out, rows } => {
                let row: serde_json::Map<String, serde_json::Value> = columns
                    .iter()
                    .map(|c| (c.header().to_owned(), c.value(signature).into()))
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
pub async fn run(options: &Options) -> anyhow::Result<()> {
    let (store, source) = super::staff::open().await?;
    let out: Box<dyn Write> = match &options.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            private_file(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    eprintln!("Exporting the confirmed signatures in {source}.");
    let mut writer = Writer::new(options.format, out, &options.columns)?;
    let mut exported = 0u64;
    let mut failure = None;
    let read = super::staff::scan(store.as_ref(), |signature| {
        if failure.is_none() && signature.is_confirmed() {
            match writer.row(&options.columns, &signature) {
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
