//! Every string a person sees exists in every language, with the same variables, and renders.

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use people_first::domain::Locale;
use people_first::i18n::{self, Medium, sources};
use std::collections::{BTreeMap, BTreeSet};

fn variables_of(pattern: &Pattern<&str>, found: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, found);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, found: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_variables(inline, found),
        Expression::Select { selector, variants } => {
            inline_variables(selector, found);
            for variant in variants {
                variables_of(&variant.value, found);
            }
        }
    }
}

fn inline_variables(inline: &InlineExpression<&str>, found: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            found.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, found),
        _ => {}
    }
}

/// language → file → message → its variables
fn catalogue() -> BTreeMap<&'static str, BTreeMap<&'static str, BTreeMap<String, BTreeSet<String>>>>
{
    let mut catalogue: BTreeMap<_, BTreeMap<_, BTreeMap<_, _>>> = BTreeMap::new();
    for (lang, file, source) in sources() {
        let resource = fluent_syntax::parser::parse(*source)
            .unwrap_or_else(|(_, errors)| panic!("{lang}/{file} has junk: {errors:?}"));
        let messages = catalogue
            .entry(*lang)
            .or_default()
            .entry(*file)
            .or_default();
        for entry in &resource.body {
            match entry {
                Entry::Message(message) => {
                    let mut variables = BTreeSet::new();
                    let value = message.value.as_ref().unwrap_or_else(|| {
                        panic!("{lang}/{file}: {} has no value", message.id.name)
                    });
                    variables_of(value, &mut variables);
                    assert!(
                        messages
                            .insert(message.id.name.to_owned(), variables)
                            .is_none(),
                        "{lang}/{file} repeats {}",
                        message.id.name
                    );
                }
                Entry::Junk { content } => panic!("{lang}/{file} has junk: {content}"),
                _ => {}
            }
        }
    }
    catalogue
}

#[test]
fn every_language_has_exactly_the_messages_and_variables_of_english() {
    let catalogue = catalogue();
    assert_eq!(catalogue.len(), Locale::ALL.len());
    let english = &catalogue["en"];
    for locale in Locale::ALL {
        assert_eq!(
            &catalogue[locale.code()],
            english,
            "{locale} differs from English"
        );
    }
}

#[test]
fn french_keeps_its_punctuation_and_numbers_from_breaking_across_lines() {
    // A space before : ; ! ? », after «, or inside "20 000" lets a phone break the line there.
    let catalogue = catalogue();
    for (id, variables) in catalogue["fr"].values().flatten() {
        let args: Vec<(&str, fluent_bundle::FluentValue)> = variables
            .iter()
            .map(|v| (v.as_str(), fluent_bundle::FluentValue::from(7)))
            .collect();
        let text = i18n::render(Locale::Fr, Medium::PlainText, id, &args);
        let chars: Vec<char> = text.chars().collect();
        for (i, pair) in chars.windows(2).enumerate() {
            let breaks = (pair[0] == ' ' && matches!(pair[1], ':' | ';' | '!' | '?' | '»'))
                || (pair[0] == '«' && pair[1] == ' ')
                || (pair[0] == ' '
                    && pair[1].is_ascii_digit()
                    && i > 0
                    && chars[i - 1].is_ascii_digit()
                    && chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .count()
                        == 3);
            assert!(!breaks, "fr {id}: a breakable space at {i}: {text:?}");
        }
    }
}

#[test]
fn every_message_renders_in_every_language_without_leftover_placeholders() {
    let catalogue = catalogue();
    for locale in Locale::ALL {
        for messages in catalogue[locale.code()].values() {
            for (id, variables) in messages {
                let args: Vec<(&str, fluent_bundle::FluentValue)> = variables
                    .iter()
                    .map(|v| (v.as_str(), fluent_bundle::FluentValue::from(7)))
                    .collect();
                let text = i18n::render(locale, Medium::PlainText, id, &args);
                assert!(!text.trim().is_empty(), "{locale} {id} is empty");
                assert_ne!(&text, id, "{locale} {id} is missing");
                assert!(
                    !text.contains('{') && !text.contains('\u{2068}'),
                    "{locale} {id}: {text}"
                );
            }
        }
    }
}

#[test]
fn every_field_error_the_form_can_raise_has_a_message() {
    use people_first::domain::Field;
    use people_first::domain::InputError::{
        ControlCharacters, Invalid, Missing, NotAName, TooLong, Unsendable,
    };
    let named = [Missing, TooLong, ControlCharacters, NotAName];
    let possible = [
        (Field::Name, named.to_vec()),
        (Field::Organisation, named.to_vec()),
        (Field::ContactName, named.to_vec()),
        (Field::Website, vec![Missing, TooLong, Invalid]),
        (Field::Email, vec![Missing, TooLong, Invalid, Unsendable]),
        (Field::Country, vec![Missing, Invalid]),
        (Field::Locale, vec![Missing, Invalid]),
    ];
    for locale in Locale::ALL {
        for (field, errors) in &possible {
            for error in errors {
                let id = i18n::field_error_id(*field, *error);
                assert!(i18n::has_message(locale, &id), "{locale} lacks {id}");
            }
        }
    }
}

#[test]
fn every_message_the_code_names_is_in_every_language() {
    for locale in Locale::ALL {
        for id in i18n::MessageId::ALL {
            assert!(
                i18n::has_message(locale, id.as_str()),
                "{locale} lacks {}",
                id.as_str()
            );
        }
    }
}

#[test]
fn every_page_renders_in_every_language() {
    use people_first::pages;
    for locale in Locale::ALL {
        let form = pages::sign_page(
            locale,
            &people_first::http::form::PetitionForm::default(),
            &std::collections::BTreeMap::new(),
            None,
        );
        assert!(form.contains(&format!(r#"<html lang="{locale}">"#)));
        assert!(form.contains(r#"<option value="UA">"#));
        let message = pages::message_page(
            locale,
            i18n::MessageId::LINK_UNKNOWN_TITLE,
            i18n::MessageId::LINK_UNKNOWN_BODY,
            pages::Onward::SignAgain,
        );
        assert!(
            message.contains(&format!(r#"href="/{locale}/#sign""#)),
            "{locale}: {message}"
        );
        let choices = people_first::ports::SignerChoices {
            name: people_first::domain::SignerName::parse("Anna & Co").unwrap(),
            country: people_first::domain::Country::parse("UA").unwrap(),
            locale,
            updates: true,
            proven: false,
            source: None,
            partner_consent: None,
        };
        let confirm = pages::confirm_page("token", false, &choices);
        assert!(confirm.contains(r#"name="t" value="token""#));
        assert!(confirm.contains("Anna &amp; Co"), "the name, escaped");
        let (text, html) = pages::confirmation_email(
            locale,
            "Anna",
            "https://people-first.example/x",
            "https://people-first.example/e",
        );
        assert!(text.contains("https://people-first.example/x") && html.contains("Anna"));
    }
}

#[test]
fn ukrainian_and_russian_count_days_with_the_plural_the_number_needs() {
    let expected = [
        (
            Locale::Uk,
            [(1, "1 день"), (3, "3 дні"), (8, "8 днів"), (21, "21 день")],
        ),
        (
            Locale::Ru,
            [(1, "1 день"), (3, "3 дня"), (8, "8 дней"), (21, "21 день")],
        ),
    ];
    for (locale, counts) in expected {
        for id in ["email-expiry", "privacy-how-long"] {
            for (days, words) in counts {
                let text = i18n::render(
                    locale,
                    Medium::PlainText,
                    id,
                    &[("days", fluent_bundle::FluentValue::from(days))],
                );
                assert!(text.contains(words), "{locale:?} {id} with {days}: {text}");
            }
        }
    }
}

#[test]
fn the_policys_date_is_written_as_each_language_writes_a_date() {
    let expected = [
        (Locale::Fr, "1er mars 2025", "24 décembre 2026"),
        (Locale::En, "1 March 2025", "24 December 2026"),
        (Locale::De, "1. März 2025", "24. Dezember 2026"),
        (Locale::Uk, "1 березня 2025 р.", "24 грудня 2026 р."),
        (Locale::Ru, "1 марта 2025 г.", "24 декабря 2026 г."),
    ];
    for (locale, first_of_march, christmas_eve) in expected {
        for ((day, month, year), written) in [
            ((1, 3, "2025"), first_of_march),
            ((24, 12, "2026"), christmas_eve),
        ] {
            let text = i18n::message(
                locale,
                Medium::PlainText,
                i18n::MessageId::POLICY_DATE,
                &[
                    ("day", fluent_bundle::FluentValue::from(day)),
                    ("month", fluent_bundle::FluentValue::from(month)),
                    ("year", fluent_bundle::FluentValue::from(year)),
                ],
            );
            // Spaces inside a date are non-breaking where the language wants them.
            assert_eq!(text.replace('\u{a0}', " "), written, "{locale:?}");
        }
    }
}

#[test]
fn german_quotes_with_its_own_marks() {
    // German opens low („) and closes high (“); « », " and ” belong to other languages.
    for (lang, file, source) in sources().filter(|(lang, _, _)| *lang == "de") {
        for line in source.lines().filter(|l| !l.starts_with('#')) {
            let text = line.split_once(" = ").map_or(line, |(_, text)| text);
            assert!(
                !text.contains(['«', '»', '"', '”']),
                "{lang}/{file}: a foreign quotation mark in {line}"
            );
            let mut open = false;
            for c in text.chars() {
                match c {
                    '„' => {
                        assert!(!open, "{lang}/{file}: „ opened twice in {line}");
                        open = true;
                    }
                    '“' => {
                        assert!(open, "{lang}/{file}: “ closes nothing in {line}");
                        open = false;
                    }
                    _ => {}
                }
            }
            assert!(!open, "{lang}/{file}: „ never closed in {line}");
        }
    }
}

#[test]
fn the_locales_folder_holds_exactly_the_listed_languages() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../locales");
    let folders: BTreeSet<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().unwrap().is_dir())
        .map(|entry| entry.file_name().into_string().unwrap())
        .collect();
    let listed: BTreeSet<String> = Locale::ALL.iter().map(|l| l.code().to_owned()).collect();
    assert_eq!(
        folders, listed,
        "a language is a folder of Fluent files and a line in locales/languages"
    );
}
