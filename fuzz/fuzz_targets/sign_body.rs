//! A signing request's body, as JSON and as a form: parsing never panics, and what parses into a
//! petition holds only valid fields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use people_first::http::form::{PetitionForm, PublicForm};

fuzz_target!(|body: &[u8]| {
    let json = serde_json::from_slice::<PetitionForm>(body).ok();
    let form = serde_urlencoded::from_bytes::<PetitionForm>(body).ok();
    for petition in [json, form].into_iter().flatten() {
        if let Ok(parsed) = petition.parse() {
            let name = parsed.name.as_str();
            assert!(!name.trim().is_empty() && !name.chars().any(char::is_control));
            assert!(parsed.email.as_str().contains('@'));
        }
    }
});
