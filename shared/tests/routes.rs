//! The API's addresses (`domain::routes::Api`) are the paths `openapi.yaml` describes, and the
//! only ones the site's forms post to and its script fetches; the pages' (`Page`) are the only
//! ones the templates link to.

use people_first::domain::routes::{Api, Page};
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn ours() -> BTreeSet<&'static str> {
    Api::ALL.into_iter().map(Api::path).collect()
}

#[test]
fn the_api_description_has_every_address_and_no_other() {
    let description: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(root().join("openapi.yaml")).unwrap())
            .unwrap();
    let described: BTreeSet<&str> = description["paths"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|key| key.as_str().unwrap())
        .collect();
    assert_eq!(described, ours());
}

/// Every `/api/…` address a file names in quotes: a form's action, a script's fetch, an image.
fn named_in(text: &str) -> BTreeSet<String> {
    text.split(['"', '\''])
        .filter(|part| part.starts_with("/api/"))
        .map(|part| part.split('?').next().unwrap().to_owned())
        .collect()
}

/// The text of every file directly in `dir` (images and other bytes left out).
fn texts_in(dir: &str) -> Vec<String> {
    std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|entry| std::fs::read_to_string(entry.unwrap().path()).ok())
        .collect()
}

#[test]
fn the_site_names_only_addresses_the_api_has() {
    let named: BTreeSet<String> = ["static/templates", "static/assets"]
        .into_iter()
        .flat_map(texts_in)
        .flat_map(|text| named_in(&text))
        .collect();
    assert!(!named.is_empty(), "the site names the API");
    let unknown: Vec<_> = named
        .iter()
        .filter(|path| !ours().contains(path.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "the site names addresses the API does not have: {unknown:?}"
    );
}

#[test]
fn an_address_is_read_without_its_query() {
    assert_eq!(
        named_in(r#"<img src="/api/count.svg?lang=en"> fetch('/api/sign', {"#),
        BTreeSet::from(["/api/count.svg".to_owned(), "/api/sign".to_owned()])
    );
}

/// Every page of the site a template links to in its own language: `href="/{{ locale }}/…"`,
/// without a fragment.
fn pages_linked_in(text: &str) -> BTreeSet<String> {
    text.split("href=\"/{{ locale }}/")
        .skip(1)
        .map(|rest| rest.split(['"', '#']).next().unwrap().to_owned())
        .collect()
}

#[test]
fn the_templates_link_only_to_pages_the_site_has() {
    let pages: BTreeSet<&str> = Page::ALL.into_iter().map(Page::path).collect();
    let mut linked: BTreeSet<String> = texts_in("static/templates")
        .iter()
        .flat_map(|text| pages_linked_in(text))
        .collect();
    // Where a message page sends its reader on, which the code chooses among pages.
    linked.remove("{{ again }}");
    assert!(linked.contains("privacy/"), "{linked:?}");
    let unknown: Vec<_> = linked
        .iter()
        .filter(|path| !pages.contains(path.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "links to pages the site does not have: {unknown:?}"
    );
}

#[test]
fn a_page_link_is_read_without_its_fragment() {
    assert_eq!(
        pages_linked_in(r#"<a href="/{{ locale }}/#sign"> <a href="/{{ locale }}/embed/">"#),
        BTreeSet::from([String::new(), "embed/".to_owned()])
    );
}
