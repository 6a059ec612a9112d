//! The site's addresses: the API's, which the emails link to, the forms post to and the servers
//! route (`openapi.yaml` describes the same list, and a test holds them equal); and the pages',
//! which the site's build writes in every language and the API sends browsers on to.

use super::Locale;

/// One address of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Sign,
    /// The sign form, made to be framed on a partner's page.
    Frame,
    Confirm,
    Erase,
    /// The one-click stop of the campaign's updates (RFC 8058).
    Unsubscribe,
    Count,
    CountBadge,
    /// The count by country as a page: the map's table without a script.
    CountTable,
    Organisations,
    ContactLink,
}

impl Api {
    pub const ALL: [Self; 10] = [
        Self::Sign,
        Self::Frame,
        Self::Confirm,
        Self::Erase,
        Self::Unsubscribe,
        Self::Count,
        Self::CountBadge,
        Self::CountTable,
        Self::Organisations,
        Self::ContactLink,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            Self::Sign => "/api/sign",
            Self::Frame => "/api/frame",
            Self::Confirm => "/api/confirm",
            Self::Erase => "/api/erase",
            Self::Unsubscribe => "/api/unsubscribe",
            Self::Count => "/api/count",
            Self::CountBadge => "/api/count.svg",
            Self::CountTable => "/api/count.html",
            Self::Organisations => "/api/organisations",
            Self::ContactLink => "/api/organisations/confirm",
        }
    }

    /// The address a request's path names, if it is one of the API's.
    pub fn of_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|api| api.path() == path)
    }

    /// The address on the site at `public_url` (no trailing slash), with a query.
    pub fn link(self, public_url: &str, query: &str) -> String {
        format!("{public_url}{}?{query}", self.path())
    }
}

/// One page of the site, in each language at `/{locale}/{path}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    /// After signing: the email is on its way.
    CheckEmail,
    /// After confirming.
    ThankYou,
    /// After erasing.
    Erased,
    /// After withdrawing a consent: the signature stays.
    Withdrawn,
    Privacy,
    /// The counter for partners' sites.
    Embed,
    /// The confirmed signatures on a world map.
    Map,
    /// The organisations' form.
    Organisations,
    /// After an organisation's request: its contact's email is on its way.
    OrganisationCheckEmail,
    /// After the contact confirmed: the request waits for staff.
    OrganisationConfirmed,
}

impl Page {
    pub const ALL: [Self; 11] = [
        Self::Home,
        Self::CheckEmail,
        Self::ThankYou,
        Self::Erased,
        Self::Withdrawn,
        Self::Privacy,
        Self::Embed,
        Self::Map,
        Self::Organisations,
        Self::OrganisationCheckEmail,
        Self::OrganisationConfirmed,
    ];

    /// Its path under its language's folder: empty, or ending in a slash.
    pub const fn path(self) -> &'static str {
        match self {
            Self::Home => "",
            Self::CheckEmail => "check-email/",
            Self::ThankYou => "thank-you/",
            Self::Erased => "erased/",
            Self::Withdrawn => "withdrawn/",
            Self::Privacy => "privacy/",
            Self::Embed => "embed/",
            Self::Map => "map/",
            Self::Organisations => "organisations/",
            Self::OrganisationCheckEmail => "organisations/check-email/",
            Self::OrganisationConfirmed => "organisations/confirmed/",
        }
    }

    /// Its address in `locale`, from the site's root.
    pub fn at(self, locale: Locale) -> String {
        format!("/{locale}/{}", self.path())
    }

    /// The file the site's build writes it to, under its language's folder.
    pub fn file(self) -> String {
        format!("{}index.html", self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_is_found_by_its_path() {
        for api in Api::ALL {
            assert_eq!(Api::of_path(api.path()), Some(api));
        }
        assert_eq!(Api::of_path("/api/signs"), None);
    }

    #[test]
    fn a_page_is_a_folder_of_its_language() {
        assert_eq!(Page::Home.at(Locale::Uk), "/uk/");
        assert_eq!(Page::ThankYou.at(Locale::Ru), "/ru/thank-you/");
        assert_eq!(
            Page::OrganisationConfirmed.file(),
            "organisations/confirmed/index.html"
        );
        for page in Page::ALL {
            assert!(
                page.path().is_empty() || page.path().ends_with('/'),
                "{page:?}"
            );
        }
    }
}
