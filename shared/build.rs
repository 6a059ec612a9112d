//! What the library builds from data: the campaign's languages, from `locales/languages`, and
//! country names and their order in each language, computed once from CLDR.
//!
//! The collation and display-name data weigh megabytes; the functions need only the 249 names they
//! produce, so the data stays in the build and the binaries carry plain tables.

use icu_collator::{Collator, options::CollatorOptions};
use icu_experimental::displaynames::{DisplayNamesOptions, RegionDisplayNames};
use icu_locale_core::{Locale, subtags::Region};
use std::fmt::Write as _;

/// The one list of the campaign's languages.
const LANGUAGES_FILE: &str = "../locales/languages";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed={LANGUAGES_FILE}");
    let languages = languages();
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out_dir.join("locales.rs"), locale_code(&languages)).unwrap();
    std::fs::write(
        out_dir.join("locale_files.rs"),
        locale_files_code(&languages),
    )
    .unwrap();
    std::fs::write(out_dir.join("countries.rs"), country_code(&languages)).unwrap();
}

/// The codes `locales/languages` lists, in its order.
fn languages() -> Vec<String> {
    let list = std::fs::read_to_string(LANGUAGES_FILE).expect("locales/languages is readable");
    let codes: Vec<String> = list
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    for code in &codes {
        assert!(
            code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()),
            "locales/languages: {code:?} is not a two-letter language code"
        );
    }
    codes
}

/// `Locale`, one variant a language.
fn locale_code(languages: &[String]) -> String {
    let variant = |code: &str| code[..1].to_ascii_uppercase() + &code[1..];
    let mut out = String::new();
    writeln!(
        out,
        "/// One of the campaign's languages, as `locales/languages` lists them."
    )
    .unwrap();
    writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]"
    )
    .unwrap();
    writeln!(out, "#[serde(try_from = \"String\", into = \"String\")]").unwrap();
    writeln!(out, "pub enum Locale {{").unwrap();
    for code in languages {
        writeln!(out, "    {},", variant(code)).unwrap();
    }
    writeln!(out, "}}").unwrap();
    writeln!(out, "impl Locale {{").unwrap();
    writeln!(out, "    /// In the order the campaign lists them.").unwrap();
    let all: Vec<String> = languages
        .iter()
        .map(|c| format!("Locale::{}", variant(c)))
        .collect();
    writeln!(
        out,
        "    pub const ALL: [Locale; {}] = [{}];",
        languages.len(),
        all.join(", ")
    )
    .unwrap();
    writeln!(out, "    pub const fn code(self) -> &'static str {{").unwrap();
    writeln!(out, "        match self {{").unwrap();
    for code in languages {
        writeln!(out, "            Self::{} => {code:?},", variant(code)).unwrap();
    }
    writeln!(out, "        }}\n    }}\n}}").unwrap();
    out
}

/// The macro that includes every language's copy of the named Fluent files, as
/// (language, file name, source).
fn locale_files_code(languages: &[String]) -> String {
    let mut out = String::new();
    writeln!(out, "macro_rules! locale_files {{").unwrap();
    writeln!(out, "    ($($file:literal),*) => {{ &[$(").unwrap();
    for code in languages {
        writeln!(
            out,
            "        ({code:?}, $file, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../locales/{code}/\", $file))),"
        )
        .unwrap();
    }
    writeln!(out, "    )*] }};\n}}").unwrap();
    out
}

fn country_code(languages: &[String]) -> String {
    let mut codes: Vec<&str> = rust_iso3166::ALL.iter().map(|c| c.alpha2).collect();
    codes.sort_unstable();
    codes.dedup();

    let mut out = String::new();
    writeln!(out, "/// Every ISO 3166-1 alpha-2 code, sorted.").unwrap();
    writeln!(out, "static CODES: [&str; {}] = {:?};", codes.len(), codes).unwrap();
    writeln!(
        out,
        "/// Each language's country names, sorted as that language sorts."
    )
    .unwrap();
    writeln!(
        out,
        "static NAMES: [(&str, [(Country, &str); {}]); {}] = [",
        codes.len(),
        languages.len()
    )
    .unwrap();
    for language in languages {
        writeln!(out, "({language:?}, [").unwrap();
        for (code, name) in sorted_names(language, &codes) {
            writeln!(out, "(Country(*b{code:?}), {name:?}),").unwrap();
        }
        writeln!(out, "]),").unwrap();
    }
    writeln!(out, "];").unwrap();
    out
}

fn sorted_names<'a>(language: &str, codes: &[&'a str]) -> Vec<(&'a str, String)> {
    let locale: Locale = language.parse().expect("a language code is a valid locale");
    let display =
        RegionDisplayNames::try_new(locale.clone().into(), DisplayNamesOptions::default())
            .expect("CLDR region names are compiled in");
    let collator = Collator::try_new(locale.into(), CollatorOptions::default())
        .expect("CLDR collation is compiled in");
    let mut named: Vec<(&str, String)> = codes
        .iter()
        .map(|&code| {
            let region: Region = code.parse().expect("an ISO code is a region subtag");
            (code, display.of(region).unwrap_or(code).to_owned())
        })
        .collect();
    named.sort_by(|a, b| collator.compare(&a.1, &b.1));
    named
}
