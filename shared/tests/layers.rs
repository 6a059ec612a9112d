//! The library's parts point one way: each uses only the parts below it (CONTRIBUTING.md, "How
//! the code is laid out"). Read from the source itself, `use` trees, paths and macro arguments
//! alike, so that an import against the layers fails here, wherever it is written. Test modules
//! (`#[cfg(test)]`) may use what they test with.

use proc_macro2::{TokenStream, TokenTree};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The parts each part may use, from the bottom of the layers up; `None` for a part not in them.
fn may_use(part: &str) -> Option<Vec<&'static str>> {
    let core = vec!["domain", "ports", "keyring", "telemetry"];
    let edge = [core.clone(), vec!["use_cases", "pages", "i18n"]].concat();
    Some(match part {
        "telemetry" => vec![],
        "domain" => vec!["telemetry"],
        "i18n" | "keyring" | "ports" => vec!["domain"],
        "use_cases" | "adapters" => core,
        "pages" => vec!["domain", "i18n", "telemetry", "ports"],
        "http" => edge,
        "events" => [edge, vec!["adapters"]].concat(),
        "config" => [edge, vec!["adapters", "http", "events"]].concat(),
        _ => return None,
    })
}

/// An import of one part by another that the layers do not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upward {
    pub file: String,
    pub line: usize,
    pub part: String,
    pub uses: String,
}

fn allowed(part: &str, uses: &str) -> bool {
    if part == uses || part == "lib" || part == "testing" {
        return true;
    }
    may_use(part).is_some_and(|below| below.contains(&uses))
}

/// The module path of a file under `src`: `http/sign.rs` is `[http, sign]`, `http/mod.rs` is
/// `[http]`.
fn module_of(file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// The part of the library a path names, from the file's own module: `crate::x::…`,
/// `super::…` (resolved upward) or `self::…`.
fn part_named(module: &[String], segments: &[String]) -> Option<String> {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = segments;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some("self") => rest = &rest[1..],
        _ => return None,
    }
    base.extend(rest.iter().take(1).cloned());
    base.first().cloned()
}

struct Reader<'a> {
    file: String,
    module: Vec<String>,
    found: &'a mut Vec<Upward>,
}

impl Reader<'_> {
    fn note(&mut self, segments: &[String], line: usize) {
        let part = self.module.first().cloned().unwrap_or_default();
        if let Some(uses) = part_named(&self.module, segments)
            && !allowed(&part, &uses)
        {
            self.found.push(Upward {
                file: self.file.clone(),
                line,
                part,
                uses,
            });
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.use_tree(prefix, item);
                }
            }
            syn::UseTree::Name(name) => {
                prefix.push(name.ident.to_string());
                self.note(&prefix.clone(), name.ident.span().start().line);
                prefix.pop();
            }
            syn::UseTree::Rename(rename) => {
                prefix.push(rename.ident.to_string());
                self.note(&prefix.clone(), rename.ident.span().start().line);
                prefix.pop();
            }
            syn::UseTree::Glob(glob) => {
                self.note(&prefix.clone(), glob.star_token.span.start().line);
            }
        }
    }

    /// Paths written inside a macro's arguments (`format!`, `context!`, …), which syn leaves as
    /// tokens: `crate`, `super` or `self` followed by `::` and a name.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (at, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(group) => self.tokens(group.stream()),
                TokenTree::Ident(ident)
                    if ["crate", "super", "self"].contains(&&*ident.to_string()) =>
                {
                    let mut segments = vec![ident.to_string()];
                    let mut next = at + 1;
                    while let (
                        Some(TokenTree::Punct(a)),
                        Some(TokenTree::Punct(b)),
                        Some(TokenTree::Ident(name)),
                    ) = (trees.get(next), trees.get(next + 1), trees.get(next + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(name.to_string());
                        next += 3;
                    }
                    if segments.len() > 1 {
                        self.note(&segments, ident.span().start().line);
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_test_only(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute
                .meta
                .require_list()
                .is_ok_and(|list| list.tokens.to_string().contains("test"))
    })
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attributes = match item {
            syn::Item::Mod(item) => &item.attrs,
            syn::Item::Fn(item) => &item.attrs,
            syn::Item::Impl(item) => &item.attrs,
            syn::Item::Use(item) => &item.attrs,
            syn::Item::Const(item) => &item.attrs,
            syn::Item::Struct(item) => &item.attrs,
            _ => &Vec::new(),
        };
        if is_test_only(attributes) {
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = path.segments.first() {
            self.note(&segments, first.ident.span().start().line);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// The imports against the layers in one file's source; `file` is its path under `src`.
pub fn upward_in(file: &Path, source: &str) -> Vec<Upward> {
    upward_in_parsed(file, &parse(file, source))
}

fn parse(file: &Path, source: &str) -> syn::File {
    syn::parse_file(source).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn upward_in_parsed(file: &Path, parsed: &syn::File) -> Vec<Upward> {
    let mut found = Vec::new();
    let mut reader = Reader {
        file: file.to_string_lossy().into_owned(),
        module: module_of(file),
        found: &mut found,
    };
    reader.visit_file(parsed);
    found
}

fn sources(dir: &Path, under: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, under, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path.strip_prefix(under).unwrap().to_path_buf());
        }
    }
}

/// The files of the modules a file declares test-only (`#[cfg(test)] mod tests;`), which, like
/// test modules written inline, may use what they test with.
fn test_only_modules(file: &Path, parsed: &syn::File) -> Vec<PathBuf> {
    let dir = match file.file_stem().and_then(|stem| stem.to_str()) {
        Some("mod" | "lib") => file.parent().unwrap_or(Path::new("")).to_path_buf(),
        _ => file.with_extension(""),
    };
    parsed
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(declared)
                if declared.content.is_none() && is_test_only(&declared.attrs) =>
            {
                let name = declared.ident.to_string();
                Some([
                    dir.join(format!("{name}.rs")),
                    dir.join(&name).join("mod.rs"),
                ])
            }
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn the_library_uses_only_the_parts_below_each_part() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    files.sort();
    let parsed: Vec<(PathBuf, syn::File)> = files
        .into_iter()
        .map(|file| {
            let source = std::fs::read_to_string(src.join(&file)).unwrap();
            let tree = parse(&file, &source);
            (file, tree)
        })
        .collect();
    let test_only: Vec<PathBuf> = parsed
        .iter()
        .flat_map(|(file, tree)| test_only_modules(file, tree))
        .collect();
    let against: Vec<String> = parsed
        .iter()
        .filter(|(file, _)| !test_only.contains(file))
        .flat_map(|(file, tree)| upward_in_parsed(file, tree))
        .map(|up| format!("{}:{}: {} uses {}", up.file, up.line, up.part, up.uses))
        .collect();
    assert!(
        against.is_empty(),
        "imports against the layers (CONTRIBUTING.md):\n{}",
        against.join("\n")
    );
}

#[test]
fn an_upward_import_is_named_with_its_line() {
    let found = upward_in(
        Path::new("domain/challenge.rs"),
        "use crate::domain::Locale;\nuse crate::{telemetry::count, http::PAGE_POLICY};\n",
    );
    assert_eq!(
        found,
        vec![Upward {
            file: "domain/challenge.rs".into(),
            line: 2,
            part: "domain".into(),
            uses: "http".into(),
        }]
    );
}

#[test]
fn paths_in_code_and_in_macros_count_as_well_as_imports() {
    let source = "fn f() -> String {\n    let days = crate::use_cases::sign::DAYS;\n    \
                  format!(\"{}\", crate::http::count::PERIOD)\n}\n";
    let uses: Vec<String> = upward_in(Path::new("pages/mod.rs"), source)
        .into_iter()
        .map(|up| up.uses)
        .collect();
    assert_eq!(uses, ["use_cases", "http"]);
}

#[test]
fn super_is_read_from_where_the_file_sits() {
    let found = upward_in(
        Path::new("adapters/embedded/writer.rs"),
        "use super::super::super::http::x;\nuse super::super::ports::Y;\nuse super::store::Z;\n",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].uses, "http");
}

#[test]
fn a_test_module_may_use_what_it_tests_with() {
    let source =
        "#[cfg(test)]\nmod tests {\n    use crate::adapters::embedded::EmbeddedStore;\n}\n";
    assert!(upward_in(Path::new("use_cases/sign.rs"), source).is_empty());
}

#[test]
fn a_test_module_in_its_own_file_may_use_what_it_tests_with() {
    let declares = parse(
        Path::new("mod.rs"),
        "mod contact;\n#[cfg(test)]\nmod tests;\n",
    );
    assert_eq!(
        test_only_modules(Path::new("use_cases/supporters/mod.rs"), &declares),
        vec![
            PathBuf::from("use_cases/supporters/tests.rs"),
            PathBuf::from("use_cases/supporters/tests/mod.rs"),
        ]
    );
    assert_eq!(
        test_only_modules(Path::new("use_cases/sending.rs"), &declares),
        vec![
            PathBuf::from("use_cases/sending/tests.rs"),
            PathBuf::from("use_cases/sending/tests/mod.rs"),
        ]
    );
}
