//! `GET|HEAD /api/count`, `/api/count.svg` and `/api/count.html`: the count, read from the
//! counter item and made to be cached by the CDN, open to every origin; with `?source=`, a
//! partner's or channel's share of it beside the total. The page is the map's table for a
//! browser that runs no script.

use super::{json, query_parameter};
use crate::domain::Locale;
use crate::domain::Source;
use crate::i18n::MessageId;
use crate::i18n::{self, Medium};
use crate::pages;
use crate::ports::{CounterStore, Partners, StoreError};
use http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION, RETRY_AFTER};
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Error, Request, Response};
use std::sync::Arc;
use tracing::instrument;

/// Watchers see a count at most a few seconds old; the CDN asks the function at most every ten
/// seconds per edge, keeps serving while it refreshes, and for a day if the function fails.
pub const CACHE_CONTROL_VALUE: &str =
    "public, max-age=5, s-maxage=10, stale-while-revalidate=30, stale-if-error=86400";

/// A code the count does not know, sent on to the count without it: kept by the CDN for a day,
/// so a made-up code reaches the function once an edge and a day, and never the table.
pub const UNKNOWN_SOURCE_CACHE_CONTROL: &str = "public, max-age=3600, s-maxage=86400";

/// A source's count is shown in steps of this many: each new signature through a small partner
/// would otherwise show, to the minute, on a page whose visitors the partner's scripts see.
pub const SOURCE_STEP: u64 = 10;

#[derive(Clone)]
pub struct CountState {
    pub counter: Arc<dyn CounterStore>,
    /// Whose codes a count may be asked for.
    pub partners: Arc<dyn Partners>,
    /// The number the campaign aims for, shown with the count.
    pub goal: u64,
    /// The smallest count of a country shown on its own; smaller ones are summed as other
    /// countries, so that a count of 3 where signing is dangerous does not narrow down who.
    pub smallest_country_shown: u64,
}

/// Every answer of the count: open to partner pages; data, or the badge (an image styled by its
/// attributes), or the table as a page of its own, which `handle_count` gives a page's policy.
fn open_to_every_origin(response: &mut Response<Body>) {
    let headers = response.headers_mut();
    super::secure(headers, super::csp::API);
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("ETag"),
    );
}

fn cached(mut response: Response<Body>, etag: &str) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL_VALUE));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(ETAG, value);
    }
    open_to_every_origin(&mut response);
    response
}

fn matches(request: &Request, etag: &str) -> bool {
    super::header(request, IF_NONE_MATCH)
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// The badge: the campaign's name and the count, in the language asked for, with the count
/// through the partner showing it when one is shown.
pub fn badge(locale: Locale, total: u64, here: Option<u64>) -> String {
    let label = i18n::text(locale, MessageId::CAMPAIGN_NAME);
    let mut count = i18n::signatures(locale, Medium::PlainText, total);
    if let Some(here) = here {
        count = format!(
            "{count}, {}",
            i18n::signatures_here(locale, Medium::PlainText, here)
        );
    }
    // Verdana at 11 px averages about 7 px a character; the badge need not be exact.
    let width = |text: &str| u32::try_from(text.chars().count()).unwrap_or(40) * 7 + 12;
    pages::badge(&label, &count, width(&label), width(&count))
}

#[instrument(skip_all, fields(method = %request.method()))]
pub async fn handle_count(state: &CountState, request: Request) -> Result<Response<Body>, Error> {
    let method = request.method().clone();
    if method == Method::OPTIONS {
        let mut answer = Response::new(Body::Empty);
        *answer.status_mut() = StatusCode::NO_CONTENT;
        answer
            .headers_mut()
            .insert("access-control-max-age", HeaderValue::from_static("86400"));
        open_to_every_origin(&mut answer);
        return Ok(answer);
    }
    // Only `lang` chooses, English without it: the CDN's cache key holds `lang` and nothing of
    // the requester's headers, so an answer chosen by `Accept-Language` would reach everyone.
    let locale = query_parameter(&request, "lang")
        .and_then(|l| Locale::parse(&l).ok())
        .unwrap_or(Locale::FALLBACK);
    if method != Method::GET && method != Method::HEAD {
        let mut answer = super::method_not_allowed(&request, locale, "GET, HEAD, OPTIONS");
        open_to_every_origin(&mut answer);
        return Ok(answer);
    }
    let wanted = Representation::of(request.uri().path());
    // The table is every country's, never a source's: a code is not even looked up.
    let asked_source =
        query_parameter(&request, "source").filter(|_| wanted != Representation::Table);
    let source = match asked_source {
        None => None,
        Some(code) => match known(state.partners.as_ref(), &code).await {
            Ok(Some(source)) => Some(source),
            Ok(None) => return Ok(without_the_source(&request, locale)),
            Err(fault) => return Ok(unavailable(locale, &fault)),
        },
    };
    let counter = match state.counter.read_counter().await {
        Ok(counter) => counter,
        Err(fault) => return Ok(unavailable(locale, &fault)),
    };
    // Under the small-number rule, as a country; above it, in steps.
    let here = source.as_ref().map(|source| {
        let count = counter.sources.get(source).copied().unwrap_or(0);
        let shown = count - count % SOURCE_STEP;
        (count >= state.smallest_country_shown && shown > 0).then_some(shown)
    });
    let mut etag = format!("{}-{}", counter.revision, state.goal);
    match wanted {
        Representation::Json => {}
        Representation::Badge => etag = format!("{etag}-{}", locale.code()),
        Representation::Table => etag = format!("{etag}-{}-page", locale.code()),
    }
    if let Some(source) = &source {
        etag = format!("{etag}-{source}");
    }
    let etag = format!("\"{etag}\"");
    if matches(&request, &etag) {
        let mut answer = Response::new(Body::Empty);
        *answer.status_mut() = StatusCode::NOT_MODIFIED;
        return Ok(cached(answer, &etag));
    }
    let mut answer = cached(
        represent(wanted, state, &counter, locale, source.as_ref().zip(here)),
        &etag,
    );
    if wanted == Representation::Table {
        // A page of ours, with the site's stylesheet; still framed by nobody.
        super::secure(answer.headers_mut(), super::csp::PAGE);
    }
    Ok(super::without_body_for_head(&method, answer))
}

/// What a count's address asks for: the figures, the badge, or the table as a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Representation {
    Json,
    Badge,
    Table,
}

impl Representation {
    fn of(path: &str) -> Self {
        let extension = std::path::Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("svg") => Self::Badge,
            Some("html") => Self::Table,
            _ => Self::Json,
        }
    }
}

/// The count as `wanted`, with the source's share when it is shown.
fn represent(
    wanted: Representation,
    state: &CountState,
    counter: &crate::domain::Counter,
    locale: Locale,
    source: Option<(&Source, Option<u64>)>,
) -> Response<Body> {
    let (mut shown, hidden): (Vec<_>, Vec<_>) = counter
        .countries
        .iter()
        .map(|(country, n)| (*country, *n))
        .partition(|(_, n)| *n >= state.smallest_country_shown);
    let hidden: u64 = hidden.into_iter().map(|(_, n)| n).sum();
    let with_type = |body: String, content_type: &'static str| {
        let mut answer = Response::new(Body::Text(body));
        answer
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        answer
    };
    match wanted {
        Representation::Table => {
            shown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            with_type(
                pages::count_page(locale, &shown, hidden),
                "text/html; charset=utf-8",
            )
        }
        Representation::Badge => with_type(
            badge(locale, counter.total(), source.and_then(|(_, here)| here)),
            "image/svg+xml; charset=utf-8",
        ),
        Representation::Json => {
            let countries: serde_json::Map<String, serde_json::Value> = shown
                .into_iter()
                .map(|(c, n)| (c.code().to_owned(), n.into()))
                .collect();
            // To the minute: a time to the second, polled, would tell when each signature came.
            let updated_at = counter.updated_at.map(|at| {
                crate::domain::Timestamp::from_unix_seconds(
                    at.unix_seconds() - at.unix_seconds().rem_euclid(60),
                )
                .to_rfc3339()
            });
            let mut count = serde_json::json!({
                "total": counter.total(),
                "countries": countries,
                "other_countries": hidden,
                "updated_at": updated_at,
                "goal": state.goal,
            });
            if let Some((source, here)) = source {
                count["source"] = serde_json::json!({ "code": source.code(), "confirmed": here });
            }
            json(StatusCode::OK, &count)
        }
    }
}

/// The source a count is asked for, if it is one: a channel, or a partner on the list.
async fn known(partners: &dyn Partners, code: &str) -> Result<Option<Source>, StoreError> {
    Ok(match Source::parse(code) {
        Ok(Source::Partner(id)) => partners.partner(&id).await?.map(|_| Source::Partner(id)),
        Ok(channel) => Some(channel),
        Err(_) => None,
    })
}

/// The count without the source nobody has, at its own address: the same language, no code.
fn without_the_source(request: &Request, locale: Locale) -> Response<Body> {
    let location = format!("{}?lang={}", request.uri().path(), locale.code());
    let mut answer = Response::new(Body::Empty);
    *answer.status_mut() = StatusCode::MOVED_PERMANENTLY;
    let headers = answer.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&location) {
        headers.insert(LOCATION, value);
    }
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(UNKNOWN_SOURCE_CACHE_CONTROL),
    );
    open_to_every_origin(&mut answer);
    answer
}

fn unavailable(locale: Locale, fault: &StoreError) -> Response<Body> {
    super::log_fault(fault);
    let mut answer = json(
        StatusCode::SERVICE_UNAVAILABLE,
        &serde_json::json!({ "error": i18n::text(locale, MessageId::COUNTER_UNAVAILABLE) }),
    );
    answer
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(super::RETRY_AFTER_SECONDS));
    open_to_every_origin(&mut answer);
    answer
}

#[cfg(test)]
mod tests {
    use super::CACHE_CONTROL_VALUE;

    #[test]
    fn a_watching_page_asks_again_when_the_cdn_may_have_news() {
        let shared_max_age: u64 = CACHE_CONTROL_VALUE
            .split(", ")
            .find_map(|part| part.strip_prefix("s-maxage="))
            .and_then(|seconds| seconds.parse().ok())
            .unwrap();
        assert_eq!(crate::pages::COUNT_POLL_PERIOD_MS, shared_max_age * 1000);
    }
}
