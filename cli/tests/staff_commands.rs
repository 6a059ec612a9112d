//! The staff's commands on the local stack's data: export, erase and stats, run as staff run them,
//! after the stack that wrote the data has stopped. (The same commands against DynamoDB are
//! tested with the emulator in the library's tests.)

use people_first::testing::local_stack as support;

use std::path::Path;
use std::process::{Command, Output};
use support::{sign_and_confirm, sign_at_and_confirm, wait_for_count};

/// A staff command on the local stack's data in `data_dir`.
fn staff_command(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_people-first"));
    command
        .arg("--local")
        .args(args)
        .env("PEOPLE_FIRST_DATA_DIR", data_dir)
        .env_remove("PEOPLE_FIRST_TABLE");
    command
}

fn staff(data_dir: &Path, args: &[&str]) -> Output {
    let output = staff_command(data_dir, args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// The figures of the three confirmed and one waiting signature, with their sources.
fn the_stats_count_what_was_signed(data: &std::path::Path) {
    let stats = stdout(&staff(data, &["stats"]));
    assert!(
        stats.contains(
            "3 confirmed, 1 waiting for confirmation (0 of them at an address that does not exist)."
        ),
        "{stats}"
    );
    assert!(
        stats.contains("Ukraine") && stats.contains("Poland"),
        "{stats}"
    );
    assert!(!stats.contains("s07"), "sources only when asked: {stats}");
    let by_source = stdout(&staff(data, &["stats", "--by-source"]));
    let row = |source: &str| {
        by_source
            .lines()
            .find(|line| line.contains(source))
            .map(|line| {
                let cells = line.split(['│', '┆']).map(str::trim);
                cells
                    .filter(|c| !c.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
    };
    assert_eq!(row("s07").as_deref(), Some("s07 3 2 66.7 %"), "{by_source}");
    assert_eq!(
        row("telegram").as_deref(),
        Some("telegram 1 1 100.0 %"),
        "{by_source}"
    );
}

#[tokio::test]
async fn staff_export_erase_and_count_the_local_stacks_signatures() {
    let data = tempfile::tempdir().unwrap();
    let stack = support::start(data.path(), env!("CARGO_BIN_EXE_people-first"));
    let base = stack.base.clone();
    let signers = [
        ("=1+2 Müller", "jana@example.org", "DE", "on", "s07"),
        ("Олена Коваль", "olena@example.org", "UA", "", "telegram"),
        ("Piotr Nowak", "piotr@example.org", "PL", "", "s07"),
    ];
    for (name, email, country, updates, src) in signers {
        let fields = [
            ("name", name),
            ("email", email),
            ("country", country),
            ("locale", "en"),
            ("updates", updates),
            ("src", src),
        ];
        sign_and_confirm(&base, &fields).await;
    }
    // One more who never confirms: in the figures as waiting, never in the export.
    support::client()
        .post(format!("{base}/api/sign"))
        .form(&[
            ("name", "Ivan"),
            ("email", "ivan@example.org"),
            ("country", "UA"),
            ("locale", "uk"),
            ("src", "s07"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wait_for_count(&base, 3).await["total"], 3);
    drop(stack);

    let csv = stdout(&staff(data.path(), &["export"]));
    let mut lines: Vec<&str> = csv.lines().collect();
    lines[1..].sort_unstable();
    assert_eq!(
        lines,
        [
            r#""name","country""#,
            r#""'=1+2 Müller","DE""#,
            r#""Piotr Nowak","PL""#,
            r#""Олена Коваль","UA""#
        ]
    );

    let json = stdout(&staff(
        data.path(),
        &[
            "export",
            "--format",
            "json",
            "--columns",
            "name,country-name,email",
        ],
    ));
    let mut rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    rows.sort_by_key(|r| r["name"].as_str().unwrap().to_owned());
    assert_eq!(
        rows,
        serde_json::json!([
            { "name": "=1+2 Müller", "country_name": "Germany", "email": "jana@example.org" },
            { "name": "Piotr Nowak", "country_name": "Poland", "email": "" },
            { "name": "Олена Коваль", "country_name": "Ukraine", "email": "" },
        ])
        .as_array()
        .unwrap()
        .clone(),
        "addresses only of those who asked for updates"
    );

    the_stats_count_what_was_signed(data.path());

    // Erasure by address, however the person writes it now.
    let erased = stdout(&staff(data.path(), &["erase", "Piotr@Example.org"]));
    assert!(
        erased.contains("Erased") && erased.contains("drops by one"),
        "{erased}"
    );
    let again = stdout(&staff(data.path(), &["erase", "piotr@example.org"]));
    assert!(again.contains("nothing to erase"), "{again}");
    let csv = stdout(&staff(data.path(), &["export"]));
    assert!(!csv.contains("Piotr"), "{csv}");

    // The local stack's feed carries the erasure to the count when it runs again.
    let restarted = support::start(data.path(), env!("CARGO_BIN_EXE_people-first"));
    let count = wait_for_count(&restarted.base, 2).await;
    assert_eq!(
        (count["total"].clone(), count["other_countries"].clone()),
        (serde_json::json!(2), serde_json::json!(2))
    );
}

#[test]
fn an_export_file_is_readable_by_its_owner_only_even_if_it_existed() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("export.csv");
    std::fs::write(&file, "").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    staff(data.path(), &["export", "--output", file.to_str().unwrap()]);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "\"name\",\"country\"\n"
    );
}

#[test]
fn a_bad_address_or_option_is_refused_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    for (args, message) in [
        (&["erase", "not-an-address"][..], "not an email address"),
        (
            &["export", "--columns", "name,ip"][..],
            "invalid value 'ip'",
        ),
        (&["export", "--format", "xml"][..], "invalid value 'xml'"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_people-first"))
            .arg("--local")
            .args(args)
            .env("PEOPLE_FIRST_DATA_DIR", data.path())
            .env_remove("PEOPLE_FIRST_TABLE")
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn staff_export_for_a_partner_those_who_agreed_to_hear_from_it() {
    let data = tempfile::tempdir().unwrap();
    let stack = support::start(data.path(), env!("CARGO_BIN_EXE_people-first"));
    let frame = "/api/frame?partner=s07&lang=uk";
    for (email, consent) in [("agreed@example.org", "on"), ("declined@example.org", "")] {
        let fields = [
            ("name", "Олена Коваль"),
            ("email", email),
            ("country", "UA"),
            ("locale", "uk"),
            ("src", "s07"),
            ("partner_updates", consent),
        ];
        sign_at_and_confirm(&stack.base, frame, &fields).await;
    }
    drop(stack);
    let export = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["export", "--partner", "s07", "--format", "json"];
        all.extend(args);
        serde_json::from_str(&stdout(&staff(data.path(), &all))).unwrap()
    };
    let rows = export(&[]);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(
        (
            &row["status"],
            &row["name"],
            &row["email"],
            &row["country"],
            &row["language"]
        ),
        (
            &serde_json::json!("consenting"),
            &serde_json::json!("Олена Коваль"),
            &serde_json::json!("agreed@example.org"),
            &serde_json::json!("UA"),
            &serde_json::json!("uk")
        )
    );
    assert_eq!(
        row["privacy_policy"],
        people_first::domain::PRIVACY_POLICY_VERSION
    );
    assert_eq!(export(&[]).len(), 1, "still agreeing: delivered again");

    // Nobody reads what it writes (a pipe closed early): the export fails, says so, and
    // notes nothing as delivered.
    let mut closed = staff_command(data.path(), &["export", "--partner", "s07"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(closed.stdout.take());
    let failed = closed.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success(), "{said}");
    assert!(said.contains("deliver nothing of it"), "{said}");
    let nobody = staff_failing(data.path(), &["export", "--partner", "k3h8m2p9qa"]);
    assert!(
        nobody.contains("no organisation has the code k3h8m2p9qa"),
        "{nobody}"
    );
}

/// A staff command that must fail; what it said.
fn staff_failing(data_dir: &Path, args: &[&str]) -> String {
    let output = staff_command(data_dir, args).output().unwrap();
    assert!(!output.status.success(), "{args:?} succeeded");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn staff_export_the_supporters_list_in_its_order_without_contacts() {
    let data = tempfile::tempdir().unwrap();
    // The stack writes the campaign's first supporters when it first starts.
    drop(support::start(
        data.path(),
        env!("CARGO_BIN_EXE_people-first"),
    ));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&staff(
        data.path(),
        &["export", "--supporters", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(rows.len(), 36);
    assert_eq!(rows[0]["position"], "1");
    assert_eq!(rows[0]["name_fr"], "Centre pour les libertés civiles");
    assert_eq!(rows[0]["name_uk"], "Центр громадянських свобод");
    assert_eq!(rows[35]["name_en"], "Rapid Response Unit");
    let csv = stdout(&staff(data.path(), &["export", "--supporters"]));
    assert!(csv.starts_with("\"position\",\"id\",\"name_fr\""), "{csv}");
    let list = stdout(&staff(data.path(), &["supporters", "list"]));
    assert!(list.starts_with("36 organisations on the list"), "{list}");
}

#[tokio::test]
async fn a_signature_stored_before_the_families_were_folded_is_erased_on_request() {
    // Before one provider's domains (ya.ru, narod.ru …) counted as one mailbox, this signature
    // was keyed by the address as typed then; its owner's request, in another of the family's
    // spellings, still finds it.
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("secret.key"), "2a".repeat(32)).unwrap();
    let address = "Ivan.Petrov+petition@ya.ru";
    let email = people_first::domain::Email::parse(address).unwrap();
    let keyring = people_first::testing::keyring();
    let (_, former) = email
        .former_normal_forms()
        .into_iter()
        .zip(keyring.former_signer_keys(&email))
        .find(|(form, _)| form == "ivan.petrov@narod.ru")
        .expect("narod.ru is of the family");
    assert_ne!(former, keyring.signer_key(&email));
    {
        let store =
            people_first::adapters::embedded::EmbeddedStore::open(&data.path().join("store"))
                .unwrap();
        let mut signature = people_first::testing::pending_signature(address, "UA");
        signature.signer = former;
        people_first::ports::SignatureStore::insert_pending(&store, &signature)
            .await
            .unwrap();
    }
    let erased = stdout(&staff(data.path(), &["erase", address]));
    assert!(erased.contains("Erased"), "{erased}");
    let again = stdout(&staff(data.path(), &["erase", address]));
    assert!(again.contains("nothing to erase"), "{again}");
}

#[test]
fn staff_commands_act_only_on_data_named_and_say_which_first() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_people-first"));
        command
            .args(args)
            .env("PEOPLE_FIRST_DATA_DIR", data.path())
            .env_remove("PEOPLE_FIRST_TABLE")
            .env_remove("PEOPLE_FIRST_SECRET_KEY");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().unwrap()
    };
    // Nothing named: nothing read, nothing made.
    let unnamed = run(&["erase", "olena@example.org"], &[]);
    assert!(!unnamed.status.success());
    let said = String::from_utf8_lossy(&unnamed.stderr);
    assert!(
        said.contains("PEOPLE_FIRST_TABLE") && said.contains("--local"),
        "{said}"
    );
    assert!(!data.path().join("store").exists(), "no store was made");

    let table = [("PEOPLE_FIRST_TABLE", "people-first-production")];
    let both = run(&["stats", "--local"], &table);
    assert!(!both.status.success());
    assert!(String::from_utf8_lossy(&both.stderr).contains("choose one"));

    // A stray key would find nobody's signature, and say "nothing to erase" to a real request.
    let stray = run(
        &["erase", "olena@example.org"],
        &[table[0], ("PEOPLE_FIRST_SECRET_KEY", &"2a".repeat(32))],
    );
    assert!(!stray.status.success());
    assert!(
        String::from_utf8_lossy(&stray.stderr).contains("unset PEOPLE_FIRST_SECRET_KEY"),
        "{}",
        String::from_utf8_lossy(&stray.stderr)
    );

    let local = run(&["--local", "erase", "olena@example.org"], &[]);
    assert!(local.status.success());
    let said = String::from_utf8_lossy(&local.stderr);
    assert!(
        said.starts_with("Acting on the local stack's data in "),
        "named before anything else: {said}"
    );
}
