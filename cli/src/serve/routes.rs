//! The local stack's routes: the API as the functions answer it, the pages the CDN will serve,
//! and the mail viewer.

use super::LocalStack;
use http::header::{CONTENT_TYPE, VARY};
use http::{HeaderValue, Method, StatusCode};
use lambda_http::{Body, Request, Response};
use people_first::domain::Locale;
use people_first::http::count::handle_count;
use people_first::http::{
    browser_locale, confirm::handle_confirm, json, page, sign::handle_sign, without_body_for_head,
};
use people_first::pages;
use people_first::sign::PetitionForm;

const STYLESHEET: &str = include_str!("../../../static/assets/site.css");
const MAIL_VIEWER: &str = include_str!("mail.html");

pub async fn route(stack: &LocalStack, request: Request) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let answer = match path.as_str() {
        "/api/sign" => handle_sign(&stack.sign, request).await,
        "/api/confirm" => handle_confirm(&stack.confirm, request).await,
        "/api/count" | "/api/count.svg" => handle_count(&stack.count, request).await,
        _ => Ok(static_route(stack, &request, &path)),
    };
    answer.unwrap_or_else(|e| {
        tracing::error!(error = %e, "handler failed");
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
        "/" => {
            let mut answer = people_first::http::redirect(&format!("/{locale}/"));
            *answer.status_mut() = StatusCode::FOUND;
            answer
                .headers_mut()
                .insert(VARY, HeaderValue::from_static("Accept-Language"));
            answer
        }
        "/embed.js" => {
            let mut answer = Response::new(Body::from(pages::embed_script()));
            let headers = answer.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            );
            // Partner pages load it from their own origin.
            headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
            answer
        }
        "/assets/site.css" => {
            let mut answer = Response::new(Body::from(STYLESHEET));
            answer.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            );
            answer
        }
        "/_dev/mail.json" => match stack.outbox.list() {
            Ok(mail) => json(
                StatusCode::OK,
                &serde_json::to_value(mail).unwrap_or_default(),
            ),
            Err(e) => json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &serde_json::json!({ "error": e.to_string() }),
            ),
        },
        "/_dev/mail" => mail_viewer(stack),
        _ => localised_page(stack, path).unwrap_or_else(|| {
            page(
                StatusCode::NOT_FOUND,
                locale,
                pages::message_page(locale, "error-title", "error-not-found", false),
            )
        }),
    };
    without_body_for_head(method, answer)
}

/// `/{lang}/`, `/{lang}/check-email/`, `/{lang}/thank-you/`; a path without its final slash
/// is sent to the one with it.
fn localised_page(stack: &LocalStack, path: &str) -> Option<Response<Body>> {
    let mut segments = path.trim_start_matches('/').splitn(2, '/');
    let locale = Locale::parse(segments.next()?)
        .ok()
        .filter(|l| path[1..].starts_with(l.code()))?;
    let rest = segments.next();
    let html = match rest {
        Some("") => pages::sign_page(
            locale,
            &PetitionForm::default(),
            &std::collections::BTreeMap::new(),
        ),
        Some("check-email/") => {
            pages::message_page(locale, "check-email-title", "check-email-body", false)
        }
        Some("thank-you/") => {
            pages::message_page(locale, "thank-you-title", "thank-you-body", false)
        }
        Some("embed/") => pages::embed_page(locale, &stack.site, stack.count.goal),
        None | Some("check-email" | "thank-you" | "embed") => {
            let mut moved = people_first::http::redirect(&format!("{path}/"));
            *moved.status_mut() = StatusCode::MOVED_PERMANENTLY;
            return Some(moved);
        }
        Some(_) => return None,
    };
    Some(page(StatusCode::OK, locale, html))
}

fn mail_viewer(stack: &LocalStack) -> Response<Body> {
    // Each email's links, so a person can follow them from the viewer.
    let mail: Vec<serde_json::Value> = stack
        .outbox
        .list()
        .unwrap_or_default()
        .into_iter()
        .map(|m| {
            let links: Vec<&str> = m
                .text
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("http"))
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
        .and_then(|t| t.render(minijinja::context! { mail => mail }))
        .unwrap_or_else(|e| format!("the mail viewer failed: {e}"));
    let mut answer = Response::new(Body::from(html));
    answer.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    answer.headers_mut().insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    answer
}
