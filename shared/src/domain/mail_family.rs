//! Which family of mailbox providers an address belongs to, kept with a signature so staff can
//! see whose filters swallow the confirmation email: a handful of families, never the domain,
//! so the mark says no more of a signer than millions share.

use super::Email;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailFamily {
    Gmail,
    Outlook,
    Yandex,
    #[serde(rename = "mailru")]
    MailRu,
    Proton,
    Other,
}

/// Each provider's names for the same mailboxes, its first domain first: `Email` folds them into
/// one signer.
pub(super) const GMAIL: &[&str] = &["gmail.com", "googlemail.com"];
pub(super) const YANDEX: &[&str] = &[
    "yandex.ru",
    "ya.ru",
    "yandex.com",
    "yandex.by",
    "yandex.kz",
    "yandex.ua",
    "narod.ru",
];
pub(super) const PROTON: &[&str] = &["proton.me", "protonmail.com", "protonmail.ch", "pm.me"];
/// Mail.ru's domains are separate mailboxes, but one provider's filters.
const MAIL_RU: &[&str] = &[
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "internet.ru",
    "my.com",
];

const DOMAINS: &[(MailFamily, &[&str])] = &[
    (MailFamily::Gmail, GMAIL),
    (MailFamily::Yandex, YANDEX),
    (MailFamily::MailRu, MAIL_RU),
    (MailFamily::Proton, PROTON),
];
/// Microsoft's consumer domains come in many countries' forms (`hotmail.fr`, `live.co.uk`), so
/// its are matched by their first label.
const MICROSOFT_LABELS: &[&str] = &["outlook", "hotmail", "live", "msn", "windowslive"];

impl MailFamily {
    pub const ALL: [Self; 6] = [
        Self::Gmail,
        Self::Outlook,
        Self::Yandex,
        Self::MailRu,
        Self::Proton,
        Self::Other,
    ];

    pub fn of(email: &Email) -> Self {
        let domain = email.domain().to_ascii_lowercase();
        if let Some((family, _)) = DOMAINS.iter().find(|(_, names)| names.contains(&&*domain)) {
            return *family;
        }
        // `hotmail.co.uk`, `live.com.au`, not `live.example.org`: after the first label, only
        // a country's or a generic suffix.
        let mut labels = domain.split('.');
        let first_label = labels.next().unwrap_or_default();
        let suffix: Vec<&str> = labels.collect();
        if MICROSOFT_LABELS.contains(&first_label)
            && (1..=2).contains(&suffix.len())
            && suffix.iter().all(|label| (2..=3).contains(&label.len()))
        {
            return Self::Outlook;
        }
        Self::Other
    }

    /// As staff read it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Gmail => "Gmail",
            Self::Outlook => "Outlook",
            Self::Yandex => "Yandex",
            Self::MailRu => "Mail.ru",
            Self::Proton => "Proton",
            Self::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family(address: &str) -> MailFamily {
        MailFamily::of(&Email::parse(address).unwrap())
    }

    #[test]
    fn each_family_is_known_by_its_domains_whatever_their_case() {
        assert_eq!(family("a@GoogleMail.com"), MailFamily::Gmail);
        assert_eq!(family("a@hotmail.fr"), MailFamily::Outlook);
        assert_eq!(family("a@live.co.uk"), MailFamily::Outlook);
        assert_eq!(family("a@outlook.com"), MailFamily::Outlook);
        assert_eq!(family("a@ya.ru"), MailFamily::Yandex);
        assert_eq!(family("a@bk.ru"), MailFamily::MailRu);
        assert_eq!(family("a@pm.me"), MailFamily::Proton);
    }

    #[test]
    fn a_look_alike_or_an_unknown_domain_is_other() {
        assert_eq!(family("a@gmail.com.example"), MailFamily::Other);
        assert_eq!(family("a@mail.ru.example"), MailFamily::Other);
        assert_eq!(family("a@ukr.net"), MailFamily::Other);
        assert_eq!(family("a@liveinfo.org"), MailFamily::Other);
        assert_eq!(family("a@live.example.org"), MailFamily::Other);
    }

    #[test]
    fn the_table_keeps_one_short_word() {
        assert_eq!(
            serde_json::to_string(&MailFamily::MailRu).unwrap(),
            "\"mailru\""
        );
    }
}
