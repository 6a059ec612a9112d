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

    /// Every email, newest first.
    pub fn list(&self) -> std::io::Result<Vec<SentEmail>> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort_unstable_by(|a, b| b.cmp(a));
        names
            .iter()
            .map(|p| {
                let bytes = std::fs::read(p)?;
                serde_json::from_slice(&bytes).map_err(std::io::Error::other)
            })
            .collect()
    }
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
            sent_at: Timestamp::from_unix_seconds(seconds).to_rfc3339(),
        };
        // Names sort in sending order: nanoseconds, then a counter for the same nanosecond.
        let n = self.sent.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(format!("{:020}-{n:06}.json", now.as_nanos()));
        let bytes =
            serde_json::to_vec_pretty(&sent).map_err(|e| MailError::Rejected(e.to_string()))?;
        tokio::fs::write(&path, bytes)
            .await
            .map_err(|e| MailError::Unavailable(e.to_string()))
    }
}
