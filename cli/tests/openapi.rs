//! `openapi.yaml` describes what the handlers really do: the local stack serves it, routes every
//! operation it lists, and answers each with a status it documents.

use people_first::testing::local_stack as support;

use std::collections::BTreeSet;

const DESCRIPTION: &str = include_str!("../../openapi.yaml");

/// The API's paths, as the stack routes them.
const ROUTED: [&str; 10] = [
    "/api/sign",
    "/api/frame",
    "/api/confirm",
    "/api/erase",
    "/api/unsubscribe",
    "/api/count",
    "/api/count.svg",
    "/api/count.html",
    "/api/organisations",
    "/api/organisations/confirm",
];

fn description() -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(DESCRIPTION).expect("openapi.yaml parses")
}

#[test]
fn every_routed_path_is_described_and_nothing_else() {
    let described: BTreeSet<String> = description()["paths"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(described, ROUTED.iter().map(|p| (*p).to_owned()).collect());
}

#[tokio::test]
async fn every_described_operation_answers_with_a_status_it_documents() {
    let data = tempfile::tempdir().unwrap();
    let stack = support::start(data.path(), env!("CARGO_BIN_EXE_people-first"));
    let http = support::client();

    let served = http
        .get(format!("{}/api/openapi.yaml", stack.base))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.text().await.unwrap(), DESCRIPTION);

    let spec = description();
    let mut tried = 0;
    for (path, operations) in spec["paths"].as_mapping().unwrap() {
        let path = path.as_str().unwrap();
        for (method, operation) in operations.as_mapping().unwrap() {
            let method = method.as_str().unwrap();
            if method == "parameters" {
                continue;
            }
            let documented: Vec<u16> = operation["responses"]
                .as_mapping()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().parse().unwrap())
                .collect();
            let mut request = http.request(
                method.to_uppercase().parse().unwrap(),
                format!("{}{path}", stack.base),
            );
            if method == "post" {
                request = request
                    .header("content-type", "application/json")
                    .body("{}");
            }
            let status = request.send().await.unwrap().status().as_u16();
            assert!(
                documented.contains(&status),
                "{method} {path} answered {status}, not among {documented:?}"
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 21);
    let unknown = http
        .get(format!("{}/api/nothing", stack.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404, "what is not described is not there");
}
