//! The optional bot challenge (Cloudflare Turnstile or hCaptcha): off by default, switched on by
//! configuration when a flood of fakes calls for it. The page shows the provider's widget; the
//! handlers ask the provider, through the `Challenge` port, whether the widget's answer is
//! genuine.

/// The providers the site and the functions know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Turnstile,
    HCaptcha,
}

impl Provider {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "turnstile" => Some(Self::Turnstile),
            "hcaptcha" => Some(Self::HCaptcha),
            _ => None,
        }
    }

    /// Where the provider checks an answer, server to server.
    pub fn verify_url(self) -> &'static str {
        match self {
            Self::Turnstile => "https://challenges.cloudflare.com/turnstile/v0/siteverify",
            Self::HCaptcha => "https://api.hcaptcha.com/siteverify",
        }
    }

    /// The script the page loads to show the widget.
    pub fn script_url(self) -> &'static str {
        match self {
            Self::Turnstile => "https://challenges.cloudflare.com/turnstile/v0/api.js",
            Self::HCaptcha => "https://js.hcaptcha.com/1/api.js",
        }
    }

    /// The check's name and its company, as the privacy policy names them.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::Turnstile => ("Cloudflare Turnstile", "Cloudflare, Inc."),
            Self::HCaptcha => ("hCaptcha", "Intuition Machines, Inc."),
        }
    }

    /// The class of the element the provider's script fills with its widget.
    pub fn widget_class(self) -> &'static str {
        match self {
            Self::Turnstile => "cf-turnstile",
            Self::HCaptcha => "h-captcha",
        }
    }

    /// The form field the widget writes its answer into.
    pub fn response_field(self) -> &'static str {
        match self {
            Self::Turnstile => "cf-turnstile-response",
            Self::HCaptcha => "h-captcha-response",
        }
    }
}

/// What the page needs to show the widget.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Widget {
    #[serde(skip)]
    pub provider: Provider,
    /// The provider's public key for this site.
    pub site_key: String,
    pub script: &'static str,
    pub class: &'static str,
    /// How the privacy policy names the check, and the company that runs it.
    pub name: &'static str,
    pub company: &'static str,
}

impl Widget {
    pub fn new(provider: Provider, site_key: String) -> Self {
        Self {
            provider,
            site_key,
            script: provider.script_url(),
            class: provider.widget_class(),
            name: provider.names().0,
            company: provider.names().1,
        }
    }
}

/// What tells a person from a bot in a form of ours, whichever form it is.
pub trait BotSignals {
    /// The honeypot field: people leave it empty, simple bots fill it.
    fn honeypot(&self) -> Option<&str>;
    /// Milliseconds between showing the form and sending it, as the page's script measured them.
    fn elapsed(&self) -> Option<u64>;
    /// The challenge widget's answer under each name it may be sent with.
    fn challenge_answers(&self) -> [Option<&str>; 3];

    /// A filled honeypot, or a form sent faster than a person can. Bots get the answer a person
    /// gets, so they learn nothing, and nothing is stored or sent.
    fn is_bot(&self) -> bool {
        let honeypot = self.honeypot().is_some_and(|h| !h.trim().is_empty());
        honeypot || self.elapsed().is_some_and(|ms| ms < MIN_FILL_MILLIS)
    }

    /// The challenge widget's answer, however it was sent; empty when none was.
    fn challenge_answer(&self) -> &str {
        self.challenge_answers()
            .into_iter()
            .find_map(|answer| answer.filter(|a| !a.is_empty()))
            .unwrap_or_default()
    }
}

/// Faster than any person fills a form, even with the browser's autofill.
pub const MIN_FILL_MILLIS: u64 = 1500;
