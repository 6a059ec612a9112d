//! `people-first supporters …`: the organisations asking to join the list, and the list.
//! Nothing is public before a person approves it here.

use anyhow::Context;
use clap::Subcommand;
use people_first::adapters::clock::SystemClock;
use people_first::domain::{FrameOrigin, Locale, OrganisationId, OrganisationName, Standing};
use people_first::ports::Mailer;
use people_first::use_cases::supporters::{self, Moderation, ModerationError, SupportSettings};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Requests their contact confirmed, waiting for a decision, with what helps decide: the
    /// website's domain against the contact's email domain, and names already on the list
    Pending,
    /// Put a waiting organisation on the list (at its end), and tell its contact
    Approve {
        id: String,
        /// Its name in another language, as LANG=NAME (for example --name de="Zentrum …");
        /// may be given for several languages
        #[arg(long = "name", value_parser = language_and_name)]
        names: Vec<(Locale, OrganisationName)>,
    },
    /// Refuse a waiting organisation: it never appears, and its contact is told
    Reject { id: String },
    /// Take an organisation off the list
    Remove { id: String },
    /// The list, in the order the site shows it
    List,
    /// Delete an organisation's contact at once, on the contact's request
    Forget { id: String },
    /// The sites, beside its website, that may frame the sign form for a partner (for example
    /// https://blog.example.org): replaces the list, and none clears it. Prints what the
    /// partner pastes.
    Frame {
        id: String,
        #[arg(value_parser = frame_origin)]
        origins: Vec<FrameOrigin>,
    },
}

fn frame_origin(raw: &str) -> Result<FrameOrigin, String> {
    FrameOrigin::parse(raw)
        .map_err(|_| format!("{raw} is not a site's address: write it as https://host[:port]"))
}

fn language_and_name(raw: &str) -> Result<(Locale, OrganisationName), String> {
    let (lang, name) = raw
        .split_once('=')
        .ok_or("write it as LANG=NAME, for example de=\"Zentrum für bürgerliche Freiheiten\"")?;
    let locale = Locale::parse(lang).map_err(|_| {
        let codes: Vec<&str> = Locale::ALL.iter().map(|l| l.code()).collect();
        format!("{lang} is not one of {}", codes.join(", "))
    })?;
    let name = OrganisationName::parse(name).map_err(|e| format!("the name is {e}"))?;
    Ok((locale, name))
}

/// Where outcome emails go, and where moderators are told.
async fn mailer_and_settings() -> anyhow::Result<(Box<dyn Mailer>, SupportSettings)> {
    let (mailer, mail) = super::staff::mailer().await?;
    let moderation = if people_first::config::table().is_ok() {
        people_first::config::moderation_address()?
    } else {
        Some(super::serve::moderation_address())
    };
    Ok((mailer, SupportSettings { mail, moderation }))
}

fn id(raw: &str) -> anyhow::Result<OrganisationId> {
    OrganisationId::parse(raw).map_err(|_| anyhow::anyhow!("{raw} is not an organisation's id"))
}

#[tokio::main]
pub async fn run(target: &super::staff::Target, command: Command) -> anyhow::Result<ExitCode> {
    let (store, place) = super::staff::open(target).await?;
    let store = store.as_supporters();
    match command {
        Command::Pending => {
            let reviews = supporters::pending(store, &SystemClock).await?;
            if reviews.is_empty() {
                println!("No organisation waits for a decision in {place}.");
            }
            for review in reviews {
                let o = &review.organisation;
                println!("{}  {}", o.id, o.name_in(o.locale));
                println!("    asked {} in {}", o.requested_at.to_rfc3339(), o.locale);
                if let Some(country) = &o.country {
                    println!("    country  {}", country.name(Locale::En));
                }
                if let Some(website) = &o.website {
                    println!("    website  {}", website.as_str());
                }
                match &review.contact {
                    Some(contact) => println!(
                        "    contact  {} <{}>, {}",
                        contact.name.as_str(),
                        contact.email.as_str(),
                        if review.domains_match {
                            "an address at the website's domain"
                        } else {
                            "NOT an address at the website's domain"
                        }
                    ),
                    None => println!("    contact  forgotten"),
                }
                if !review.resembles.is_empty() {
                    let others: Vec<String> = review
                        .resembles
                        .iter()
                        .map(|(id, standing)| {
                            format!("{id} ({})", format!("{standing:?}").to_lowercase())
                        })
                        .collect();
                    println!(
                        "    LOOKS LIKE {}: the same name to the eye, or the same website",
                        others.join(", ")
                    );
                }
            }
        }
        Command::List => {
            let list = supporters::list(store).await?;
            println!("{} organisations on the list in {place}:", list.len());
            for o in list {
                println!("{}  {}", o.id, o.name_in(Locale::En));
            }
        }
        Command::Forget { id: raw } => {
            if store.forget_contact(&id(&raw)?).await? {
                println!("The contact of {raw} is deleted.");
            } else {
                println!("{raw} has no contact to delete.");
            }
        }
        Command::Frame { id: raw, origins } => return frame(store, &raw, &origins).await,
        Command::Approve { id: raw, names } => {
            return decide(store, &raw, &Moderation::Approve(names), "is on the list").await;
        }
        Command::Reject { id: raw } => {
            return decide(store, &raw, &Moderation::Reject, "is rejected").await;
        }
        Command::Remove { id: raw } => {
            return decide(store, &raw, &Moderation::Remove, "is off the list").await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists the sites that may frame the form for a partner, and prints what the partner pastes.
async fn frame(
    store: &dyn people_first::ports::SupporterStore,
    raw: &str,
    origins: &[FrameOrigin],
) -> anyhow::Result<ExitCode> {
    let id = id(raw)?;
    if !store.set_frame_origins(&id, origins).await? {
        eprintln!("people-first: no organisation has the id {raw}");
        return Ok(ExitCode::FAILURE);
    }
    let (organisation, _) = store.organisation(&id).await?.context("just written")?;
    let ancestors = organisation.frame_ancestors();
    if ancestors.is_empty() {
        println!(
            "No site may frame the sign form for {raw}: it has no website, and none is listed."
        );
    } else {
        println!("These sites may frame the sign form for {raw}:");
        for origin in &ancestors {
            println!("  {origin}");
        }
    }
    let (_, settings) = mailer_and_settings().await?;
    let snippet =
        people_first::pages::frame_snippet(&settings.mail.public_url, id.as_str(), Locale::En);
    println!("What the partner pastes where the form should appear (lang: fr, en, uk, ru or de):");
    println!("{snippet}");
    println!("The frame follows the list within six minutes (the local stack: within one).");
    Ok(ExitCode::SUCCESS)
}

async fn decide(
    store: &dyn people_first::ports::SupporterStore,
    raw: &str,
    moderation: &Moderation,
    done: &str,
) -> anyhow::Result<ExitCode> {
    let (mailer, settings) = mailer_and_settings().await?;
    let decided = supporters::moderate(
        store,
        mailer.as_ref(),
        &SystemClock,
        &settings,
        &id(raw)?,
        moderation,
    )
    .await;
    match decided {
        Ok(decision) => {
            let o = &decision.organisation;
            println!("{} ({}) {done}.", o.name_in(o.locale), o.id);
            if o.standing != Standing::Removed {
                println!(
                    "{}",
                    if decision.contact_told {
                        "Its contact has been told."
                    } else {
                        "Its contact could NOT be told (forgotten, or the email failed)."
                    }
                );
            }
            if matches!(o.standing, Standing::Approved | Standing::Removed) {
                println!(
                    "The site's pages show the list as it now stands within a minute (the local stack: when it starts)."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ModerationError::Store(e)) => Err(e).context("cannot reach the table"),
        Err(e) => {
            eprintln!("people-first: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
