//! The `t` of a confirmation or erasure link: parsing never panics, and a token that parses
//! encodes back to exactly what was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use people_first::domain::LinkToken;

fuzz_target!(|raw: &str| {
    if let Ok(token) = LinkToken::parse(raw) {
        assert_eq!(token.encode(), raw.trim());
    }
});
