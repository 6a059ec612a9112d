//! Every parser of outside input under generated input: the signing body in both encodings, the
//! link tokens, `Accept-Language`, stream records and names. None panics; a refused signature
//! stores nothing; what is accepted holds only valid fields.

use people_first::testing as support;

use people_first::adapters::clock::ManualClock;
use people_first::domain::{LinkToken, Locale, Signature};
use people_first::http::sign::{SignState, handle_sign};
use proptest::prelude::*;
use std::sync::Arc;

/// Signs with `body` as `content_type`; the status, and what was stored.
fn sign(content_type: &str, body: &str) -> (u16, Vec<Signature>) {
    let store = Arc::new(support::AcceptingStore::keeping());
    let state = SignState {
        store: store.clone(),
        partners: Arc::new(support::NoPartners),
        keyring: Arc::new(support::keyring()),
        clock: Arc::new(ManualClock::at(support::SIGNED_AT)),
        challenge: None,
        answer_time: people_first::http::answer_time::AnswerTime::AT_ONCE,
    };
    let request = support::stack::request("POST", "/api/sign", Some(content_type), body);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let status = runtime
        .block_on(handle_sign(&state, request))
        .unwrap()
        .status()
        .as_u16();
    let stored = store.kept.lock().unwrap().clone();
    (status, stored)
}

fn accepted_or_refused_cleanly(status: u16, stored: &[Signature]) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(status, 202 | 303 | 400 | 413 | 415 | 422),
        "status {status}"
    );
    if matches!(status, 202 | 303) {
        prop_assert!(stored.len() <= 1);
        for signature in stored {
            let name = signature.name.as_str();
            prop_assert!(!name.trim().is_empty() && !name.chars().any(char::is_control));
            prop_assert!(name.chars().count() <= 100);
        }
    } else {
        prop_assert!(stored.is_empty(), "a refusal ({status}) stored something");
    }
    Ok(())
}

/// Field values as people and attackers write them: plausible, empty, huge, or hostile.
fn field() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        "\\PC{0,120}".prop_map(serde_json::Value::from),
        "[a-zA-Z.+]{1,20}@[a-z]{1,10}\\.(org|com|укр)".prop_map(serde_json::Value::from),
        "[A-Za-z]{2}".prop_map(serde_json::Value::from),
        prop::sample::select(vec!["fr", "en", "uk", "ru", "de", "es", ""])
            .prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[\\x00-\\x1f\\u{202e}\\u{200b}]{1,5}".prop_map(serde_json::Value::from),
    ]
}

fn petition() -> impl Strategy<Value = serde_json::Map<String, serde_json::Value>> {
    let keys = prop::sample::select(vec![
        "name", "email", "country", "locale", "updates", "website", "elapsed", "extra",
    ]);
    prop::collection::btree_map(keys, field(), 0..8)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn any_json_body_is_accepted_or_refused_cleanly(fields in petition()) {
        let (status, stored) = sign("application/json", &serde_json::Value::Object(fields).to_string());
        accepted_or_refused_cleanly(status, &stored)?;
    }

    #[test]
    fn any_form_body_is_accepted_or_refused_cleanly(fields in petition()) {
        let pairs: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let (status, stored) = sign("application/x-www-form-urlencoded", &body);
        accepted_or_refused_cleanly(status, &stored)?;
    }

    #[test]
    fn any_bytes_as_a_body_are_refused_cleanly(body in "\\PC{0,300}", json in any::<bool>()) {
        let content_type = if json { "application/json" } else { "application/x-www-form-urlencoded" };
        let (status, stored) = sign(content_type, &body);
        accepted_or_refused_cleanly(status, &stored)?;
    }

    #[test]
    fn a_link_token_parses_only_to_what_encodes_back(raw in "[A-Za-z0-9_=+/ -]{0,100}") {
        if let Ok(token) = LinkToken::parse(&raw) {
            prop_assert_eq!(token.encode(), raw.trim());
        }
    }

    #[test]
    fn every_token_of_64_bytes_parses_back(signer in any::<[u8; 32]>(), secret in any::<[u8; 32]>()) {
        use base64::Engine as _;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([signer, secret].concat());
        let parsed = LinkToken::parse(&raw).unwrap();
        prop_assert_eq!(parsed.encode(), raw);
    }

    #[test]
    fn any_accept_language_picks_one_of_the_five(header in "\\PC{0,200}", tags in prop::collection::vec("[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})?(;q=[01](\\.[0-9]{1,3})?)?", 0..6)) {
        for value in [header, tags.join(", ")] {
            let locale = Locale::negotiate(Some(&value));
            prop_assert!(Locale::ALL.contains(&locale));
        }
    }

    #[test]
    fn any_stream_record_is_read_without_panicking(image in prop::collection::btree_map("[a-z_]{1,12}", field(), 0..10), kind in prop::sample::select(vec!["S", "N", "BOOL", "M", "NULL"])) {
        let attributes: serde_json::Map<String, serde_json::Value> = image
            .into_iter()
            .map(|(k, v)| (k, serde_json::json!({ kind: if kind == "N" { serde_json::Value::from(v.to_string()) } else { v } })))
            .collect();
        let event = serde_json::json!({ "Records": [{
            "eventID": "1", "eventName": "MODIFY", "eventSource": "aws:dynamodb", "awsRegion": "eu-west-1",
            "dynamodb": { "SequenceNumber": "100", "StreamViewType": "NEW_AND_OLD_IMAGES",
                          "NewImage": attributes.clone(), "OldImage": attributes },
        }]});
        if let Ok(event) = serde_json::from_value::<aws_lambda_events::dynamodb::Event>(event) {
            for record in event.records {
                let _ = people_first::adapters::stream::change_of(record);
            }
        }
    }

    #[test]
    fn an_accepted_name_is_composed_and_shows_every_character_it_holds(raw in "(\\PC|\\p{Cf}|\\p{Mn}){1,60}") {
        if let Ok(name) = people_first::domain::SignerName::parse(&raw) {
            prop_assert!(is_composed(name.as_str()), "{:?}", name.as_str());
            for (i, c) in name.as_str().char_indices() {
                let joiner = matches!(c, '\u{200C}' | '\u{200D}');
                prop_assert!(
                    joiner || !is_invisible(c),
                    "{:?} holds {:?} at {}", name.as_str(), c, i
                );
            }
        }
    }

    #[test]
    fn a_hidden_character_anywhere_in_a_name_refuses_it(
        name in "[A-Za-zА-Яа-яÀ-ÿ][A-Za-zА-Яа-яÀ-ÿ ]{1,29}",
        at in any::<prop::sample::Index>(),
        hidden in prop::sample::select(vec![
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{2060}', '\u{FEFF}',
            '\u{061C}', '\u{180E}', '\u{AD}',
        ]),
    ) {
        let chars: Vec<char> = name.chars().collect();
        let mut with_hidden = chars.clone();
        with_hidden.insert(at.index(chars.len() + 1), hidden);
        let with_hidden: String = with_hidden.into_iter().collect();
        prop_assert_eq!(
            people_first::domain::SignerName::parse(&with_hidden).err(),
            Some(people_first::domain::InputError::ControlCharacters),
            "{:?}", with_hidden
        );
    }
}

/// Invisible in a name: Unicode's default-ignorable code points.
fn is_invisible(c: char) -> bool {
    icu_properties::CodePointSetData::new::<icu_properties::props::DefaultIgnorableCodePoint>()
        .contains(c)
}

/// Whether a text is in NFC: normalising it again changes nothing.
fn is_composed(text: &str) -> bool {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc().is_normalized(text)
}
