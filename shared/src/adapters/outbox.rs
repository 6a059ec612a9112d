//! The local stack's mail: each email a JSON file in a folder, read back by the `/_dev/mail`
//! viewer.

use crate::domain::Timestamp;
use crate::ports::{MailError, Mailer, OutgoingEmail};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One email as the viewer shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SentEmail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub list_unsubscribe: String,
    /// `List-Unsubscribe-Post`, when a POST to the link unsubscribes at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_unsubscribe_post: Option<String>,
    pub sent_at: String,
}

pub struct Outbox {
    dir: PathBuf,
    sent: AtomicU64,
}

impl Outbox {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_owned(),
            sent: AtomicU64::new(0),
        })
    }

    /// Every email, newest first, and the names of files that are not a readable email (written
    /// by an older version, or damaged on disk): one bad file never hides the others.
    pub fn list(&self) -> Listing {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        names.retain(|p| p.extension().is_some_and(|x| x == "json"));
        names.sort_unstable_by(|a, b| b.cmp(a));
        let mut listing = Listing::default();
        for path in names {
            match std::fs::read(&path).map(|bytes| serde_json::from_slice(&bytes)) {
                Ok(Ok(email)) => listing.mail.push(email),
                _ => listing.unreadable.push(
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                ),
            }
        }
        listing
    }
}

/// What the outbox holds.
#[derive(Debug, Default)]
pub struct Listing {
    pub mail: Vec<SentEmail>,
    pub unreadable: Vec<String>,
}

#[async_trait]
impl Mailer for Outbox {
    async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let seconds = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
        let sent = SentEmail {
            to: email.to.as_str().to_owned(),
            from: email.from.clone(),
            subject: email.subject.clone(),
            text: email.text.clone(),
            html: email.html.clone(),
            list_unsubscribe: email.list_unsubscribe.clone(),
            list_unsubscribe_post: email.one_click.then(|| super::ses::ONE_CLICK.to_owned()),
            sent_at: Timestamp::from_unix_seconds(seconds).to_rfc3339(),
        };
        // Names sort in sending order: nanoseconds, then a counter for the same nanosecond.
        let n = self.sent.fetch_add(1, Ordering::Relaxed);
        let name = format!("{:020}-{n:06}", now.as_nanos());
        let bytes =
            serde_json::to_vec_pretty(&sent).map_err(|e| MailError::Rejected(e.to_string()))?;
        // Written aside, then renamed: a crash mid-write leaves no torn email, only a stray
        // `.partial` file the viewer ignores.
        let partial = self.dir.join(format!("{name}.partial"));
        let unavailable = |e: std::io::Error| MailError::Unavailable(e.to_string());
        tokio::fs::write(&partial, bytes)
            .await
            .map_err(unavailable)?;
        tokio::fs::rename(&partial, self.dir.join(format!("{name}.json")))
            .await
            .map_err(unavailable)
    }
}
