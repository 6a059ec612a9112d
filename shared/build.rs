//! Country names and their order in each language, computed once at build time from CLDR.
//!
//! The collation and display-name data weigh megabytes; the functions need only the 249 names they
//! produce, so the data stays in the build and the binaries carry plain tables.

use icu_collator::{Collator, options::CollatorOptions};
use icu_experimental::displaynames::{DisplayNamesOptions, RegionDisplayNames};
use icu_locale_core::{Locale, subtags::Region};
use std::fmt::Write as _;

/// The campaign's languages; `Locale::ALL` in the library lists the same ones.
const LANGUAGES: [&str; 5] = ["fr", "en", "uk", "ru", "de"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
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
        LANGUAGES.len()
    )
    .unwrap();
    for language in LANGUAGES {
        writeln!(out, "({language:?}, [").unwrap();
        for (code, name) in sorted_names(language, &codes) {
            writeln!(out, "(Country(*b{code:?}), {name:?}),").unwrap();
        }
        writeln!(out, "]),").unwrap();
    }
    writeln!(out, "];").unwrap();

    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("countries.rs");
    std::fs::write(path, out).unwrap();
}

fn sorted_names<'a>(language: &str, codes: &[&'a str]) -> Vec<(&'a str, String)> {
    let locale: Locale = language.parse().expect("the five codes are valid locales");
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
