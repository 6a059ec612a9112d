//! The emails' words: each notice a use case chooses, in its reader's language.

use super::render;
use crate::domain::Locale;
use crate::domain::retention::LINK_LIFETIME;
use crate::i18n::{self, Medium, MessageId};
use crate::ports::{Notice, UpdateWording, Wording, Words};
use minijinja::context;

/// The campaign's emails, from `static/templates/email` and the Fluent strings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Emails;

impl Wording for Emails {
    fn words(&self, locale: Locale, notice: &Notice) -> Words {
        match notice {
            Notice::Confirmation {
                name,
                link,
                erase_link,
            } => with_subject(
                locale,
                MessageId::EMAIL_SUBJECT,
                confirmation_email(locale, name, link, erase_link),
            ),
            Notice::Reminder {
                name,
                link,
                erase_link,
                days,
            } => with_subject(
                locale,
                MessageId::EMAIL_REMINDER_SUBJECT,
                reminder_email(locale, name, link, erase_link, *days),
            ),
            Notice::ContactLink { organisation, link } => {
                let paragraphs = [
                    message(locale, MessageId::SUPPORTER_EMAIL_INTRO, organisation),
                    i18n::text(locale, MessageId::SUPPORTER_EMAIL_ACTION),
                ];
                let closing = [
                    i18n::message(
                        locale,
                        Medium::PlainText,
                        MessageId::EMAIL_EXPIRY,
                        &[("days", LINK_LIFETIME.in_days().into())],
                    ),
                    i18n::text(locale, MessageId::SUPPORTER_EMAIL_IGNORE),
                ];
                let button = i18n::text(locale, MessageId::SUPPORTER_EMAIL_BUTTON);
                short(
                    locale,
                    MessageId::SUPPORTER_EMAIL_SUBJECT,
                    &paragraphs,
                    Some((link, &button)),
                    &closing,
                )
            }
            Notice::Waiting { organisation, id } => {
                let body = i18n::message(
                    locale,
                    Medium::PlainText,
                    MessageId::MODERATION_EMAIL_BODY,
                    &[
                        ("organisation", organisation.as_str().into()),
                        ("id", id.as_str().into()),
                    ],
                );
                short(
                    locale,
                    MessageId::MODERATION_EMAIL_SUBJECT,
                    &[body],
                    None,
                    &[],
                )
            }
            Notice::Approved {
                organisation,
                code,
                embed,
            } => {
                let body = message(locale, MessageId::SUPPORTER_APPROVED_BODY, organisation);
                let partner = i18n::message(
                    locale,
                    Medium::PlainText,
                    MessageId::SUPPORTER_APPROVED_CODE,
                    &[("code", code.as_str().into())],
                );
                let button = i18n::text(locale, MessageId::SUPPORTER_APPROVED_BUTTON);
                short(
                    locale,
                    MessageId::SUPPORTER_APPROVED_SUBJECT,
                    &[body, partner],
                    Some((embed, &button)),
                    &[],
                )
            }
            Notice::Rejected { organisation } => {
                let body = message(locale, MessageId::SUPPORTER_REJECTED_BODY, organisation);
                short(
                    locale,
                    MessageId::SUPPORTER_REJECTED_SUBJECT,
                    &[body],
                    None,
                    &[],
                )
            }
        }
    }
}

/// A sentence naming the organisation.
fn message(locale: Locale, id: MessageId, organisation: &str) -> String {
    i18n::message(
        locale,
        Medium::PlainText,
        id,
        &[("organisation", organisation.into())],
    )
}

/// A short email under its subject.
fn short(
    locale: Locale,
    subject: MessageId,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
    closing: &[String],
) -> Words {
    let subject = i18n::text(locale, subject);
    let (text, html) = notice_email(locale, &subject, paragraphs, link, closing);
    Words {
        subject,
        text,
        html,
    }
}

/// The confirmation email's plain text and HTML.
impl UpdateWording for Emails {
    fn update_words(
        &self,
        locale: Locale,
        text: &crate::domain::UpdateText,
        unsubscribe_link: &str,
        erase_link: &str,
    ) -> Words {
        super::update_email(locale, text, unsubscribe_link, erase_link)
    }
}

/// An email's text and HTML under its subject.
fn with_subject(locale: Locale, subject: MessageId, (text, html): (String, String)) -> Words {
    Words {
        subject: i18n::text(locale, subject),
        text,
        html,
    }
}

pub fn confirmation_email(
    locale: Locale,
    name: &str,
    link: &str,
    erase_link: &str,
) -> (String, String) {
    let context = context! {
        locale => locale.code(), name => name, link => link, erase_link => erase_link,
        days => LINK_LIFETIME.in_days(), reminder => false,
    };
    (
        render("email/confirmation.txt", &context),
        render("email/confirmation.html", &context),
    )
}

/// The reminder: the confirmation email's link again, saying that the signature is not counted
/// yet, and how many more days the link works.
pub fn reminder_email(
    locale: Locale,
    name: &str,
    link: &str,
    erase_link: &str,
    days: u32,
) -> (String, String) {
    let context = context! {
        locale => locale.code(), name => name, link => link, erase_link => erase_link,
        days => days, reminder => true,
    };
    (
        render("email/confirmation.txt", &context),
        render("email/confirmation.html", &context),
    )
}

/// A short email's plain text and HTML: paragraphs, an optional link with its button, and
/// closing paragraphs.
fn notice_email(
    locale: Locale,
    subject: &str,
    paragraphs: &[String],
    link: Option<(&str, &str)>,
    closing: &[String],
) -> (String, String) {
    let context = context! {
        locale => locale.code(), subject => subject, paragraphs => paragraphs,
        link => link.map(|(href, _)| href), button => link.map(|(_, label)| label),
        closing => closing,
    };
    (
        render("email/notice.txt", &context),
        render("email/notice.html", &context),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(locale: Locale, notice: &Notice) -> Words {
        Emails.words(locale, notice)
    }

    #[test]
    fn each_organisations_notice_has_its_own_subject_and_names_the_organisation() {
        let link = "https://people-first.example/api/organisations/confirm?id=x&t=y";
        for locale in Locale::ALL {
            let organisation = || "Memorial Deutschland".to_owned();
            let asked = words(
                locale,
                &Notice::ContactLink {
                    organisation: organisation(),
                    link: link.into(),
                },
            );
            let embed = format!("https://people-first.example/{locale}/embed/");
            let approved = words(
                locale,
                &Notice::Approved {
                    organisation: organisation(),
                    code: "k3h8m2p9qa".into(),
                    embed: embed.clone(),
                },
            );
            let rejected = words(
                locale,
                &Notice::Rejected {
                    organisation: organisation(),
                },
            );
            let subjects = [
                (&asked, MessageId::SUPPORTER_EMAIL_SUBJECT),
                (&approved, MessageId::SUPPORTER_APPROVED_SUBJECT),
                (&rejected, MessageId::SUPPORTER_REJECTED_SUBJECT),
            ];
            for (email, subject) in subjects {
                assert_eq!(email.subject, i18n::text(locale, subject), "{locale}");
                assert!(
                    email.text.contains("Memorial Deutschland"),
                    "{locale}: {}",
                    email.text
                );
                assert!(email.html.contains("Memorial Deutschland"), "{locale}");
            }
            assert_ne!(approved.subject, rejected.subject, "{locale}");
            assert!(
                approved.text.contains("k3h8m2p9qa") && approved.text.contains(&embed),
                "{locale}: a partner's code, and where to use it: {}",
                approved.text
            );
            assert!(
                asked.text.contains(link),
                "{locale}: the link, in plain text"
            );
            // Escaped as HTML: the query's `&`, and its slashes too.
            assert!(
                asked.html.contains("id=x&amp;t=y"),
                "{locale}: the link, as HTML"
            );
            let days = LINK_LIFETIME.in_days().to_string();
            assert!(
                asked.text.contains(&days),
                "{locale}: how long the link lives"
            );
        }
    }

    #[test]
    fn the_moderators_hear_the_name_and_the_id_to_decide_by() {
        let waiting = words(
            Locale::En,
            &Notice::Waiting {
                organisation: "Memorial Deutschland".into(),
                id: "0f3a".into(),
            },
        );
        assert_eq!(
            waiting.subject,
            i18n::text(Locale::En, MessageId::MODERATION_EMAIL_SUBJECT)
        );
        assert!(waiting.text.contains("Memorial Deutschland") && waiting.text.contains("0f3a"));
    }
}
