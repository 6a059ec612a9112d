//! The README's table of the functions' settings is the list of what they read: every variable
//! the functions' configuration reads has its row, and every row is read. The command line's own
//! variables are named in the README too.

use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// The `PEOPLE_FIRST_…` names a source writes as string literals.
fn read_in(source: &str) -> BTreeSet<String> {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| {
            literal.starts_with("PEOPLE_FIRST_")
                && literal[13..]
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_')
        })
        .map(str::to_owned)
        .collect()
}

fn read_under(dir: &Path) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            names.extend(read_under(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            names.extend(read_in(&std::fs::read_to_string(path).unwrap()));
        }
    }
    names
}

/// The names in the first column of the README's "Settings of the functions" table.
fn documented(readme: &str) -> BTreeSet<String> {
    let table = readme
        .split("### Settings of the functions")
        .nth(1)
        .expect("the README has its settings table")
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'));
    table
        .filter_map(|row| row.split('|').nth(1))
        .flat_map(|cell| {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|name| name.starts_with("PEOPLE_FIRST_"))
        .collect()
}

#[test]
fn every_setting_the_functions_read_has_its_row_in_the_readme() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut functions =
        read_in(&std::fs::read_to_string(root().join("shared/src/config.rs")).unwrap());
    functions.extend(read_under(&root().join("functions")));
    let rows = documented(&readme);
    let missing: Vec<_> = functions.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "read by the functions, with no row in the README's table: {missing:?}"
    );
    let unread: Vec<_> = rows.difference(&functions).collect();
    assert!(
        unread.is_empty(),
        "in the README's table, read by no function: {unread:?}"
    );
    let command_line: Vec<_> = read_under(&root().join("cli/src"))
        .into_iter()
        .filter(|name| !readme.contains(name.as_str()))
        .collect();
    assert!(
        command_line.is_empty(),
        "read by the command line, named nowhere in the README: {command_line:?}"
    );
}

#[test]
fn a_row_is_read_from_the_first_column_only() {
    let readme = "### Settings of the functions\n\n| variable | what |\n|---|---|\n\
                  | `PEOPLE_FIRST_A`, `PEOPLE_FIRST_B` | unlike `PEOPLE_FIRST_C` |\n\nafter\n";
    assert_eq!(
        documented(readme).into_iter().collect::<Vec<_>>(),
        ["PEOPLE_FIRST_A", "PEOPLE_FIRST_B"]
    );
}
