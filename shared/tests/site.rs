//! The built site: every page in every language, no untranslated string or leftover syntax,
//! every internal link leading to a page that exists.

use people_first::domain::Locale;
use people_first::pages::site::{SiteSettings, build};
use people_first::ports::SiteFile;
use std::collections::BTreeSet;

const PAGES: [&str; 10] = [
    "index.html",
    "check-email/index.html",
    "thank-you/index.html",
    "withdrawn/index.html",
    "privacy/index.html",
    "embed/index.html",
    "404.html",
    "organisations/index.html",
    "organisations/check-email/index.html",
    "organisations/confirmed/index.html",
];

fn settings() -> SiteSettings {
    SiteSettings {
        challenge: None,
        origin: "https://people-first.example".into(),
        contact: "privacy@people-first.example".into(),
        goal: 100_000,
    }
}

fn site() -> Vec<SiteFile> {
    build(
        &settings(),
        &people_first::use_cases::supporters::first_supporters(),
    )
}

fn html(files: &[SiteFile]) -> impl Iterator<Item = (&str, String)> {
    files
        .iter()
        .filter(|f| {
            std::path::Path::new(&f.path)
                .extension()
                .is_some_and(|e| e == "html")
        })
        // The template engine writes `/` in attributes as `&#x2f;`, which browsers read as `/`.
        .map(|f| {
            (
                f.path.as_str(),
                String::from_utf8(f.bytes.clone())
                    .unwrap()
                    .replace("&#x2f;", "/"),
            )
        })
}

/// Every message id of the Fluent files; one showing as text means a missing translation.
fn message_ids() -> BTreeSet<String> {
    people_first::i18n::sources()
        .flat_map(|(_, _, source)| source.lines())
        .filter_map(|line| line.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
        .filter(|id| id.contains('-') && !id.starts_with(' '))
        .collect()
}

#[test]
fn every_page_exists_in_every_language() {
    let files = site();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for locale in Locale::ALL {
        for page in PAGES {
            assert!(
                paths.contains(format!("{locale}/{page}").as_str()),
                "{locale}/{page} is missing"
            );
        }
    }
    for shared in [
        "assets/site.css",
        "assets/site.js",
        "assets/share.png",
        "favicon.svg",
        "embed.js",
        "404.html",
    ] {
        assert!(paths.contains(shared), "{shared} is missing");
    }
}

#[test]
fn no_page_shows_a_message_id_or_template_syntax() {
    let ids = message_ids();
    assert!(ids.len() > 100);
    for (path, page) in html(&site()) {
        for leftover in ["{{", "}}", "{%", "%}", "{ $", "\u{2068}{"] {
            assert!(!page.contains(leftover), "{path} contains {leftover:?}");
        }
        for id in &ids {
            for shown in [
                format!(">{id}<"),
                format!("content=\"{id}\""),
                format!("alt=\"{id}\""),
                format!("label=\"{id}\""),
            ] {
                assert!(!page.contains(&shown), "{path} shows {id}");
            }
        }
    }
}

#[test]
fn every_page_names_its_language_and_links_all_five() {
    for (path, page) in html(&site()) {
        let Some(locale) = path
            .split('/')
            .next()
            .and_then(|l| Locale::parse(l).ok())
            .filter(|_| path.contains('/'))
        else {
            continue;
        };
        assert!(
            page.contains(&format!(r#"<html lang="{locale}">"#)),
            "{path}"
        );
        for other in Locale::ALL {
            assert!(
                page.contains(&format!(
                    r#"hreflang="{other}" href="https://people-first.example/{other}/"#
                )),
                "{path} lacks {other}"
            );
        }
        assert!(
            page.contains(r#"<link rel="canonical" href="https://people-first.example/"#),
            "{path}"
        );
        assert!(page.contains(
            r#"<meta property="og:image" content="https://people-first.example/assets/share.png">"#
        ));
    }
}

#[test]
fn every_internal_link_leads_to_a_file_of_the_site() {
    let files = site();
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for (path, page) in html(&files) {
        for attribute in ["href=\"/", "src=\"/"] {
            for link in page.split(attribute).skip(1) {
                let target = link.split(['"', '#', '?']).next().unwrap();
                if target.starts_with("api/") {
                    continue; // answered by the functions
                }
                let file = if target.is_empty() || target.ends_with('/') {
                    format!("{target}index.html")
                } else {
                    target.to_owned()
                };
                assert!(
                    paths.contains(file.as_str()),
                    "{path} links /{target}, which is not built"
                );
            }
        }
    }
}

#[test]
fn each_share_link_names_its_channel_and_nothing_of_the_sharer() {
    let files = site();
    let (_, page) = html(&files)
        .find(|(path, _)| *path == "de/thank-you/index.html")
        .unwrap();
    let page = page.replace("&amp;", "&");
    let home = "https://people-first.example/de/";
    let linked = |src: &str| {
        let plain = format!("{home}?src={src}");
        let encoded: String = serde_urlencoded::to_string([("u", &plain)]).unwrap();
        page.contains(&plain) || page.contains(&encoded[2..])
    };
    for channel in people_first::domain::Channel::ALL {
        assert!(linked(channel.code()), "no link for {}", channel.code());
    }
    // One link for each channel, and no other source on the page.
    assert_eq!(
        page.matches("src%3D").count() + page.matches("?src=").count(),
        people_first::domain::Channel::ALL.len()
    );
}

#[test]
fn the_home_page_carries_the_whole_campaign_in_order() {
    let home = |locale: Locale| {
        let files = site();
        let file = files
            .into_iter()
            .find(|f| f.path == format!("{locale}/index.html"))
            .unwrap();
        String::from_utf8(file.bytes)
            .unwrap()
            .replace("&#x2f;", "/")
    };
    let french = home(Locale::Fr);
    let order = [
        "Campagne internationale pour la libération",
        // The sign card first, the appeal after it: on a phone it is in the first screen.
        "Ajoutez votre soutien",
        "Parmi eux",
        "au moins 20\u{202f}000 enfants ukrainiens",
        "Nos revendications",
        "Un mécanisme international indépendant",
        "Oleksandra Matviichuk",
        "Marci Shore",
        "Pourquoi maintenant",
        "Pourquoi People First",
        "À qui s’adresse notre campagne",
        "Une initiative de",
        "Soutenu par",
        "Rapid Response Unit",
        "Campagne lancée le 28 janvier 2025",
    ];
    let mut from = 0;
    for text in order {
        let at = french[from..]
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} is missing or out of order"));
        from += at;
    }
    assert_eq!(
        french.matches("<li>").count() - 5,
        4 + 6 + 2 + 36,
        "captives, demands, initiators, supporters"
    );
    assert_eq!(french.matches("<figure class=\"quote\">").count(), 5);
    assert!(
        home(Locale::Uk).contains("Харківська правозахисна група"),
        "supporters named in the page's language"
    );
    assert!(
        !french.contains(r#"type="checkbox" checked"#),
        "updates are not asked for by default"
    );
}

#[test]
fn the_privacy_policy_states_how_long_the_deployed_backups_keep_a_signature() {
    let template = include_str!("../../infra/template.yaml");
    let deployed = template
        .lines()
        .find_map(|line| line.trim().strip_prefix("RecoveryPeriodInDays: "))
        .expect("the table keeps point-in-time backups for a stated number of days");
    assert_eq!(
        deployed,
        people_first::domain::BACKUP_RETENTION_DAYS.to_string()
    );
    let files = site();
    for locale in Locale::ALL {
        let path = format!("{}/privacy/index.html", locale.code());
        let (_, page) = html(&files).find(|(p, _)| *p == path).unwrap();
        // Fluent isolates each number it places in a sentence.
        assert!(
            page.contains(&format!("\u{2068}{deployed}\u{2069}")),
            "{path} does not say that backups are kept {deployed} days"
        );
    }
}

#[test]
fn the_erased_page_says_the_backups_still_hold_a_signature_for_their_days() {
    let files = site();
    for locale in Locale::ALL {
        let path = format!("{}/erased/index.html", locale.code());
        let (_, page) = html(&files).find(|(p, _)| *p == path).unwrap();
        let days = people_first::domain::BACKUP_RETENTION_DAYS;
        assert!(
            page.contains(&format!("\u{2068}{days}\u{2069}")),
            "{path} says nothing is kept, though backups keep it {days} days"
        );
    }
}

#[test]
fn the_privacy_policy_names_the_challenges_company_exactly_when_the_form_shows_it() {
    use people_first::domain::challenge::{Provider, Widget};
    let with = |challenge| {
        build(
            &SiteSettings {
                challenge,
                ..settings()
            },
            &people_first::use_cases::supporters::first_supporters(),
        )
    };
    for locale in Locale::ALL {
        let path = format!("{}/privacy/index.html", locale.code());
        let off = with(None);
        let (_, page) = html(&off).find(|(p, _)| *p == path).unwrap();
        assert!(
            !page.contains("Cloudflare") && !page.contains("hCaptcha"),
            "{path}"
        );
        for (provider, company) in [
            (Provider::Turnstile, "Cloudflare, Inc."),
            (Provider::HCaptcha, "Intuition Machines, Inc."),
        ] {
            let on = with(Some(Widget::new(provider, "site-key".into())));
            let (_, page) = html(&on).find(|(p, _)| *p == path).unwrap();
            assert!(page.contains(company), "{path} does not name {company}");
        }
    }
}

/// Where the campaign's published text has a slip the page corrects: (as published, as shown).
const CAMPAIGN_TEXT_ERRATA: [(&str, &str); 3] = [
    // A doubled word.
    ("qu’un un processus", "qu’un processus"),
    // The organisations' own French names.
    ("Association International", "Association internationale"),
    (
        "Assemblée European des Citoyens",
        "Assemblée européenne des citoyens",
    ),
];

/// Text as a reader sees it: one kind of space, none before French punctuation, no quotation
/// marks (the page sets quotes as blockquotes), no footnote numbers glued to a word.
fn as_read(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // Spaces of every kind, quotation marks, and bidi isolation marks.
            '\u{a0}' | '\u{202f}' | '\u{2009}' | '\n' | '\t' | '«' | '»' | '“' | '”'
            | '\u{2068}' | '\u{2069}' => out.push(' '),
            // "24 heures1": a footnote call, which the page leaves out.
            d if d.is_ascii_digit()
                && out.chars().last().is_some_and(char::is_alphabetic)
                && chars.peek().is_none_or(|n| !n.is_alphanumeric()) => {}
            c => out.push(c),
        }
    }
    let mut spaced = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for mark in [":", ";", "!", "?", ".", ","] {
        spaced = spaced.replace(&format!(" {mark}"), mark);
    }
    spaced
}

fn page_text(html: &str) -> String {
    let body = &html[html.find("<main").expect("a main element")..];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    as_read(&text)
}

/// The campaign's sentences, each without the stop or colon that ends it.
fn campaign_sentences(text: &str) -> Vec<String> {
    let mut text = text.to_owned();
    for (published, shown) in CAMPAIGN_TEXT_ERRATA {
        assert!(
            text.contains(published),
            "erratum no longer needed: {published}"
        );
        text = text.replace(published, shown);
    }
    let mut sentences = Vec::new();
    for line in text.lines() {
        let line = as_read(line);
        let mut sentence = String::new();
        for word in line.split(' ') {
            sentence.push_str(word);
            sentence.push(' ');
            if word.ends_with(['.', '?', '!']) && !word.ends_with("e.V.") {
                sentences.push(sentence.trim().to_owned());
                sentence.clear();
            }
        }
        sentences.push(sentence.trim().to_owned());
    }
    sentences
        .into_iter()
        .map(|s| s.trim_end_matches(['.', ':']).to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn the_french_page_says_every_sentence_of_the_campaigns_text_unchanged() {
    let text = include_str!("data/campaign-fr.txt");
    let files = site();
    let home = html(&files)
        .find(|(path, _)| *path == "fr/index.html")
        .map(|(_, html)| page_text(&html))
        .expect("the French home page");
    let sentences = campaign_sentences(text);
    assert!(sentences.len() > 90, "{} sentences", sentences.len());
    let missing: Vec<&String> = sentences.iter().filter(|s| !home.contains(*s)).collect();
    assert!(
        missing.is_empty(),
        "{} sentences of the campaign's text are not on the French page as written:\n{}",
        missing.len(),
        missing
            .iter()
            .map(|s| format!("  {s}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_privacy_policy_dates_its_version_as_the_page_language_writes_dates() {
    let files = site();
    let (year, _) = people_first::domain::PRIVACY_POLICY_VERSION
        .split_once('-')
        .unwrap();
    for locale in Locale::ALL {
        let path = format!("{}/privacy/index.html", locale.code());
        let (_, page) = html(&files).find(|(p, _)| *p == path).unwrap();
        assert!(
            !page.contains(people_first::domain::PRIVACY_POLICY_VERSION),
            "{path} shows the version as an ISO date"
        );
        let version = page_text(&page);
        assert!(version.contains(year), "{path}: {version}");
    }
    let (_, french) = html(&files)
        .find(|(p, _)| *p == "fr/privacy/index.html")
        .unwrap();
    assert!(page_text(&french).contains("Version du 6 décembre 2026"));
}
