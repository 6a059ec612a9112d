//! `people-first smoke-test`, the deploy workflow's last step, against a site served over HTTP
//! by the real handlers on DynamoDB and SES on the emulator: its signature is signed, confirmed,
//! counted, erased and taken off the count, and nothing of it is left.

use people_first::testing as support;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use people_first::adapters::partners::ApprovedPartners;
use people_first::http::count::{CountState, handle_count};
use std::sync::Arc;
use support::stack::Stack;

/// The deployed site as the smoke test meets it: every request handled as the function behind
/// its route would, the count aggregated from the stream before it is read.
async fn serve(stack: Arc<Stack>, count: Arc<CountState>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (connection, _) = listener.accept().await.unwrap();
            let (stack, count) = (stack.clone(), count.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: hyper::Request<hyper::body::Incoming>| {
                        let (stack, count) = (stack.clone(), count.clone());
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body.collect().await?.to_bytes().to_vec();
                            let request =
                                http::Request::from_parts(parts, lambda_http::Body::from(body));
                            let path = request.uri().path().to_owned();
                            let (status, headers, body) = if !path.starts_with("/api/") {
                                (200, http::HeaderMap::new(), b"the site".to_vec())
                            } else if path == "/api/count" {
                                stack.count().await;
                                let answer = handle_count(&count, request).await.unwrap();
                                let (parts, body) = answer.into_parts();
                                (parts.status.as_u16(), parts.headers, body.to_vec())
                            } else {
                                let answer = stack.send(request).await;
                                (answer.status, answer.headers, answer.body.into_bytes())
                            };
                            let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
                            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
                            *response.headers_mut() = headers;
                            Ok::<_, hyper::Error>(response)
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(connection), service)
                    .await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_smoke_test_signs_confirms_counts_and_erases_through_the_site() {
    let stack = Arc::new(Stack::aws().await);
    let support::Feed::Dynamo { config, table } = &stack.store.feed else {
        unreachable!()
    };
    let store =
        Arc::new(people_first::adapters::dynamo::DynamoStore::from_sdk_config(config, table));
    let count = Arc::new(CountState {
        counter: store.clone(),
        partners: Arc::new(ApprovedPartners::new(store, stack.clock.clone())),
        goal: 100,
        smallest_country_shown: people_first::config::DEFAULT_SMALLEST_COUNTRY_SHOWN,
    });
    let site = serve(stack.clone(), count).await;
    let staff = support::StaffCommands::on(config, table).await;
    let smoke_test = |args: &[&str]| {
        let mut command = staff.command();
        command.arg("smoke-test").arg(&site).args(args);
        async move {
            let output = tokio::task::spawn_blocking(move || command.output().unwrap())
                .await
                .unwrap();
            let printed = String::from_utf8_lossy(&output.stdout).into_owned();
            assert!(
                output.status.success(),
                "{printed}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            printed
        }
    };
    // As on production: signed only, never counted.
    let printed = smoke_test(&[]).await;
    assert!(printed.contains("is accepted"), "{printed}");
    assert!(!printed.contains("confirmed"), "{printed}");
    assert_eq!(stack.store.changes().await.len(), 1);
    assert_eq!(stack.count().await, 0);

    // As on staging: the whole way.
    let printed = smoke_test(&["--confirm"]).await;
    assert!(printed.contains("the count of AQ is 1 after"), "{printed}");
    assert!(printed.contains("smoke test passed"), "{printed}");
    assert_eq!(
        stack.count().await,
        0,
        "the smoke test leaves no signature counted"
    );
    let changes = stack.store.changes().await;
    assert!(
        changes.last().is_some_and(|change| change.new.is_none()),
        "its signature is erased: {changes:?}"
    );
}
