//! The staff's commands against DynamoDB on the emulator: `export`, `erase`, `stats` and `report` read the
//! table through the same store port as the functions, and an erasure by address reaches the
//! count through the table's stream.

use people_first::testing as support;

use support::link_token;
use support::stack::{Stack, address};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_export_count_and_erase_on_dynamodb() {
    let stack = Stack::aws().await;
    let support::Feed::Dynamo { config, table } = &stack.store.feed else {
        unreachable!()
    };
    let staff_commands = support::StaffCommands::on(config, table).await;
    let staff = |args: &[&str]| staff_commands.run(args);
    let (informed, quiet) = (address("informed"), address("quiet"));
    for (email, updates) in [(&informed, true), (&quiet, false)] {
        let body = serde_json::json!({
            "name": format!("Signer {}", &email[..6]), "email": email, "country": "UA",
            "locale": "uk", "updates": updates,
        });
        assert_eq!(stack.sign_json(&body).await.status, 202);
        let token = link_token(&stack.inbox(email).await[0]);
        assert_eq!(stack.confirm_json(&token).await.status, 200);
    }
    assert_eq!(stack.count().await, 2);

    let export: Vec<serde_json::Value> = serde_json::from_str(&staff(&[
        "export",
        "--format",
        "json",
        "--columns",
        "country,email,updates",
    ]))
    .unwrap();
    assert_eq!(export.len(), 2);
    assert!(
        export.contains(
            &serde_json::json!({ "country": "UA", "email": informed, "updates": "true" })
        )
    );
    assert!(
        export.contains(&serde_json::json!({ "country": "UA", "email": "", "updates": "false" }))
    );

    let stats = staff(&["stats"]);
    assert!(stats.contains("2 confirmed, 0 waiting"), "{stats}");

    // The report reads the same table, the mail's health and the mailboxes' days with it.
    let report = tempfile::tempdir().unwrap();
    let file = report.path().join("report.html");
    staff(&["report", "--all", "-o", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert_eq!(html.matches("<figure id=").count(), 8, "{html}");
    assert!(
        html.contains("<td>uk</td><td>2</td><td>2</td><td>100.0 %</td>"),
        "{html}"
    );
    assert!(html.contains("<td>Ukraine</td><td>2</td>"), "{html}");
    assert!(
        html.contains("0 of 2 mailboxes reached the limit of 3 emails"),
        "{html}"
    );
    assert!(!html.contains(&informed), "no address in the report");

    // Staff type the address as the person wrote it to them.
    let erased = staff(&["erase", &quiet.to_uppercase()]);
    assert!(erased.contains("Erased"), "{erased}");
    assert_eq!(
        stack.count().await,
        1,
        "the stream's REMOVE record drops the count"
    );
    let csv = staff(&["export"]);
    assert_eq!(csv.lines().count(), 2, "a header and one signature: {csv}");
}
