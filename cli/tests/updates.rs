//! `people-first updates`: what staff write, as each signer's language will read it.

use std::process::Command;

fn updates(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_people-first"))
        .arg("updates")
        .args(args)
        .env_remove("PEOPLE_FIRST_PUBLIC_URL")
        .output()
        .unwrap()
}

#[test]
fn a_preview_renders_every_language_and_warns_of_the_missing_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("en.md"),
        "# 100,000 signatures\n\nThank you. Next: **Geneva**.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("uk.md"),
        "# 100 000 підписів\n\nДякуємо. Далі — **Женева**.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let done = updates(&[
        "preview",
        dir.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "{said}");
    assert!(said.contains("no text in fr, ru, de"), "{said}");
    let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let uk = read("uk.html");
    assert!(uk.contains("<strong>Женева</strong>"), "{uk}");
    assert!(uk.contains("Ви отримуєте новини кампанії"), "{uk}");
    let fr = read("fr.txt");
    assert!(
        fr.contains("Thank you. Next: **Geneva**."),
        "English, for want of French: {fr}"
    );
    assert!(
        fr.contains("Vous recevez les nouvelles de la campagne"),
        "{fr}"
    );
    for code in ["fr", "en", "uk", "ru", "de"] {
        for extension in ["txt", "html"] {
            assert!(
                out.join(format!("{code}.{extension}")).exists(),
                "{code}.{extension}"
            );
        }
    }
}

#[test]
fn an_update_without_english_or_a_subject_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fr.md"), "# Merci\n\nCent mille.\n").unwrap();
    let refused = updates(&["preview", dir.path().to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(said.contains("has no en.md"), "{said}");

    std::fs::write(
        dir.path().join("en.md"),
        "Thank you\n\nA hundred thousand.\n",
    )
    .unwrap();
    let refused = updates(&["preview", dir.path().to_str().unwrap()]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(said.contains("en.md is not an update's text"), "{said}");
    assert!(
        said.contains("the first line must be the subject"),
        "{said}"
    );
}

#[test]
fn a_test_email_goes_to_the_address_given_in_its_language_with_links_that_lead_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("en.md"), "# Geneva next\n\nThank you.\n").unwrap();
    std::fs::write(dir.path().join("uk.md"), "# Далі — Женева\n\nДякуємо.\n").unwrap();
    let sent = Command::new(env!("CARGO_BIN_EXE_people-first"))
        .args(["updates", "test", dir.path().to_str().unwrap()])
        .args(["--to", "staff@example.org", "--lang", "uk"])
        .env("PEOPLE_FIRST_DATA_DIR", data.path())
        .env_remove("PEOPLE_FIRST_TABLE")
        .env_remove("PEOPLE_FIRST_PUBLIC_URL")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&sent.stdout);
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    assert!(
        said.contains("Sent the uk text to staff@example.org"),
        "{said}"
    );
    let outbox: Vec<_> = std::fs::read_dir(data.path().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(outbox.len(), 1);
    let email: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outbox[0]).unwrap()).unwrap();
    assert_eq!(email["to"], "staff@example.org");
    assert_eq!(email["subject"], "Далі — Женева");
    assert_eq!(email["list_unsubscribe_post"], "List-Unsubscribe=One-Click");
    let text = email["text"].as_str().unwrap();
    assert!(text.contains("/api/unsubscribe?t=TEST"), "{text}");

    let refused = Command::new(env!("CARGO_BIN_EXE_people-first"))
        .args(["updates", "test", dir.path().to_str().unwrap()])
        .args(["--to", "not an address"])
        .env("PEOPLE_FIRST_DATA_DIR", data.path())
        .env_remove("PEOPLE_FIRST_TABLE")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not an email address"));
}
