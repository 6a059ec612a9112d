//! A campaign update as staff write it, one Markdown file per language: its first line is the
//! subject (`# …`), the rest the body.

/// The longest subject: mail clients cut longer ones, and spam filters frown on them.
pub const SUBJECT_LIMIT: usize = 120;

/// One language's text of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
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
