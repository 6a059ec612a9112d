//! The API's addresses: what the emails link to, the forms post to and the servers route.
//! `openapi.yaml` describes the same list (a test holds them equal).

/// One address of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Sign,
    Confirm,
    Erase,
    Count,
    CountBadge,
    Organisations,
    ContactLink,
}

impl Api {
    pub const ALL: [Self; 7] = [
        Self::Sign,
        Self::Confirm,
        Self::Erase,
        Self::Count,
        Self::CountBadge,
        Self::Organisations,
        Self::ContactLink,
    ];

    pub const fn path(self) -> &'static str {
        match self {
            Self::Sign => "/api/sign",
            Self::Confirm => "/api/confirm",
            Self::Erase => "/api/erase",
            Self::Count => "/api/count",
            Self::CountBadge => "/api/count.svg",
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
}
