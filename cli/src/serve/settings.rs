//! The local stack's settings: where it listens and keeps its data.

use anyhow::Context;
use people_first::keyring::Keyring;
use people_first::use_cases::mailing::MailSettings;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub struct Settings {
    pub address: SocketAddr,
    pub data_dir: PathBuf,
    pub public_url: Option<String>,
}

impl Settings {
    pub fn from_environment() -> anyhow::Result<Self> {
        let port = match std::env::var("PORT") {
            Ok(p) => p
                .parse::<u16>()
                .with_context(|| format!("PORT={p:?} is not a port number"))?,
            Err(_) => 3000,
        };
        Ok(Self {
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            data_dir: data_dir(),
            public_url: public_url()?,
        })
    }

    /// The `Host` values the local stack answers.
    pub fn hosts(&self, bound: SocketAddr) -> Vec<String> {
        let mut hosts = vec![bound.to_string(), format!("localhost:{}", bound.port())];
        if let Some(host) = self
            .public_url
            .as_deref()
            .and_then(|url| url.split("://").nth(1))
            .and_then(|rest| rest.split('/').next())
        {
            hosts.push(host.to_ascii_lowercase());
        }
        hosts
    }

    /// Where the local stack's pages are served from: its address by number and by name, the
    /// public address when one is set, and partners' from `PEOPLE_FIRST_PARTNER_ORIGINS`.
    pub fn sign_origins(&self, bound: SocketAddr) -> people_first::http::origin::SignOrigins {
        let own = [
            format!("http://{bound}"),
            format!("http://localhost:{}", bound.port()),
        ];
        let partners = std::env::var("PEOPLE_FIRST_PARTNER_ORIGINS").unwrap_or_default();
        people_first::http::origin::SignOrigins::new(
            own.iter()
                .map(String::as_str)
                .chain(self.public_url.as_deref())
                .chain(partners.split(',')),
        )
    }

    pub fn mail(&self, bound: SocketAddr) -> MailSettings {
        MailSettings {
            public_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{bound}")),
            sender: "People First <signatures@people-first.localhost>".into(),
            contact: "privacy@people-first.localhost".into(),
            wording: &people_first::pages::Emails,
        }
    }
}

/// The site's address when `PEOPLE_FIRST_PUBLIC_URL` sets one (checked as on AWS), else none:
/// the local stack's own address then.
pub fn public_url() -> anyhow::Result<Option<String>> {
    match people_first::config::public_url() {
        Ok(url) => Ok(Some(url)),
        Err(people_first::config::ConfigError::Missing(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Where the local stack tells staff that an organisation waits: its outbox shows the email.
pub fn moderation_address() -> people_first::domain::Email {
    people_first::domain::Email::parse("moderation@people-first.localhost")
        .expect("a valid address")
}

/// The local stack's secret key: made on first start, kept with the data so links and signer
/// keys stay valid across restarts.
pub fn local_keyring(data_dir: &Path) -> anyhow::Result<Keyring> {
    let path = data_dir.join("secret.key");
    if !path.exists() {
        std::fs::create_dir_all(data_dir)?;
        std::fs::write(&path, Keyring::new_master_hex())
            .with_context(|| format!("cannot write {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    let hex = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Keyring::from_hex(&hex).with_context(|| format!("{} is not a valid key", path.display()))
}

/// Where the local stack keeps its data.
pub fn data_dir() -> PathBuf {
    std::env::var_os("PEOPLE_FIRST_DATA_DIR").map_or_else(|| PathBuf::from(".local"), PathBuf::from)
}
