use super::InputError;
use super::mail_family::{GMAIL, PROTON, YANDEX};
use email_address::{EmailAddress, Options};
use serde::{Deserialize, Serialize};

/// A signer's email address, checked for syntax. The address is kept as typed for sending; its
/// normalised form is what identifies a signer.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Providers that deliver `name+anything@` to `name@` (named by their family's first domain).
const IGNORES_TAGS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "icloud.com",
    "fastmail.com",
    "proton.me",
    "yandex.ru",
];

/// Domains that are one provider's names for the same mailboxes: `name@` at any of them reaches
/// the mailbox `name@` at the first. One person, one signature and one day's emails, whichever
/// name they type.
const FAMILIES: &[&[&str]] = &[GMAIL, YANDEX, &["icloud.com", "me.com", "mac.com"], PROTON];

/// The first domain of `domain`'s family, or `domain` itself.
fn family_of(domain: &str) -> &str {
    FAMILIES
        .iter()
        .find(|family| family.contains(&domain))
        .map_or(domain, |family| family[0])
}

impl Email {
    /// RFC 5321's limit on a forward path.
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, InputError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(InputError::Missing);
        }
        if trimmed.len() > Self::MAX_CHARS {
            return Err(InputError::TooLong);
        }
        if trimmed.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(InputError::Invalid);
        }
        // A real mailbox needs a dotted domain; literal IP domains and "Name <addr>" are refused.
        let options = Options::default()
            .with_required_tld()
            .without_domain_literal()
            .without_display_text();
        let parsed =
            EmailAddress::parse_with_options(trimmed, options).map_err(|_| InputError::Invalid)?;
        // SES refuses a local part that is not plain ASCII, or quoted: better said now, in the
        // signer's language, than dropped by the mailer after they were told to check their mail.
        let local = parsed.local_part();
        if !local.is_ascii() || local.starts_with('"') {
            return Err(InputError::Unsendable);
        }
        // An internationalised domain in its ASCII form: the one mail servers route by, so one
        // domain has one spelling.
        let domain = idna::domain_to_ascii(parsed.domain()).map_err(|_| InputError::Invalid)?;
        Ok(Self(format!("{}@{domain}", parsed.local_part())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The domain mail to this address is routed by, in its ASCII form.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// Where mail to this address lands, as far as the limit on emails a day goes: the
    /// normalised form with any `+tag` folded, at every provider, since most deliver
    /// `name+anything@` to `name@` whether or not they say so.
    pub fn mailbox(&self) -> String {
        let normalised = self.normalised();
        let (local, domain) = normalised
            .rsplit_once('@')
            .expect("a parsed address has an @");
        let local = local.split('+').next().unwrap_or(local);
        format!("{local}@{domain}")
    }

    /// The form that identifies a signer, so that one mailbox signs once: case never counts,
    /// nor which of its provider's domains it is written with, and where the provider delivers
    /// `a.b+tag@` to `ab@`, neither do those dots and tags (nor, at Yandex, `.` against `-`, nor
    /// at Proton `.`, `-` and `_`).
    pub fn normalised(&self) -> String {
        let lowered = self.0.to_lowercase();
        let (local, domain) = lowered.rsplit_once('@').expect("a parsed address has an @");
        let domain = family_of(domain);
        let local = if IGNORES_TAGS.contains(&domain) {
            local.split('+').next().unwrap_or(local)
        } else {
            local
        };
        match domain {
            "gmail.com" => format!("{}@{domain}", local.replace('.', "")),
            "yandex.ru" => format!("{}@{domain}", local.replace('.', "-")),
            // Proton reads `user.name`, `user-name` and `user_name` as `username`.
            "proton.me" => format!("{}@{domain}", local.replace(['.', '-', '_'], "")),
            _ => format!("{local}@{domain}"),
        }
    }

    /// The normal form signatures were keyed by before provider families were folded.
    fn former_normal_form(&self) -> String {
        const FORMERLY_IGNORING_TAGS: &[&str] = &[
            "gmail.com",
            "outlook.com",
            "hotmail.com",
            "live.com",
            "icloud.com",
            "me.com",
            "mac.com",
            "fastmail.com",
            "proton.me",
            "protonmail.com",
            "pm.me",
            "yandex.ru",
            "yandex.com",
            "ya.ru",
        ];
        let lowered = self.0.to_lowercase();
        let (local, domain) = lowered.rsplit_once('@').expect("a parsed address has an @");
        let domain = if domain == "googlemail.com" {
            "gmail.com"
        } else {
            domain
        };
        let local = if FORMERLY_IGNORING_TAGS.contains(&domain) {
            local.split('+').next().unwrap_or(local)
        } else {
            local
        };
        if domain == "gmail.com" {
            format!("{}@{domain}", local.replace('.', ""))
        } else {
            format!("{local}@{domain}")
        }
    }

    /// The normal forms a signature of this mailbox may have been stored under before provider
    /// families were folded, where they differ from today's: the address, with its tag and
    /// without, at each of its family's domains, and at Yandex with `.` and `-` swapped, at
    /// Proton without separators.
    /// A person asking for erasure types one spelling; they may have signed with another.
    /// Separators they never typed cannot be guessed: `annsmith@pm.me` does not find a
    /// signature stored as `ann.smith@proton.me`, so staff ask for the spelling signed with.
    pub fn former_normal_forms(&self) -> Vec<String> {
        let lowered = self.0.to_lowercase();
        let (local, domain) = lowered.rsplit_once('@').expect("a parsed address has an @");
        let alone = [domain];
        let family = FAMILIES
            .iter()
            .find(|family| family.contains(&domain))
            .map_or(&alone[..], |family| family);
        // Only a family's provider delivers `name+tag@` to `name@`: elsewhere the address
        // without its tag is another mailbox, perhaps another person's.
        let untagged = if family.len() > 1 {
            local.split('+').next().unwrap_or(local)
        } else {
            local
        };
        let mut locals = vec![local.to_owned(), untagged.to_owned()];
        for local in [local, untagged] {
            match family_of(domain) {
                "yandex.ru" => locals.extend([local.replace('.', "-"), local.replace('-', ".")]),
                "proton.me" => locals.push(local.replace(['.', '-', '_'], "")),
                _ => {}
            }
        }
        let today = self.normalised();
        let mut forms: Vec<String> = family
            .iter()
            .flat_map(|domain| locals.iter().map(move |local| format!("{local}@{domain}")))
            .filter_map(|spelling| Email::parse(&spelling).ok())
            .map(|spelling| spelling.former_normal_form())
            .filter(|form| *form != today)
            .collect();
        forms.sort();
        forms.dedup();
        forms
    }
}

// Personal data: never printed by a stray `{:?}`.
impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Email(..)")
    }
}

impl TryFrom<String> for Email {
    type Error = InputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_its_domain_lowercased() {
        let email = Email::parse("  Olena.K@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "Olena.K@example.org");
        assert_eq!(email.normalised(), "olena.k@example.org");
    }

    #[test]
    fn one_mailbox_has_one_normal_form_however_it_is_written() {
        let normal = |raw: &str| Email::parse(raw).unwrap().normalised();
        for same in [
            "Olena.Koval+petition@GoogleMail.com",
            "olenakoval@gmail.com",
            "o.l.e.n.a.koval+x@gmail.com",
        ] {
            assert_eq!(normal(same), "olenakoval@gmail.com", "{same}");
        }
        assert_eq!(normal("Ivan+news@Outlook.com"), "ivan@outlook.com");
        // Elsewhere dots and tags may be distinct mailboxes: only case is folded.
        assert_eq!(normal("I.van+news@Example.org"), "i.van+news@example.org");
        assert_eq!(
            normal("olena@Приклад.укр"),
            normal("olena@xn--80aikifvh.xn--j1amh")
        );
        assert_eq!(
            Email::parse("olena@Приклад.укр").unwrap().as_str(),
            "olena@xn--80aikifvh.xn--j1amh",
            "sent to the domain's ASCII form"
        );
    }

    #[test]
    fn each_providers_family_of_domains_is_one_mailbox() {
        let normal = |raw: &str| Email::parse(raw).unwrap().normalised();
        let families: [(&str, &[&str]); 3] = [
            (
                "ivan-petrov@yandex.ru",
                &[
                    "ivan.petrov@yandex.ru",
                    "Ivan-Petrov+petition@ya.ru",
                    "ivan.petrov@yandex.com",
                    "ivan-petrov@yandex.by",
                    "ivan.petrov@yandex.kz",
                    "ivan-petrov@yandex.ua",
                    "ivan.petrov@narod.ru",
                ],
            ),
            (
                "olena@icloud.com",
                &["Olena@iCloud.com", "olena+x@me.com", "olena@mac.com"],
            ),
            (
                "annakoval@proton.me",
                &[
                    "anna.koval+news@protonmail.com",
                    "anna-koval@protonmail.ch",
                    "Anna_Koval@pm.me",
                ],
            ),
        ];
        for (one, spellings) in families {
            for spelling in spellings {
                assert_eq!(normal(spelling), one, "{spelling}");
                assert_eq!(
                    Email::parse(spelling).unwrap().mailbox(),
                    one,
                    "one day's emails: {spelling}"
                );
            }
        }
        // Other providers' domains are their own mailboxes, and elsewhere `.` is not `-`.
        assert_eq!(normal("ivan.petrov@mail.ru"), "ivan.petrov@mail.ru");
        assert_ne!(normal("ivan@outlook.com"), normal("ivan@hotmail.com"));
    }

    #[test]
    fn a_signature_keyed_before_the_families_were_folded_is_still_found() {
        let former = |raw: &str| Email::parse(raw).unwrap().former_normal_forms();
        let yandex = former("Ivan.Petrov+x@ya.ru");
        for stored in [
            "ivan.petrov@ya.ru",
            "ivan-petrov@ya.ru",
            "ivan.petrov@yandex.ru",
            "ivan-petrov@yandex.com",
            "ivan.petrov@narod.ru",
        ] {
            assert!(yandex.contains(&stored.to_owned()), "{stored}: {yandex:?}");
        }
        assert!(
            former("ivan.petrov+x@yandex.by").contains(&"ivan.petrov+x@yandex.by".to_owned()),
            "tags at yandex.by were kept then"
        );
        assert_eq!(
            former("olena+x@me.com"),
            ["olena@mac.com", "olena@me.com"],
            "olena@icloud.com is today's form"
        );
        assert_eq!(
            former("ann.smith@pm.me"),
            [
                "ann.smith@pm.me",
                "ann.smith@proton.me",
                "ann.smith@protonmail.ch",
                "ann.smith@protonmail.com",
                "annsmith@pm.me",
                "annsmith@protonmail.ch",
                "annsmith@protonmail.com"
            ],
            "annsmith@proton.me is today's form"
        );
        assert!(
            former("olena.koval+x@googlemail.com").is_empty(),
            "Gmail's were folded then"
        );
        assert!(former("olena@example.org").is_empty());
        assert!(
            former("olena+x@example.org").is_empty(),
            "olena@example.org is another mailbox"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "olena",
            "olena@",
            "@example.org",
            "olena@localhost",
            "o lena@example.org",
            "Olena <olena@example.org>",
            "olena@[127.0.0.1]",
            "olena@exa\nmple.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(InputError::TooLong));
    }

    #[test]
    fn addresses_ses_would_refuse_are_refused_as_unsendable() {
        for unsendable in [
            "олена@example.org",
            "élise@example.fr",
            "\"olena.koval\"@example.org",
            "\"olena\"@example.org",
        ] {
            assert_eq!(
                Email::parse(unsendable),
                Err(InputError::Unsendable),
                "{unsendable}"
            );
        }
        for sendable in ["olena@приклад.укр", "o.l+x_y-z@example.org"] {
            assert!(Email::parse(sendable).is_ok(), "{sendable}");
        }
    }

    #[test]
    fn debug_output_hides_the_address() {
        let email = Email::parse("olena@example.org").unwrap();
        assert!(!format!("{email:?}").contains("olena"));
    }
}
