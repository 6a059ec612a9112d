//! The HTTP functions' loop on Lambda: `lambda_http::run`, with the answers handed over as the
//! handlers built them.
//!
//! `lambda_http` passes every text body through `encoding_rs` to re-decode it by its declared
//! charset, which links the tables of every charset there is into each function (about 170 KB of
//! a budget of 6 MB). The handlers write UTF-8 and say so, so their bodies go through untouched.

use lambda_http::{Body, Error, IntoResponse, Request, Response, service_fn};
use std::pin::Pin;

/// A response as the handler built it. A handler writes text as UTF-8 in `Body::Text` (nothing
/// decodes it again) and an empty answer as `Body::Empty` (the event then carries no body, which
/// API Gateway answers as an empty one).
struct Untouched(Response<Body>);

impl IntoResponse for Untouched {
    fn into_response(self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
        Box::pin(std::future::ready(self.0))
    }
}

/// Answers each request Lambda hands the function with `handler`, until Lambda stops it.
pub async fn run<Handler, Handled>(handler: Handler) -> Result<(), Error>
where
    Handler: Fn(Request) -> Handled,
    Handled: Future<Output = Result<Response<Body>, Error>> + Send,
{
    lambda_http::run(service_fn(|request| {
        let answer = handler(request);
        async move { answer.await.map(Untouched) }
    }))
    .await
}
