//! The static site: every page in every language, rendered from `static/templates` and the
//! Fluent strings into files the CDN serves as they are.

use crate::domain::routes::Page;
use crate::domain::{BACKUP_RETENTION_DAYS, Channel, Locale, PRIVACY_POLICY_VERSION};
use crate::i18n;
use crate::i18n::MessageId;
use crate::pages::{message_context, render};
use crate::ports::SiteFile;
use minijinja::Value;
use minijinja::context;
use std::path::Path;

/// What the pages need to know about where they are published.
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The public address, without a trailing slash: canonical links and share links use it.
    pub origin: String,
    /// A mailbox the campaign reads, for privacy requests.
    pub contact: String,
    pub goal: u64,
    /// The bot challenge's widget on the sign form, when it is switched on.
    pub challenge: Option<crate::domain::challenge::Widget>,
}

const STYLESHEET: &str = include_str!("../../../static/assets/site.css");
const SCRIPT: &str = include_str!("../../../static/assets/site.js");
const MAP_SCRIPT: &str = include_str!("../../../static/assets/map.js");
const WORLD_MAP: &str = include_str!("../../../static/assets/world-map.svg");
const FAVICON: &str = include_str!("../../../static/assets/favicon.svg");
const SHARE_IMAGE: &[u8] = include_bytes!("../../../static/assets/share.png");
/// The names the list shows in a language, in the list's order.
fn supporter_names(supporters: &[crate::domain::Organisation], locale: Locale) -> Vec<String> {
    crate::domain::supporters_list(supporters)
        .into_iter()
        .map(|organisation| organisation.name_in(locale).to_owned())
        .collect()
}

fn og_locale(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "fr_FR",
        Locale::En => "en_GB",
        Locale::Uk => "uk_UA",
        Locale::Ru => "ru_RU",
        Locale::De => "de_DE",
    }
}

/// The context every site page shares, with what is particular to it merged in.
fn page_context(settings: &SiteSettings, locale: Locale, page: &str, particular: Value) -> Value {
    let common = context! {
        locale => locale.code(), page => page, origin => settings.origin, og_locale => og_locale(locale),
        challenge => settings.challenge,
    };
    context! { ..particular, ..common }
}

pub fn home_page(
    settings: &SiteSettings,
    locale: Locale,
    supporters: &[crate::domain::Organisation],
) -> String {
    let names = supporter_names(supporters, locale);
    let count = names.len() as u64;
    let supporters_count = i18n::message(
        locale,
        i18n::Medium::Html,
        MessageId::SUPPORTERS_COUNT,
        &[
            ("count", count.into()),
            ("formatted", i18n::format_number(locale, count).into()),
        ],
    );
    let particular = context! {
        countries => crate::pages::country_options(locale), supporters => names,
        supporters_count => supporters_count, goal => settings.goal,
        values => context! {}, errors => context! {},
    };
    render(
        "home.html",
        &page_context(settings, locale, Page::Home.path(), particular),
    )
}

/// The policy's version (an ISO date) as the language writes a date.
fn policy_date(locale: Locale) -> String {
    let parts: Vec<u32> = PRIVACY_POLICY_VERSION
        .split('-')
        .map(|part| part.parse().expect("the policy version is a date"))
        .collect();
    let [year, month, day] = parts[..] else {
        panic!("the policy version is a date: {PRIVACY_POLICY_VERSION}");
    };
    crate::i18n::message(
        locale,
        crate::i18n::Medium::Html,
        MessageId::POLICY_DATE,
        &[
            ("day", day.into()),
            ("month", month.into()),
            ("year", year.to_string().into()),
        ],
    )
}

pub fn privacy_page(settings: &SiteSettings, locale: Locale) -> String {
    let particular = context! {
        contact => settings.contact, policy_date => policy_date(locale),
        pending_days => crate::domain::retention::PENDING_LIFETIME.in_days(),
        backup_days => BACKUP_RETENTION_DAYS,
        contact_days => crate::domain::retention::CONTACT_KEPT_AFTER_DECISION.in_days(),
        waiting_days => crate::domain::retention::CONTACT_KEPT_WHILE_WAITING.in_days(),
    };
    render(
        "privacy.html",
        &page_context(settings, locale, Page::Privacy.path(), particular),
    )
}

/// One of the site's short pages: a heading and a line, in `message.html`.
fn site_message_page(
    settings: &SiteSettings,
    locale: Locale,
    page: &str,
    heading: MessageId,
    body: MessageId,
) -> String {
    let particular = message_context(heading, body, crate::pages::Onward::Home);
    render(
        "message.html",
        &page_context(settings, locale, page, particular),
    )
}

/// Where a signer is sent after signing; with JavaScript it also shows the address they typed,
/// with a way back to correct it.
pub fn check_email_page(settings: &SiteSettings, locale: Locale) -> String {
    render(
        "check-email.html",
        &page_context(settings, locale, Page::CheckEmail.path(), context! {}),
    )
}

pub fn erased_page(settings: &SiteSettings, locale: Locale) -> String {
    site_message_page(
        settings,
        locale,
        Page::Erased.path(),
        MessageId::ERASED_TITLE,
        MessageId::ERASED_BODY,
    )
}

pub fn not_found_page(settings: &SiteSettings, locale: Locale) -> String {
    site_message_page(
        settings,
        locale,
        "404.html",
        MessageId::ERROR_TITLE,
        MessageId::ERROR_NOT_FOUND,
    )
}

/// Plain links to share on a few networks: no script of theirs is ever loaded.
pub fn thank_you_page(settings: &SiteSettings, locale: Locale) -> String {
    // Each link names its channel, so staff see which one moved people; never the sharer.
    let home = |channel: Channel| {
        format!(
            "{}{}?src={}",
            settings.origin,
            Page::Home.at(locale),
            channel.code()
        )
    };
    let text = i18n::text(locale, MessageId::SHARE_TEXT);
    let query = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).unwrap_or_default();
    let networks = vec![
        context! { name => "Telegram", href => format!("https://t.me/share/url?{}", query(&[("url", &home(Channel::Telegram)), ("text", &text)])) },
        context! { name => "WhatsApp", href => format!("https://wa.me/?{}", query(&[("text", &format!("{text} {}", home(Channel::WhatsApp)))])) },
        context! { name => "Facebook", href => format!("https://www.facebook.com/sharer/sharer.php?{}", query(&[("u", &home(Channel::Facebook))])) },
        context! { name => "X", href => format!("https://x.com/intent/post?{}", query(&[("text", &text), ("url", &home(Channel::X))])) },
    ];
    let subject = i18n::text(locale, MessageId::CAMPAIGN_NAME);
    let email_href = format!(
        "mailto:?{}",
        query(&[
            ("subject", &subject),
            ("body", &format!("{text}\n{}", home(Channel::Email)))
        ])
    )
    .replace('+', "%20");
    let particular = context! {
        heading => MessageId::THANK_YOU_TITLE, body => MessageId::THANK_YOU_BODY, home => home(Channel::Link),
        networks => networks, email_href => email_href,
    };
    render(
        "share.html",
        &page_context(settings, locale, Page::ThankYou.path(), particular),
    )
}

pub fn embed_page(settings: &SiteSettings, locale: Locale) -> String {
    let snippet = format!(
        "<script src=\"{}/embed.js\" async></script>\n\
         <div data-people-first-count data-lang=\"{locale}\" data-goal=\"{}\"></div>",
        settings.origin, settings.goal
    );
    let frame = super::frame_snippet(&settings.origin, "CODE", locale);
    let particular = context! {
        snippet => snippet, goal => settings.goal, frame => frame, contact => settings.contact,
    };
    render(
        "embed.html",
        &page_context(settings, locale, Page::Embed.path(), particular),
    )
}

/// The confirmed signatures on a world map, shaded live from the count; the countries' names in
/// the page's language go with it, for the table beside the map.
pub fn map_page(settings: &SiteSettings, locale: Locale) -> String {
    let names: serde_json::Map<String, serde_json::Value> =
        crate::domain::Country::all_by_name(locale)
            .iter()
            .map(|(country, name)| (country.code().to_owned(), (*name).into()))
            .collect();
    // The map loads after the page, into an empty map of its shape, so nothing moves.
    let view_box = WORLD_MAP
        .split_once("viewBox=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("0 0 960 470", |(view_box, _)| view_box);
    let particular = context! {
        names => serde_json::Value::Object(names).to_string(), view_box => view_box,
    };
    render(
        "map.html",
        &page_context(settings, locale, Page::Map.path(), particular),
    )
}

/// The page where an organisation asks to join the list.
pub fn organisations_page(settings: &SiteSettings, locale: Locale) -> String {
    let particular = context! {
        countries => crate::pages::country_options(locale), values => context! {}, errors => context! {},
        contact_days => crate::domain::retention::CONTACT_KEPT_AFTER_DECISION.in_days(),
    };
    render(
        "organisations.html",
        &page_context(settings, locale, Page::Organisations.path(), particular),
    )
}

/// Where an organisation's contact is sent after asking.
pub fn organisation_check_email_page(settings: &SiteSettings, locale: Locale) -> String {
    site_message_page(
        settings,
        locale,
        Page::OrganisationCheckEmail.path(),
        MessageId::CHECK_EMAIL_TITLE,
        MessageId::ORGANISATION_CHECK_EMAIL_BODY,
    )
}

/// The pages that show the supporters list, in every language: what an approval or a removal
/// re-renders.
pub fn supporter_pages(
    settings: &SiteSettings,
    supporters: &[crate::domain::Organisation],
) -> Vec<SiteFile> {
    Locale::ALL
        .iter()
        .map(|&locale| SiteFile {
            path: format!("{locale}/{}", Page::Home.file()),
            bytes: home_page(settings, locale, supporters).into_bytes(),
        })
        .collect()
}

/// Every file of the site, with the supporters list as it stands.
pub fn build(settings: &SiteSettings, supporters: &[crate::domain::Organisation]) -> Vec<SiteFile> {
    let mut files = vec![
        SiteFile {
            path: "assets/site.css".into(),
            bytes: STYLESHEET.into(),
        },
        SiteFile {
            path: "assets/site.js".into(),
            bytes: SCRIPT.into(),
        },
        SiteFile {
            path: "assets/share.png".into(),
            bytes: SHARE_IMAGE.into(),
        },
        SiteFile {
            path: "assets/map.js".into(),
            bytes: MAP_SCRIPT.into(),
        },
        SiteFile {
            path: "assets/world-map.svg".into(),
            bytes: WORLD_MAP.into(),
        },
        SiteFile {
            path: "favicon.svg".into(),
            bytes: FAVICON.into(),
        },
        SiteFile {
            path: "embed.js".into(),
            bytes: crate::pages::embed_script().into(),
        },
        SiteFile {
            path: "404.html".into(),
            bytes: not_found_page(settings, Locale::FALLBACK).into(),
        },
    ];
    for locale in Locale::ALL {
        let pages = [
            (Page::Home.file(), home_page(settings, locale, supporters)),
            (
                Page::Organisations.file(),
                organisations_page(settings, locale),
            ),
            (
                Page::OrganisationCheckEmail.file(),
                organisation_check_email_page(settings, locale),
            ),
            (
                Page::OrganisationConfirmed.file(),
                site_message_page(
                    settings,
                    locale,
                    Page::OrganisationConfirmed.path(),
                    MessageId::ORGANISATION_CONFIRMED_TITLE,
                    MessageId::ORGANISATION_CONFIRMED_BODY,
                ),
            ),
            (Page::CheckEmail.file(), check_email_page(settings, locale)),
            (Page::ThankYou.file(), thank_you_page(settings, locale)),
            (Page::Erased.file(), erased_page(settings, locale)),
            (
                Page::Withdrawn.file(),
                site_message_page(
                    settings,
                    locale,
                    Page::Withdrawn.path(),
                    MessageId::WITHDRAWN_TITLE,
                    MessageId::WITHDRAWN_BODY,
                ),
            ),
            (Page::Privacy.file(), privacy_page(settings, locale)),
            (Page::Embed.file(), embed_page(settings, locale)),
            (Page::Map.file(), map_page(settings, locale)),
            ("404.html".to_owned(), not_found_page(settings, locale)),
        ];
        for (page, html) in pages {
            files.push(SiteFile {
                path: format!("{locale}/{page}"),
                bytes: html.into_bytes(),
            });
        }
    }
    files
}

/// Writes the site under `root`, replacing what was there.
pub fn write(files: &[SiteFile], root: &Path) -> std::io::Result<()> {
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.bytes)?;
    }
    Ok(())
}
