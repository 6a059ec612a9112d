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
