//! A campaign update's email in its reader's language: staff's Markdown as the plain text, and
//! as HTML with nothing in it that staff did not write as prose (no raw HTML, no link but a
//! web or mail address), and a footer with the one-click unsubscribe and the erasure links.

use super::render;
use crate::domain::{Locale, UpdateText};
use crate::ports::Words;
use minijinja::context;
use minijinja::value::Value;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Whether a link may stay a link: a web page or a mail address, never a script.
fn safe_link(destination: &str) -> bool {
    let lower = destination.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// The body's HTML. Raw HTML is shown as the text it is; a link to anything but a web or mail
/// address keeps its words and loses its target.
fn body_html(markdown: &str) -> String {
    let mut unsafe_links = 0usize;
    let events = Parser::new(markdown).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe_link(dest_url) => {
            unsafe_links += 1;
            None
        }
        Event::End(TagEnd::Link) if unsafe_links > 0 => {
            unsafe_links -= 1;
            None
        }
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// The update's email to one signer: `unsubscribe` stops the updates at once, `erase` the link
/// every email of ours carries.
pub fn update_email(locale: Locale, update: &UpdateText, unsubscribe: &str, erase: &str) -> Words {
    let context = context! {
        locale => locale.code(),
        subject => &update.subject,
        body => &update.body,
        body_html => Value::from_safe_string(body_html(&update.body)),
        unsubscribe => unsubscribe,
        erase => erase,
    };
    Words {
        subject: update.subject.clone(),
        text: render("email/update.txt", &context),
        html: render("email/update.html", &context),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(body: &str) -> UpdateText {
        UpdateText::parse(&format!("# News\n\n{body}")).unwrap()
    }

    #[test]
    fn staff_prose_becomes_html_and_nothing_else_does() {
        let html = body_html(
            "**Geneva**, [the appeal](https://example.org/a) <script>alert(1)</script>\n\n\
             [click](javascript:alert(1)) ![pixel](https://tracker.example/p.gif)",
        );
        assert!(html.contains("<strong>Geneva</strong>"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.org/a\">the appeal</a>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("click"), "the words stay: {html}");
        assert!(
            !html.contains("tracker.example"),
            "no image, so no pixel: {html}"
        );
    }

    #[test]
    fn every_language_says_why_and_gives_both_links() {
        for locale in Locale::ALL {
            let words = update_email(
                locale,
                &update("Thank you."),
                "https://site.example/unsubscribe",
                "https://site.example/erase",
            );
            assert_eq!(words.subject, "News");
            // The template writes a link's slashes as HTML entities, which mail clients read
            // back as slashes.
            for part in [words.text.clone(), words.html.replace("&#x2f;", "/")] {
                assert!(part.contains("Thank you."), "{part}");
                assert!(part.contains("https://site.example/unsubscribe"), "{part}");
                assert!(part.contains("https://site.example/erase"), "{part}");
            }
            assert!(words.html.contains(&format!("lang=\"{}\"", locale.code())));
        }
    }
}
