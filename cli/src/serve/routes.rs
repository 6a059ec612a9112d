//! The local stack's routes: the API as the functions answer it, the built site as the CDN
//! serves it, and the mail viewer.

use super::LocalStack;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Request, Response};
use people_first::domain::Locale;
use people_first::domain::routes::{Api, Page};
use people_first::http::count::handle_count;
use people_first::http::{
    browser_locale, confirm::handle_confirm, erase::handle_erase, json, supporters,
    without_body_for_head,
};
use std::path::PathBuf;

const MAIL_VIEWER: &str = include_str!("mail.html");
/// The public API's description, served beside it.
const OPENAPI: &str = include_str!("../../../openapi.yaml");

pub async fn route(stack: &LocalStack, request: Request) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let answer = match Api::of_path(&path) {
        Some(Api::Sign | Api::Frame) => {
            people_first::http::sign::route(&stack.sign, &stack.sign_origins, request).await
        }
        Some(Api::Organisations) => {
            stack
                .sign_origins
                .guard(request, |request| {
                    supporters::handle_organisation_request(&stack.supporters, request)
                })
                .await
        }
        Some(Api::ContactLink) => supporters::handle_contact_link(&stack.supporters, request).await,
        Some(Api::Confirm) => handle_confirm(&stack.confirm, request).await,
        Some(Api::Erase) => handle_erase(&stack.erase, request).await,
        Some(Api::Unsubscribe) => {
            people_first::http::unsubscribe::handle_unsubscribe(&stack.erase, request).await
        }
        Some(Api::Count | Api::CountBadge | Api::CountTable) => {
            handle_count(&stack.count, request).await
        }
        None if path == "/api/openapi.yaml" => Ok(api_description(&request)),
        None => Ok(static_route(stack, &request, &path)),
    };
    answer.unwrap_or_else(|e| {
        tracing::error!(error = %people_first::telemetry::Causes(e.as_ref()), "handler failed");
        let mut failure = Response::new(Body::Empty);
        *failure.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        failure
    })
}

fn static_route(stack: &LocalStack, request: &Request, path: &str) -> Response<Body> {
    let method = request.method();
    let locale = browser_locale(request);
    if method != Method::GET && method != Method::HEAD {
        return people_first::http::method_not_allowed(request, locale, "GET, HEAD");
    }
    let answer = match path {
        // What the CDN's function does at the root: the best language for the browser.
        "/" => {
            let mut answer = people_first::http::redirect(&Page::Home.at(locale));
            *answer.status_mut() = StatusCode::FOUND;
            answer
                .headers_mut()
                .insert(VARY, HeaderValue::from_static("Accept-Language"));
            answer
        }
        "/_dev/mail.json" => json(
            StatusCode::OK,
            &serde_json::to_value(stack.outbox.list().mail).unwrap_or_default(),
        ),
        "/_dev/mail" => mail_viewer(stack),
        _ => site_file(stack, path, locale),
    };
    without_body_for_head(method, answer)
}

fn content_type(path: &std::path::Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// A file of the built site, as the CDN serves it: a folder's `index.html`, and the
/// language's own 404 page for anything else.
fn site_file(stack: &LocalStack, path: &str, fallback: Locale) -> Response<Body> {
    let relative = path.trim_start_matches('/');
    let safe = relative
        .split('/')
        .all(|part| part != ".." && !part.contains('\\'));
    let mut file: PathBuf = stack.site.join(relative);
    if path.ends_with('/') {
        file.push("index.html");
    }
    if safe && file.is_file() {
        let mut answer = Response::new(Body::from(std::fs::read(&file).unwrap_or_default()));
        answer
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(content_type(&file)));
        answer
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        // As the CDN's page headers say: the browser then sends a form's Origin as `null`,
        // which signing must take, as it does on AWS.
        answer
            .headers_mut()
            .insert("referrer-policy", HeaderValue::from_static("no-referrer"));
        if file.file_name().is_some_and(|n| n == "embed.js") {
            answer
                .headers_mut()
                .insert("access-control-allow-origin", HeaderValue::from_static("*"));
        }
        return answer;
    }
    if safe && stack.site.join(relative).join("index.html").is_file() {
        let mut moved = people_first::http::redirect(&format!("{path}/"));
        *moved.status_mut() = StatusCode::MOVED_PERMANENTLY;
        return moved;
    }
    let locale = relative
        .split('/')
        .next()
        .and_then(|l| Locale::parse(l).ok())
        .unwrap_or(fallback);
    let page = std::fs::read(stack.site.join(locale.code()).join("404.html")).unwrap_or_default();
    let mut missing = Response::new(Body::from(page));
    *missing.status_mut() = StatusCode::NOT_FOUND;
    missing.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    missing
}

fn mail_viewer(stack: &LocalStack) -> Response<Body> {
    // Each email's links, so a person can follow them from the viewer.
    let listing = stack.outbox.list();
    let mail: Vec<serde_json::Value> = listing
        .mail
        .into_iter()
        .map(|m| {
            let links: Vec<serde_json::Value> = m
                .text
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("http"))
                .map(|href| {
                    let purpose = if href.contains(&format!("{}?", Api::Erase.path())) {
                        "Open the erasure link"
                    } else if href.contains(&format!("{}?", Api::Unsubscribe.path())) {
                        "Open the unsubscribe link"
                    } else {
                        "Open the confirmation link"
                    };
                    serde_json::json!({ "href": href, "purpose": purpose })
                })
                .collect();
            let mut value = serde_json::to_value(&m).unwrap_or_default();
            value["links"] = serde_json::json!(links);
            value
        })
        .collect();
    let mut env = minijinja::Environment::new();
    let html = env
        .add_template("mail.html", MAIL_VIEWER)
        .and_then(|()| env.get_template("mail.html"))
        .and_then(|t| {
            t.render(minijinja::context! { mail => mail, unreadable => listing.unreadable })
        })
        .unwrap_or_else(|e| format!("the mail viewer failed: {e}"));
    let mut answer = Response::new(Body::from(html));
    answer.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    answer
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    answer
}

fn api_description(request: &Request) -> Response<Body> {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return people_first::http::method_not_allowed(
            request,
            browser_locale(request),
            "GET, HEAD",
        );
    }
    let mut answer = Response::new(Body::Text(OPENAPI.to_owned()));
    answer.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/yaml; charset=utf-8"),
    );
    without_body_for_head(method, answer)
}
