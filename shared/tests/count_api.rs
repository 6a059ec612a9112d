//! `/api/count`, `/api/count.svg` and `/api/count.html` as watchers, partner pages, browsers
//! without a script and the CDN use them.

use people_first::testing as support;

use people_first::adapters::clock::ManualClock;
use people_first::adapters::embedded::EmbeddedStore;
use people_first::adapters::partners::ApprovedPartners;
use people_first::domain::{Counter, Country, Locale, Source, Timestamp};
use people_first::http::count::{
    CACHE_CONTROL_VALUE, CountState, UNKNOWN_SOURCE_CACHE_CONTROL, handle_count,
};
use people_first::i18n;
use people_first::ports::{CounterStore, SupporterStore};
use std::sync::Arc;
use support::stack::{Answer, request};

struct Subject {
    state: CountState,
    store: Arc<EmbeddedStore>,
    _dir: tempfile::TempDir,
}

fn subject() -> Subject {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    Subject {
        state: CountState {
            counter: store.clone(),
            partners: Arc::new(ApprovedPartners::new(
                store.clone(),
                Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000))),
            )),
            goal: 100_000,
            smallest_country_shown: 10,
        },
        store,
        _dir: dir,
    }
}

async fn set_count(store: &EmbeddedStore, counts: &[(&str, u64)], sources: &[(&str, u64)]) {
    let seen = store.read_counter().await.unwrap();
    let counter = Counter {
        countries: counts
            .iter()
            .map(|(c, n)| (Country::parse(c).unwrap(), *n))
            .collect(),
        sources: sources
            .iter()
            .map(|(s, n)| (Source::parse(s).unwrap(), *n))
            .collect(),
        updated_at: Some(Timestamp::from_unix_seconds(1_738_000_000)),
        revision: 0,
    };
    assert!(store.replace_counter(&seen, &counter).await.unwrap());
}

async fn get(state: &CountState, method: &str, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut built = request(method, uri, None, "");
    for (name, value) in headers {
        built.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_str(value).unwrap(),
        );
    }
    let response = handle_count(state, built).await.unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body: String::from_utf8_lossy(body.as_ref()).into_owned(),
    }
}

#[tokio::test]
async fn small_counts_are_summed_as_other_countries_and_the_time_is_to_the_minute() {
    let mut subject = subject();
    set_count(
        &subject.store,
        &[("UA", 12_000), ("BY", 3), ("PL", 10), ("RU", 9)],
        &[],
    )
    .await;
    let answer = get(&subject.state, "GET", "/api/count", &[]).await;
    assert_eq!(
        answer.json(),
        serde_json::json!({
            "total": 12_022, "countries": { "PL": 10, "UA": 12_000 }, "other_countries": 12,
            "updated_at": "2025-01-27T17:46:00Z", "goal": 100_000
        }),
        "the total stays exact; 1,738,000,000 s is 17:46:40"
    );
    // A campaign that may show every country says so.
    subject.state.smallest_country_shown = 1;
    let answer = get(&subject.state, "GET", "/api/count", &[]).await;
    assert_eq!(answer.json()["countries"]["BY"], 3);
    assert_eq!(answer.json()["other_countries"], 0);
}

#[tokio::test]
async fn the_table_page_lists_the_countries_shown_apart_the_most_first_in_its_language() {
    let subject = subject();
    set_count(
        &subject.store,
        &[("UA", 12_000), ("BY", 3), ("PL", 10), ("RU", 9)],
        &[],
    )
    .await;
    let page = get(&subject.state, "GET", "/api/count.html?lang=fr", &[]).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert!(
        page.header("content-security-policy")
            .contains("frame-ancestors 'none'")
    );
    let ukraine = page
        .body
        .find("<th scope=\"row\">Ukraine</th><td>12\u{202f}000</td>");
    let poland = page.body.find("<th scope=\"row\">Pologne</th><td>10</td>");
    assert!(ukraine.is_some() && ukraine < poland, "{}", page.body);
    assert!(!page.body.contains("Biélorussie") && !page.body.contains("Russie</th>"));
    assert!(
        page.body.contains("<td>12</td></tr></tfoot>"),
        "3 and 9 together"
    );
    let english = get(&subject.state, "GET", "/api/count.html?lang=en", &[]).await;
    assert_ne!(
        english.header("etag"),
        page.header("etag"),
        "one page a language"
    );
    // A made-up code would be a new cache key and a read of the partners: the page takes none.
    let coded = get(
        &subject.state,
        "GET",
        "/api/count.html?lang=en&source=k3h8m2p9qa",
        &[],
    )
    .await;
    assert_eq!(
        (coded.status, coded.header("etag")),
        (200, english.header("etag"))
    );
}

#[tokio::test]
async fn a_partners_count_shows_beside_the_total_in_steps_and_under_the_small_number_rule() {
    let subject = subject();
    subject
        .store
        .seed(&people_first::use_cases::supporters::first_supporters())
        .await
        .unwrap();
    set_count(
        &subject.store,
        &[("UA", 12_000), ("PL", 345)],
        &[("s07", 127), ("s08", 9), ("telegram", 40)],
    )
    .await;
    let source_of = |answer: &Answer| answer.json()["source"].clone();
    let partner = get(&subject.state, "GET", "/api/count?source=s07", &[]).await;
    assert_eq!(partner.json()["total"], 12_345, "the total stays exact");
    assert_eq!(
        source_of(&partner),
        serde_json::json!({ "code": "s07", "confirmed": 120 }),
        "127, in steps of ten"
    );
    let small = get(&subject.state, "GET", "/api/count?source=s08", &[]).await;
    assert_eq!(
        source_of(&small),
        serde_json::json!({ "code": "s08", "confirmed": null }),
        "9 is under the rule, as a country's would be"
    );
    let none_yet = get(&subject.state, "GET", "/api/count?source=s09", &[]).await;
    assert_eq!(
        none_yet.json()["source"]["confirmed"],
        serde_json::Value::Null
    );
    let channel = get(&subject.state, "GET", "/api/count?source=telegram", &[]).await;
    assert_eq!(channel.json()["source"]["confirmed"], 40);
    assert_ne!(
        partner.header("etag"),
        channel.header("etag"),
        "each source is its own answer"
    );
    let badge = get(
        &subject.state,
        "GET",
        "/api/count.svg?lang=de&source=s07",
        &[],
    )
    .await;
    assert!(badge.body.contains("davon 120 hier"), "{}", badge.body);
}

#[tokio::test]
async fn a_count_asked_for_a_code_nobody_has_is_sent_on_without_it_and_kept_a_day() {
    let subject = subject();
    set_count(&subject.store, &[("UA", 12_000)], &[]).await;
    for (asked, location) in [
        ("/api/count?source=k3h8m2p9qa&lang=uk", "/api/count?lang=uk"),
        ("/api/count.svg?source=%3Cb%3E", "/api/count.svg?lang=en"),
    ] {
        let answer = get(&subject.state, "GET", asked, &[]).await;
        assert_eq!(answer.status, 301, "{asked}");
        assert_eq!(answer.header("location"), location);
        assert_eq!(answer.header("cache-control"), UNKNOWN_SOURCE_CACHE_CONTROL);
        assert_eq!(answer.header("access-control-allow-origin"), "*");
    }
}

#[tokio::test]
async fn a_missing_counter_reads_as_zero() {
    let subject = subject();
    let answer = get(&subject.state, "GET", "/api/count", &[]).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json(),
        serde_json::json!({
            "total": 0, "countries": {}, "other_countries": 0, "updated_at": null, "goal": 100_000
        })
    );
}

#[tokio::test]
async fn the_count_is_cacheable_open_to_every_origin_and_revalidates_with_its_etag() {
    let subject = subject();
    set_count(&subject.store, &[("UA", 12_000), ("PL", 345)], &[]).await;
    let answer = get(
        &subject.state,
        "GET",
        "/api/count",
        &[("origin", "https://partner.example")],
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json(),
        serde_json::json!({
            "total": 12_345, "countries": { "PL": 345, "UA": 12_000 }, "other_countries": 0,
            "updated_at": "2025-01-27T17:46:00Z", "goal": 100_000
        })
    );
    assert_eq!(answer.header("cache-control"), CACHE_CONTROL_VALUE);
    for directive in [
        "max-age=",
        "s-maxage=",
        "stale-while-revalidate=",
        "stale-if-error=",
    ] {
        assert!(CACHE_CONTROL_VALUE.contains(directive));
    }
    assert_eq!(answer.header("access-control-allow-origin"), "*");
    let etag = answer.header("etag").to_owned();
    assert!(etag.starts_with('"'));

    let unchanged = get(
        &subject.state,
        "GET",
        "/api/count",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!((unchanged.status, unchanged.body.as_str()), (304, ""));
    assert_eq!(unchanged.header("etag"), etag);
    assert_eq!(unchanged.header("cache-control"), CACHE_CONTROL_VALUE);

    set_count(&subject.store, &[("UA", 12_001), ("PL", 345)], &[]).await;
    let moved = get(
        &subject.state,
        "GET",
        "/api/count",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(moved.status, 200, "a new count has a new tag");
    assert_ne!(moved.header("etag"), etag);
}

#[tokio::test]
async fn head_and_options_work_and_writes_are_refused() {
    let subject = subject();
    let head = get(&subject.state, "HEAD", "/api/count", &[]).await;
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(head.header("content-type"), "application/json");
    let preflight = get(
        &subject.state,
        "OPTIONS",
        "/api/count",
        &[("origin", "https://partner.example")],
    )
    .await;
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    assert!(
        preflight
            .header("access-control-allow-methods")
            .contains("GET")
    );
    let post = get(&subject.state, "POST", "/api/count", &[]).await;
    assert_eq!(post.status, 405);
    // Each answer carries its own protection, whatever passes it on.
    let badge = get(&subject.state, "GET", "/api/count.svg", &[]).await;
    for answer in [&head, &preflight, &post, &badge] {
        assert_eq!(
            answer.header("content-security-policy"),
            "default-src 'none'; frame-ancestors 'none'"
        );
        assert_eq!(answer.header("x-content-type-options"), "nosniff");
    }
}

#[tokio::test]
async fn the_badge_is_svg_with_the_number_written_as_each_language_writes_it() {
    let subject = subject();
    set_count(&subject.store, &[("UA", 12_345)], &[]).await;
    let expected = [
        (Locale::Fr, "12\u{202f}345 signatures"),
        (Locale::En, "12,345 signatures"),
        (Locale::Uk, "12\u{a0}345 підписів"),
        (Locale::Ru, "12\u{a0}345 подписей"),
        (Locale::De, "12.345 Unterschriften"),
    ];
    let mut tags = std::collections::BTreeSet::new();
    for (locale, text) in expected {
        let answer = get(
            &subject.state,
            "GET",
            &format!("/api/count.svg?lang={locale}"),
            &[],
        )
        .await;
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.header("content-type"),
            "image/svg+xml; charset=utf-8"
        );
        assert_eq!(answer.header("access-control-allow-origin"), "*");
        tags.insert(answer.header("etag").to_owned());
        let svg = roxmltree::Document::parse(&answer.body).expect("the badge is well-formed XML");
        let texts: Vec<&str> = svg
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(texts, ["People First", text], "{locale}");
        let head = get(
            &subject.state,
            "HEAD",
            &format!("/api/count.svg?lang={locale}"),
            &[],
        )
        .await;
        assert_eq!((head.status, head.body.as_str()), (200, ""));
    }
    assert_eq!(tags.len(), 5, "each language's badge is cached apart");
}

#[tokio::test]
async fn the_badge_follows_its_lang_alone_so_the_cdn_serves_each_visitor_their_language() {
    let subject = subject();
    set_count(&subject.store, &[("UA", 3)], &[]).await;
    let english = get(&subject.state, "GET", "/api/count.svg?lang=en", &[]).await;
    for uri in ["/api/count.svg", "/api/count.svg?lang=xx"] {
        let answer = get(
            &subject.state,
            "GET",
            uri,
            &[("accept-language", "uk-UA,uk;q=0.9")],
        )
        .await;
        assert_eq!(
            (answer.body.as_str(), answer.header("etag")),
            (english.body.as_str(), english.header("etag")),
            "{uri}: the CDN caches this answer for every visitor, whatever their language"
        );
    }
}

#[test]
fn numbers_and_plurals_follow_each_language() {
    assert_eq!(i18n::format_number(Locale::Fr, 12_345), "12\u{202f}345");
    assert_eq!(i18n::format_number(Locale::En, 12_345), "12,345");
    assert_eq!(i18n::format_number(Locale::De, 1_234_567), "1.234.567");
    let uk = |n| i18n::signatures(Locale::Uk, i18n::Medium::PlainText, n);
    assert_eq!(uk(1), "1 підпис");
    assert_eq!(uk(3), "3 підписи");
    assert_eq!(uk(5), "5 підписів");
    assert_eq!(uk(21), "21 підпис");
    let patterns = i18n::signatures_by_plural_category(Locale::Ru);
    assert_eq!(patterns["one"], "{} подпись");
    assert_eq!(patterns["few"], "{} подписи");
    assert_eq!(patterns["many"], "{} подписей");
    assert_eq!(i18n::signatures_by_plural_category(Locale::En).len(), 2);
}

#[test]
fn the_embed_script_stays_under_three_kilobytes_gzipped_with_every_language() {
    use std::io::Write;
    let script = people_first::pages::embed_script();
    for locale in Locale::ALL {
        assert!(
            script.contains(&format!("\"{locale}\":")),
            "{locale} is missing"
        );
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(script.as_bytes()).unwrap();
    let size = gzip.finish().unwrap().len();
    assert!(size <= 3 * 1024, "embed.js is {size} bytes gzipped");
}
