//! `people-first updates`: campaign updates, written by staff as one Markdown file per language
//! in a folder (`en.md`, `fr.md`, `uk.md`, `ru.md`, `de.md`), the first line of each the
//! subject (`# …`). English is the one every signer can be sent: a language without its file
//! gets the English text. `send` only writes the update: the follow-up mail sends it, one email
//! per signer who asked, after the confirmation emails.

use super::staff::Target;
use anyhow::Context;
use people_first::domain::{Locale, Update, UpdateNumber, UpdateText};
use people_first::ports::Clock;
use people_first::use_cases::follow_up::wants_update;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Render each language's email, text and HTML, into files to open, with sample links
    Preview {
        /// The update's folder
        dir: PathBuf,
        /// Where to write the previews (the update's folder's `preview/` when absent)
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Send one email of the update to ADDRESS, in one language, with links that lead nowhere
    Test {
        dir: PathBuf,
        #[arg(long)]
        to: String,
        /// Its language (en when absent)
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Send the update to every confirmed signer who asked for the campaign's updates, after
    /// asking; one update goes at a time
    Send {
        dir: PathBuf,
        /// Do not ask first
        #[arg(long)]
        yes: bool,
    },
    /// What became of an update's emails (the last update when no number is given)
    Status { number: Option<u32> },
}

/// The update's texts by language, read from `dir`; the languages that will get English.
pub fn read(dir: &Path) -> anyhow::Result<(BTreeMap<Locale, UpdateText>, Vec<Locale>)> {
    let mut texts = BTreeMap::new();
    let mut missing = Vec::new();
    for locale in Locale::ALL {
        let path = dir.join(format!("{}.md", locale.code()));
        match std::fs::read_to_string(&path) {
            Ok(markdown) => {
                let text = UpdateText::parse(&markdown)
                    .with_context(|| format!("{} is not an update's text", path.display()))?;
                texts.insert(locale, text);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => missing.push(locale),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }
    if !texts.contains_key(&Locale::FALLBACK) {
        anyhow::bail!(
            "{} has no {}.md: every signer must be sent at least the English text",
            dir.display(),
            Locale::FALLBACK.code()
        );
    }
    Ok((texts, missing))
}

pub fn run(
    command: &Command,
    target: impl FnOnce() -> anyhow::Result<Target>,
) -> anyhow::Result<()> {
    match command {
        Command::Preview { dir, output } => preview(dir, output.as_deref()),
        Command::Test { dir, to, lang } => test(dir, to, lang),
        Command::Send { dir, yes } => send(&target()?, dir, *yes),
        Command::Status { number } => status(&target()?, number.map(UpdateNumber::new)),
    }
}

/// Warns of the languages that will get the English text.
fn warn_of(missing: &[Locale]) {
    if !missing.is_empty() {
        let codes: Vec<&str> = missing.iter().map(|l| l.code()).collect();
        eprintln!(
            "warning: no text in {}: those signers would get the English text",
            codes.join(", ")
        );
    }
}

#[tokio::main]
async fn test(dir: &Path, to: &str, lang: &str) -> anyhow::Result<()> {
    let (texts, missing) = read(dir)?;
    let locale = Locale::parse(lang).map_err(|_| {
        let codes: Vec<&str> = Locale::ALL.iter().map(|l| l.code()).collect();
        anyhow::anyhow!("{lang} is not one of {}", codes.join(", "))
    })?;
    let to = people_first::domain::Email::parse(to)
        .map_err(|_| anyhow::anyhow!("{to} is not an email address"))?;
    let (mailer, settings) = super::staff::mailer().await?;
    let text = texts.get(&locale).unwrap_or(&texts[&Locale::FALLBACK]);
    // Links of a signature nobody has: a test's reader can follow them and change nothing.
    let unsubscribe =
        people_first::domain::routes::Api::Unsubscribe.link(&settings.public_url, "t=TEST");
    let erase = people_first::domain::routes::Api::Erase.link(&settings.public_url, "t=TEST");
    let words = people_first::pages::update_email(locale, text, &unsubscribe, &erase);
    let email = people_first::ports::OutgoingEmail {
        kind: people_first::ports::MailKind::Update,
        from: settings.sender.clone(),
        to,
        subject: words.subject,
        text: words.text,
        html: words.html,
        list_unsubscribe: format!(
            "<{unsubscribe}>, <mailto:{}?subject=unsubscribe>",
            settings.contact
        ),
        one_click: true,
        update: None,
    };
    mailer
        .send(&email)
        .await
        .map_err(|e| anyhow::anyhow!("the test email was not sent: {e}"))?;
    println!("Sent the {} text to {}.", locale.code(), email.to.as_str());
    warn_of(&missing);
    Ok(())
}

/// How many confirmed signers asked for the updates, by language.
async fn recipients(store: &dyn super::staff::StaffStore) -> anyhow::Result<BTreeMap<Locale, u64>> {
    let mut by_language = BTreeMap::new();
    super::staff::scan(store, |signature| {
        if wants_update(&signature) {
            *by_language.entry(signature.locale).or_insert(0) += 1;
        }
    })
    .await?;
    Ok(by_language)
}

fn in_languages(by_language: &BTreeMap<Locale, u64>) -> String {
    by_language
        .iter()
        .map(|(locale, n)| format!("{} {n}", locale.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::main]
async fn send(target: &Target, dir: &Path, yes: bool) -> anyhow::Result<()> {
    let (texts, missing) = read(dir)?;
    let (store, _) = super::staff::open(target).await?;
    if let Some(last) = store
        .as_updates()
        .latest_update()
        .await?
        .filter(|u| !u.done)
    {
        anyhow::bail!(
            "update {} is still sending: one goes at a time (people-first updates status {})",
            last.number,
            last.number
        );
    }
    let by_language = recipients(store.as_ref()).await?;
    let total: u64 = by_language.values().sum();
    warn_of(&missing);
    println!(
        "“{}” goes to {total} signers ({}).",
        texts[&Locale::FALLBACK].subject,
        in_languages(&by_language)
    );
    if !yes && !confirmed("Send it? [y/N] ")? {
        println!("Nothing was sent.");
        return Ok(());
    }
    let now = people_first::adapters::clock::SystemClock.now();
    match store.as_updates().add_update(&texts, now).await? {
        Ok(number) => {
            println!(
                "Update {number} is on its way: it goes after the confirmation emails, at the \
                 sending rate. See people-first updates status {number}."
            );
            Ok(())
        }
        Err(sending) => anyhow::bail!("update {sending} is still sending: one goes at a time"),
    }
}

/// Whether the person at the keyboard answers yes.
fn confirmed(question: &str) -> anyhow::Result<bool> {
    print!("{question}");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

#[tokio::main]
async fn status(target: &Target, number: Option<UpdateNumber>) -> anyhow::Result<()> {
    let (store, _) = super::staff::open(target).await?;
    let updates = store.as_updates();
    let update: Option<Update> = match number {
        Some(number) => updates.update(number).await?,
        None => updates.latest_update().await?,
    };
    let Some(update) = update else {
        anyhow::bail!(match number {
            Some(number) => format!("there is no update {number}"),
            None => "no update was sent yet".to_owned(),
        });
    };
    let claims = updates.claims(update.number).await?;
    // The claims say exactly what went while they are kept (a week); the update's counts,
    // made exact when the last signer was read, say it after.
    let c = &update.counts;
    let (sent, refused) = if claims == people_first::ports::Claims::default() {
        (c.sent, c.refused)
    } else {
        (claims.sent, claims.refused)
    };
    println!(
        "Update {}, sent {}",
        update.number,
        update.sent_at.to_rfc3339()
    );
    for (locale, text) in &update.texts {
        println!("  {}: {}", locale.code(), text.subject);
    }
    if update.done {
        println!("  every signer who asked was sent it");
    } else {
        let left = recipients(store.as_ref()).await?.values().sum::<u64>();
        let queued = left.saturating_sub(sent + refused + claims.unsettled);
        println!("  queued      about {queued} (sending)");
    }
    println!("  sent        {sent}");
    println!("  refused     {refused}");
    println!("  bounced     {}", c.bounced);
    println!("  complained  {}", c.complained);
    println!("  unsubscribed {}", c.unsubscribed);
    if claims.unsettled > 0 {
        println!(
            "  unsettled   {} (being sent, or lost with a sender that stopped between claiming \
             them and SES's answer)",
            claims.unsettled
        );
    }
    Ok(())
}

fn preview(dir: &Path, output: Option<&Path>) -> anyhow::Result<()> {
    let (texts, missing) = read(dir)?;
    let out = output.map_or_else(|| dir.join("preview"), Path::to_path_buf);
    std::fs::create_dir_all(&out).with_context(|| format!("cannot write {}", out.display()))?;
    // The site's own address where it is set, so the links read as they will.
    let site = match std::env::var_os("PEOPLE_FIRST_PUBLIC_URL") {
        Some(_) => people_first::config::public_url()?,
        None => "https://people1st.example".to_owned(),
    };
    let unsubscribe = people_first::domain::routes::Api::Unsubscribe.link(&site, "t=PREVIEW");
    let erase = people_first::domain::routes::Api::Erase.link(&site, "t=PREVIEW");
    for locale in Locale::ALL {
        let text = texts.get(&locale).unwrap_or(&texts[&Locale::FALLBACK]);
        let words = people_first::pages::update_email(locale, text, &unsubscribe, &erase);
        for (extension, body) in [("txt", &words.text), ("html", &words.html)] {
            let path = out.join(format!("{}.{extension}", locale.code()));
            std::fs::write(&path, format!("{}\n", body.trim_end()))
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        println!(
            "{}: “{}” in {}",
            locale.code(),
            words.subject,
            out.join(format!("{}.html", locale.code())).display()
        );
    }
    warn_of(&missing);
    Ok(())
}
