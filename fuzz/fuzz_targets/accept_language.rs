//! `Accept-Language`, as any client may send it: always one of the campaign's languages.
#![no_main]

use libfuzzer_sys::fuzz_target;
use people_first::domain::Locale;

fuzz_target!(|header: &str| {
    let locale = Locale::negotiate(Some(header));
    assert!(Locale::ALL.contains(&locale));
});
