//! What a browser may load from an answer of ours: the content security policies.

use crate::domain::challenge::Widget;

/// What a page of ours may load: its own files, nothing from elsewhere; and nobody may frame it.
/// The CDN sends the same, but a response that reaches a browser another way must be safe too.
pub const PAGE: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
    base-uri 'none'";
/// What an API answer that is no page may do: nothing.
pub const API: &str = "default-src 'none'; frame-ancestors 'none'";

/// The sign form's policy on a partner's page: as a page's, framed by those origins alone.
pub fn framed_by(origins: &[String], widget: Option<&Widget>) -> String {
    let page = widget.map_or_else(|| PAGE.to_owned(), page_with);
    let ancestors = if origins.is_empty() {
        "'none'".to_owned()
    } else {
        origins.join(" ")
    };
    page.replace(
        "frame-ancestors 'none'",
        &format!("frame-ancestors {ancestors}"),
    )
}

/// A page's policy when it shows the bot challenge's widget: the provider's script, and its
/// frame, are let in.
pub fn page_with(widget: &Widget) -> String {
    let provider = widget
        .script
        .split('/')
        .take(3)
        .collect::<Vec<_>>()
        .join("/");
    PAGE.replace(
        "script-src 'self'",
        &format!("script-src 'self' {provider}"),
    )
    .replace(
        "frame-ancestors",
        &format!("frame-src {provider}; frame-ancestors"),
    )
}
