//! Staff's moderation: the requests waiting with what helps decide them, and the decision
//! carried out and told.

use super::contact::kept;
use super::{DAY, REJECTED_KEPT_DAYS, SupportSettings, notice};
use crate::domain::retention::CONTACT_KEPT_AFTER_DECISION;
use crate::domain::{
    Contact, Locale, Organisation, OrganisationId, OrganisationName, Standing, Timestamp, Website,
};
use crate::ports::Clock;
use crate::ports::{Mailer, Notice, StoreError, SupporterStore};

#[derive(Debug, thiserror::Error)]
pub enum ModerationError {
    #[error("no organisation has the id {0}")]
    Unknown(OrganisationId),
    #[error("{0} is {1:?}, not {2:?}")]
    Standing(OrganisationId, Standing, Standing),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What moderation did, and whether the contact heard of it.
#[derive(Debug)]
pub struct Decision {
    pub organisation: Organisation,
    /// The contact was told in their language; false when they had been forgotten or the
    /// email failed (the error is logged).
    pub contact_told: bool,
}

/// A waiting request with what helps decide it.
#[derive(Debug)]
pub struct Review {
    pub organisation: Organisation,
    pub contact: Option<Contact>,
    /// The website's domain is the contact's email domain, or one is under the other.
    pub domains_match: bool,
    /// Other organisations, listed, waiting, rejected or removed, whose name looks like one of
    /// this one's, or whose website is at the same domain: an impostor, or a refusal asking again.
    pub resembles: Vec<(OrganisationId, Standing)>,
}

/// How a name looks, whatever its case, script or spacing: Unicode's confusable skeleton
/// (UTS #39), so "Меmorial" with a Cyrillic М and е looks like "Memorial", and "Memoria1" too.
pub(super) fn looks(name: &str) -> String {
    use unicode_security::skeleton;
    // Letters of other scripts as the Latin ones they look like first (a Cyrillic М is an M,
    // whose small form is not an м), then case folded, then the whole compared as it looks.
    let latin: String = name
        .chars()
        .flat_map(|c| {
            let mut one = [0; 4];
            let looks_like: String = if c.is_ascii() {
                c.to_string()
            } else {
                skeleton(c.encode_utf8(&mut one)).collect()
            };
            looks_like.to_lowercase().chars().collect::<Vec<_>>()
        })
        .collect();
    skeleton(&latin)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The requests waiting for a person, oldest first.
pub async fn pending(
    store: &dyn SupporterStore,
    clock: &dyn Clock,
) -> Result<Vec<Review>, StoreError> {
    let now = clock.now();
    // Every standing: a request is compared with the approved and the refused.
    let all = store.organisations().await?;
    let mut reviews = Vec::new();
    let mut waiting: Vec<&Organisation> = all
        .iter()
        .filter(|o| o.standing == Standing::Waiting)
        .collect();
    waiting.sort_by_key(|o| o.requested_at);
    for organisation in waiting {
        let contact = kept(
            store
                .organisation(&organisation.id)
                .await?
                .and_then(|(_, contact)| contact),
            now,
        );
        let domains_match = match (&organisation.website, &contact) {
            (Some(website), Some(contact)) => {
                let site = website.domain();
                let mail = contact
                    .email
                    .as_str()
                    .rsplit_once('@')
                    .map(|(_, d)| d.to_lowercase())
                    .unwrap_or_default();
                site == mail
                    || site.ends_with(&format!(".{mail}"))
                    || mail.ends_with(&format!(".{site}"))
            }
            _ => false,
        };
        let names: Vec<String> = organisation
            .names
            .values()
            .map(|n| looks(n.as_str()))
            .collect();
        let domain = organisation.website.as_ref().map(Website::domain);
        let resembles = all
            .iter()
            .filter(|other| other.id != organisation.id && other.standing != Standing::Unconfirmed)
            .filter(|other| {
                other
                    .names
                    .values()
                    .any(|n| names.contains(&looks(n.as_str())))
                    || (domain.is_some() && other.website.as_ref().map(Website::domain) == domain)
            })
            .map(|other| (other.id.clone(), other.standing))
            .collect();
        reviews.push(Review {
            organisation: organisation.clone(),
            contact,
            domains_match,
            resembles,
        });
    }
    Ok(reviews)
}

/// The public list, in its order.
pub async fn list(store: &dyn SupporterStore) -> Result<Vec<Organisation>, StoreError> {
    let all = store.organisations_in(Standing::Approved).await?;
    Ok(crate::domain::supporters_list(&all)
        .into_iter()
        .cloned()
        .collect())
}

/// What a person decides about an organisation.
#[derive(Debug, Clone)]
pub enum Moderation {
    /// A waiting request joins the end of the list, with its name in other languages if given,
    /// and its contact is told.
    Approve(Vec<(Locale, OrganisationName)>),
    /// A waiting request is never shown, and its contact is told.
    Reject,
    /// An organisation is taken off the list (on its own request, or the campaign's).
    Remove,
}

impl Moderation {
    /// Where the organisation must stand for this decision.
    fn from(&self) -> Standing {
        match self {
            Self::Approve(_) | Self::Reject => Standing::Waiting,
            Self::Remove => Standing::Approved,
        }
    }

    /// What the email that tells the contact says, naming the organisation as given; an
    /// approval gives its code, and the page at `embed` that shows what to do with it.
    fn outcome(
        &self,
        organisation: String,
        code: &OrganisationId,
        embed: String,
    ) -> Option<Notice> {
        match self {
            Self::Approve(_) => Some(Notice::Approved {
                organisation,
                code: code.to_string(),
                embed,
            }),
            Self::Reject => Some(Notice::Rejected { organisation }),
            Self::Remove => None,
        }
    }

    fn apply(&self, organisation: &mut Organisation, now: Timestamp) {
        organisation.decided_at = Some(now);
        match self {
            Self::Approve(names) => {
                organisation.standing = Standing::Approved;
                // After the first supporters (positions 1 to 36), in the order of approval.
                organisation.position = now.unix_seconds();
                for (locale, name) in names {
                    organisation.names.insert(*locale, name.clone());
                }
            }
            Self::Reject => {
                organisation.standing = Standing::Rejected;
                organisation.expires_at = Some(now.plus_seconds(REJECTED_KEPT_DAYS * DAY));
            }
            Self::Remove => organisation.standing = Standing::Removed,
        }
    }
}

/// Carries out a person's decision, and tells the contact when there is one to tell.
pub async fn moderate(
    store: &dyn SupporterStore,
    mailer: &dyn Mailer,
    clock: &dyn Clock,
    settings: &SupportSettings,
    id: &OrganisationId,
    moderation: &Moderation,
) -> Result<Decision, ModerationError> {
    let now = clock.now();
    let from = moderation.from();
    let Some((mut organisation, contact)) = store.organisation(id).await? else {
        return Err(ModerationError::Unknown(id.clone()));
    };
    if organisation.standing != from {
        return Err(ModerationError::Standing(
            id.clone(),
            organisation.standing,
            from,
        ));
    }
    let contact = kept(contact, now);
    moderation.apply(&mut organisation, now);
    let forget_contact_at = now.plus_seconds(CONTACT_KEPT_AFTER_DECISION.seconds());
    if !store.decide(&organisation, from, forget_contact_at).await? {
        let standing = store
            .organisation(id)
            .await?
            .map_or(from, |(o, _)| o.standing);
        return Err(ModerationError::Standing(id.clone(), standing, from));
    }
    let contact_told = match contact {
        Some(contact) => tell_outcome(mailer, settings, &organisation, &contact, moderation).await,
        None => false,
    };
    Ok(Decision {
        organisation,
        contact_told,
    })
}

/// Tells a contact what was decided, in their language; false when the email failed, or when
/// nothing is told (a removal).
async fn tell_outcome(
    mailer: &dyn Mailer,
    settings: &SupportSettings,
    organisation: &Organisation,
    contact: &Contact,
    moderation: &Moderation,
) -> bool {
    let locale = contact.locale;
    let embed = format!(
        "{}{}",
        settings.mail.public_url,
        crate::domain::routes::Page::Embed.at(locale)
    );
    let name = organisation.name_in(locale).to_owned();
    let Some(outcome) = moderation.outcome(name, &organisation.id, embed) else {
        return false;
    };
    let email = notice(&settings.mail, contact.email.clone(), locale, &outcome);
    match mailer.send(&email).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "the contact was not told of the decision");
            false
        }
    }
}
