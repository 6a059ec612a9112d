//! The fields of the public's forms, by the names their pages and JSON give them.

use super::InputError;
use std::collections::BTreeMap;

/// A field of the signing form or of an organisation's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Organisation,
    Website,
    ContactName,
    Email,
    Country,
    Locale,
}

impl Field {
    /// The name the form's HTML and JSON give it, and its error messages carry.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Organisation => "organisation",
            Self::Website => "website",
            Self::ContactName => "contact-name",
            Self::Email => "email",
            Self::Country => "country",
            Self::Locale => "locale",
        }
    }
}

/// Which fields of a form failed, and why.
pub type FieldErrors = BTreeMap<Field, InputError>;
