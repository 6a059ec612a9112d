//! A campaign update as staff write it, one Markdown file per language: its first line is the
//! subject (`# …`), the rest the body.

/// The longest subject: mail clients cut longer ones, and spam filters frown on them.
pub const SUBJECT_LIMIT: usize = 120;

/// One language's text of an update.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpdateText {
    pub subject: String,
    /// Markdown, as written: the email's plain text, and the source of its HTML.
    pub body: String,
}

/// Why a file is not an update's text; said to staff, in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateTextError {
    #[error("the first line must be the subject, as `# Subject`")]
    NoSubject,
    #[error("the subject is longer than {SUBJECT_LIMIT} characters")]
    LongSubject,
    #[error("there is nothing below the subject")]
    NoBody,
}

impl UpdateText {
    pub fn parse(markdown: &str) -> Result<Self, UpdateTextError> {
        let markdown = markdown.strip_prefix('\u{feff}').unwrap_or(markdown);
        let (first, rest) = markdown.split_once('\n').unwrap_or((markdown, ""));
        let subject = first
            .strip_prefix("# ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(UpdateTextError::NoSubject)?;
        if subject.chars().count() > SUBJECT_LIMIT {
            return Err(UpdateTextError::LongSubject);
        }
        let body = rest.trim();
        if body.is_empty() {
            return Err(UpdateTextError::NoBody);
        }
        Ok(Self {
            subject: subject.to_owned(),
            body: body.replace("\r\n", "\n"),
        })
    }
}

/// An update's number, from 1 on in the order staff sent them: staff name an update by it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct UpdateNumber(u32);

impl UpdateNumber {
    pub const FIRST: Self = Self(1);

    pub const fn new(n: u32) -> Self {
        Self(n)
    }

    pub const fn get(self) -> u32 {
        self.0
    }

    #[must_use]
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl std::fmt::Display for UpdateNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for UpdateNumber {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Self)
    }
}

/// What became of an update's emails, as its sender and SES's feedback count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpdateCounts {
    /// SES took them.
    #[serde(default)]
    pub sent: u64,
    /// SES refused them for good.
    #[serde(default)]
    pub refused: u64,
    #[serde(default)]
    pub bounced: u64,
    #[serde(default)]
    pub complained: u64,
    /// Stopped the updates from this one's link.
    #[serde(default)]
    pub unsubscribed: u64,
}

impl UpdateCounts {
    pub fn add(&mut self, other: &Self) {
        self.sent += other.sent;
        self.refused += other.refused;
        self.bounced += other.bounced;
        self.complained += other.complained;
        self.unsubscribed += other.unsubscribed;
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// An update as staff sent it, and how far its sending went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub number: UpdateNumber,
    /// Its text in each language staff wrote it in: English at least.
    pub texts: std::collections::BTreeMap<super::Locale, UpdateText>,
    pub sent_at: super::Timestamp,
    /// Where the read of the signatures goes on; none before the first page.
    pub from: Option<String>,
    /// Every signer was read: nothing more goes out.
    pub done: bool,
    pub counts: UpdateCounts,
}

impl Update {
    /// The text a signer reading `locale` gets: theirs, or English.
    pub fn text_for(&self, locale: super::Locale) -> Option<&UpdateText> {
        self.texts
            .get(&locale)
            .or_else(|| self.texts.get(&super::Locale::FALLBACK))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_subject_and_the_rest_the_body() {
        let text = UpdateText::parse("# Сто тисяч підписів\n\nДякуємо!\r\n\nДалі — **Женева**.\n")
            .unwrap();
        assert_eq!(text.subject, "Сто тисяч підписів");
        assert_eq!(text.body, "Дякуємо!\n\nДалі — **Женева**.");
    }

    #[test]
    fn a_text_without_a_subject_or_a_body_is_refused() {
        assert_eq!(
            UpdateText::parse("Hello\n\nbody"),
            Err(UpdateTextError::NoSubject)
        );
        assert_eq!(
            UpdateText::parse("#  \n\nbody"),
            Err(UpdateTextError::NoSubject)
        );
        assert_eq!(
            UpdateText::parse("# Subject\n\n  \n"),
            Err(UpdateTextError::NoBody)
        );
        let long = format!("# {}\n\nbody", "a".repeat(SUBJECT_LIMIT + 1));
        assert_eq!(UpdateText::parse(&long), Err(UpdateTextError::LongSubject));
    }
}
