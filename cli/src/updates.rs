//! `people-first updates`: campaign updates, written by staff as one Markdown file per language
//! in a folder (`en.md`, `fr.md`, `uk.md`, `ru.md`, `de.md`), the first line of each the
//! subject (`# …`). English is the one every signer can be sent: a language without its file
//! gets the English text.

use anyhow::Context;
use people_first::domain::{Locale, UpdateText};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Render each language's email, text and HTML, into files to open, with sample links
    Preview {
        /// The update's folder
        dir: PathBuf,
        /// Where to write the previews (the update's folder's `preview/` when absent)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The update's texts by language, read from `dir`; the languages that will get English.
pub fn read(dir: &Path) -> anyhow::Result<(BTreeMap<Locale, UpdateText>, Vec<Locale>)> {
    let mut texts = BTreeMap::new();
    let mut missing = Vec::new();
    for locale in Locale::ALL {
        let path = dir.join(format!("{}.md", locale.code()));
        match std::fs::read_to_string(&path) {
            Ok(markdown) => {
                let text = UpdateText::parse(&markdown)
                    .with_context(|| format!("{} is not an update's text", path.display()))?;
                texts.insert(locale, text);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push(locale),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
    if !texts.contains_key(&Locale::FALLBACK) {
        anyhow::bail!(
            "{} has no {}.md: every signer must be sent at least the English text",
            dir.display(),
            Locale::FALLBACK.code()
        );
    }
    Ok((texts, missing))
}

pub fn run(command: &Command) -> anyhow::Result<()> {
    match command {
        Command::Preview { dir, output } => preview(dir, output.as_deref()),
    }
}

fn preview(dir: &Path, output: Option<&Path>) -> anyhow::Result<()> {
    let (texts, missing) = read(dir)?;
    let out = output.map_or_else(|| dir.join("preview"), Path::to_path_buf);
    std::fs::create_dir_all(&out).with_context(|| format!("cannot write {}", out.display()))?;
    // The site's own address where it is set, so the links read as they will.
    let site = match std::env::var_os("PEOPLE_FIRST_PUBLIC_URL") {
        Some(_) => people_first::config::public_url()?,
        None => "https://people1st.example".to_owned(),
    };
    let unsubscribe = format!("{site}/api/erase?t=PREVIEW");
    let erase = format!("{site}/api/erase?t=PREVIEW");
    for locale in Locale::ALL {
        let text = texts.get(&locale).unwrap_or(&texts[&Locale::FALLBACK]);
        let words = people_first::pages::update_email(locale, text, &unsubscribe, &erase);
        for (extension, body) in [("txt", &words.text), ("html", &words.html)] {
            let path = out.join(format!("{}.{extension}", locale.code()));
            std::fs::write(&path, format!("{}\n", body.trim_end()))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        println!(
            "{}: “{}” in {}",
            locale.code(),
            words.subject,
            out.join(format!("{}.html", locale.code())).display()
        );
    }
    if !missing.is_empty() {
        let codes: Vec<&str> = missing.iter().map(|l| l.code()).collect();
        eprintln!(
            "warning: no text in {}: those signers would get the English text",
            codes.join(", ")
        );
    }
    Ok(())
}
