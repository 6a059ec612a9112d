//! The campaign's first supporters, the list's initial data.

use crate::domain::{Locale, Organisation, OrganisationId, OrganisationName, Standing, Timestamp};
use std::collections::BTreeMap;

/// The campaign's first supporters, in its text's order: the list's initial data.
const FIRST_SUPPORTERS: &str = include_str!("../../../../static/data/supporters.json");

/// The campaign's first supporters, as its text lists them, in their order.
pub fn first_supporters() -> Vec<Organisation> {
    let launched = Timestamp::from_unix_seconds(1_738_022_400); // 28 January 2025
    let all: Vec<BTreeMap<String, String>> =
        serde_json::from_str(FIRST_SUPPORTERS).expect("static/data/supporters.json is valid");
    all.into_iter()
        .enumerate()
        .map(|(i, names)| Organisation {
            id: OrganisationId::initial(i + 1),
            names: names
                .iter()
                .map(|(code, name)| {
                    (
                        Locale::parse(code).expect("a known language"),
                        OrganisationName::parse(name).expect("a valid name"),
                    )
                })
                .collect(),
            locale: Locale::En,
            country: None,
            website: None,
            standing: Standing::Approved,
            requested_at: launched,
            decided_at: Some(launched),
            position: i64::try_from(i + 1).expect("a small number"),
            expires_at: None,
            frame_origins: Vec::new(),
        })
        .collect()
}
