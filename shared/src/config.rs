//! Settings from the environment, read once when a function starts.

use crate::http::answer_time::AnswerTime;
use crate::http::edge::EdgeSecret;
use crate::keyring::Keyring;
use crate::use_cases::mailing::MailSettings;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{0} is invalid: {1}")]
    Invalid(&'static str, String),
}

pub fn required(name: &'static str) -> Result<String, ConfigError> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .ok_or(ConfigError::Missing(name))
}

/// The site's address, `PEOPLE_FIRST_PUBLIC_URL`, as every link, origin and check uses it: a
/// scheme and a host (and a port), without a trailing slash. The site lives at its root, so a
/// path would break every link, and is refused.
pub fn public_url() -> Result<String, ConfigError> {
    site_root(&required("PEOPLE_FIRST_PUBLIC_URL")?)
}

fn site_root(raw: &str) -> Result<String, ConfigError> {
    const NAME: &str = "PEOPLE_FIRST_PUBLIC_URL";
    let url = raw.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            ConfigError::Invalid(
                NAME,
                format!("{raw:?} does not start with https:// or http://"),
            )
        })?;
    if host.is_empty()
        || host.ends_with(':')
        || host.contains(['/', '?', '#', '@'])
        || host.contains(char::is_whitespace)
    {
        return Err(ConfigError::Invalid(
            NAME,
            format!("{raw:?} is not a site's root, as https://example.org"),
        ));
    }
    Ok(url.to_owned())
}

/// The host name of the site's address, without its port.
fn public_host() -> Result<String, ConfigError> {
    let url = public_url()?;
    let host = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    Ok(host.split(':').next().unwrap_or_default().to_owned())
}

/// The DynamoDB table holding signatures.
pub fn table() -> Result<String, ConfigError> {
    required("PEOPLE_FIRST_TABLE")
}

/// The SQS queue between the table's stream and the mailer.
pub fn mail_queue() -> Result<String, ConfigError> {
    required("PEOPLE_FIRST_MAIL_QUEUE")
}

fn positive(name: &'static str) -> Result<f64, ConfigError> {
    let raw = required(name)?;
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| *n > 0.0)
        .ok_or(ConfigError::Invalid(name, raw))
}

/// This instance's share of the account's SES rate: the rate over the most mailer instances
/// that run at once, both from the template.
pub fn sending_pace() -> Result<crate::use_cases::sending::Pace, ConfigError> {
    share_of_the_rate("PEOPLE_FIRST_MAILER_INSTANCES")
}

/// The follow-up mail's share of the rate: one mailer's, as many shares as mailers
/// (`PEOPLE_FIRST_RATE_SHARES`); it sends while they are idle.
pub fn follow_up_pace() -> Result<crate::use_cases::sending::Pace, ConfigError> {
    share_of_the_rate("PEOPLE_FIRST_RATE_SHARES")
}

fn share_of_the_rate(shares: &'static str) -> Result<crate::use_cases::sending::Pace, ConfigError> {
    let rate = positive("PEOPLE_FIRST_SENDING_RATE")?;
    let shares = positive(shares)?;
    Ok(crate::use_cases::sending::Pace::per_second(rate / shares))
}

/// A secret read once at cold start: from the environment variable `direct` where there is no
/// AWS, otherwise from Secrets Manager, named by the variable `arn`, so that it is never in a
/// template or in the environment in clear. Answers which variable it came from.
async fn read_secret(
    aws: &aws_config::SdkConfig,
    direct: &'static str,
    arn: &'static str,
) -> Result<(&'static str, String), ConfigError> {
    if let Ok(value) = required(direct) {
        return Ok((direct, value));
    }
    let secret = aws_sdk_secretsmanager::Client::new(aws)
        .get_secret_value()
        .secret_id(required(arn)?)
        .send()
        .await
        .map_err(|e| {
            ConfigError::Invalid(
                arn,
                aws_sdk_secretsmanager::error::DisplayErrorContext(e).to_string(),
            )
        })?;
    Ok((arn, secret.secret_string.unwrap_or_default()))
}

/// The master secret, hex, from which the address and link keys derive
/// (`PEOPLE_FIRST_SECRET_ARN`, or `PEOPLE_FIRST_SECRET_KEY` where there is no AWS).
pub async fn keyring(aws: &aws_config::SdkConfig) -> Result<Keyring, ConfigError> {
    let (name, hex) =
        read_secret(aws, "PEOPLE_FIRST_SECRET_KEY", "PEOPLE_FIRST_SECRET_ARN").await?;
    Keyring::from_hex(&hex).map_err(|e| ConfigError::Invalid(name, e.to_string()))
}

/// The secret the CDN adds to every request for the API (`PEOPLE_FIRST_ORIGIN_SECRET_ARN`, or
/// `PEOPLE_FIRST_ORIGIN_SECRET` where there is no AWS). Required: a function that cannot tell
/// the CDN's requests from others does not start.
pub async fn edge_secret(aws: &aws_config::SdkConfig) -> Result<EdgeSecret, ConfigError> {
    let (name, value) = read_secret(
        aws,
        "PEOPLE_FIRST_ORIGIN_SECRET",
        "PEOPLE_FIRST_ORIGIN_SECRET_ARN",
    )
    .await?;
    if value.len() < 32 {
        return Err(ConfigError::Invalid(
            name,
            "shorter than 32 characters".into(),
        ));
    }
    Ok(EdgeSecret::new(&value))
}

pub fn mail_settings() -> Result<MailSettings, ConfigError> {
    Ok(MailSettings {
        public_url: public_url()?,
        sender: required("PEOPLE_FIRST_SENDER")?,
        contact: required("PEOPLE_FIRST_CONTACT")?,
        wording: &crate::pages::Emails,
    })
}

/// The AWS SDK's HTTPS client: rustls with ring.
pub fn http_client() -> aws_sdk_dynamodb::config::SharedHttpClient {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The AWS SDK's configuration for the command line: the SDK's whole chain of credentials
/// (profiles, SSO, processes, instance roles), and `AWS_ENDPOINT_URL` when set.
pub async fn aws() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http_client())
        .load()
        .await
}

/// The AWS SDK's configuration inside a Lambda function, which the runtime hands its role's
/// credentials and its region through the environment. Built by hand rather than by the SDK's
/// loader: the loader's other sources (profiles, SSO, STS) would add a megabyte to every function
/// and milliseconds to every cold start for nothing. `AWS_ENDPOINT_URL` points it at an emulator.
pub fn lambda_aws() -> Result<aws_config::SdkConfig, ConfigError> {
    use aws_config::environment::EnvironmentVariableCredentialsProvider;
    use aws_sdk_dynamodb::config::{Region, SharedCredentialsProvider};
    let mut builder = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(Region::new(required("AWS_REGION")?))
        .credentials_provider(SharedCredentialsProvider::new(
            EnvironmentVariableCredentialsProvider::new(),
        ))
        .http_client(http_client());
    if let Ok(endpoint) = required("AWS_ENDPOINT_URL") {
        builder = builder.endpoint_url(endpoint);
    }
    Ok(builder.build())
}

/// The number of signatures the campaign aims for.
pub const DEFAULT_GOAL: u64 = 100_000;

pub fn goal() -> Result<u64, ConfigError> {
    match std::env::var("PEOPLE_FIRST_GOAL") {
        Ok(raw) => raw
            .trim()
            .parse()
            .map_err(|_| ConfigError::Invalid("PEOPLE_FIRST_GOAL", raw)),
        Err(_) => Ok(DEFAULT_GOAL),
    }
}

/// The origins a signature may come from: the site's own (`PEOPLE_FIRST_PUBLIC_URL`) and the
/// partners' listed in `PEOPLE_FIRST_PARTNER_ORIGINS` (comma-separated).
pub fn sign_origins() -> Result<crate::http::origin::SignOrigins, ConfigError> {
    let own = public_url()?;
    let partners = std::env::var("PEOPLE_FIRST_PARTNER_ORIGINS").unwrap_or_default();
    Ok(crate::http::origin::SignOrigins::new(
        std::iter::once(own.as_str()).chain(partners.split(',')),
    ))
}

/// When a public form's request is answered, whatever came of it: `default`, with its floor
/// set by `PEOPLE_FIRST_ANSWER_AFTER_MS` (milliseconds after it arrived) where that is set. The
/// floor must stay above the time the work takes nearly always: a write that succeeds takes
/// longer than one that is refused, and that must tell nobody who signed. Zero answers at once,
/// for measuring what the work itself takes.
pub fn answer_time(default: AnswerTime) -> Result<AnswerTime, ConfigError> {
    match std::env::var("PEOPLE_FIRST_ANSWER_AFTER_MS") {
        Ok(raw) => raw
            .trim()
            .parse()
            .map(|ms| match ms {
                0 => AnswerTime::AT_ONCE,
                ms => AnswerTime {
                    floor: Duration::from_millis(ms),
                    ..default
                },
            })
            .map_err(|_| ConfigError::Invalid("PEOPLE_FIRST_ANSWER_AFTER_MS", raw)),
        Err(_) => Ok(default),
    }
}

/// The smallest count of a country the public count shows on its own.
pub const DEFAULT_SMALLEST_COUNTRY_SHOWN: u64 = 10;

pub fn smallest_country_shown() -> Result<u64, ConfigError> {
    match std::env::var("PEOPLE_FIRST_SMALLEST_COUNTRY_SHOWN") {
        Ok(raw) => raw
            .trim()
            .parse()
            .map_err(|_| ConfigError::Invalid("PEOPLE_FIRST_SMALLEST_COUNTRY_SHOWN", raw)),
        Err(_) => Ok(DEFAULT_SMALLEST_COUNTRY_SHOWN),
    }
}

/// The bot challenge's widget, when `PEOPLE_FIRST_CHALLENGE` names a provider (`turnstile` or
/// `hcaptcha`) and `PEOPLE_FIRST_CHALLENGE_SITE_KEY` its key for this site; off otherwise.
pub fn challenge_widget() -> Result<Option<crate::domain::challenge::Widget>, ConfigError> {
    use crate::domain::challenge::{Provider, Widget};
    let Ok(raw) = required("PEOPLE_FIRST_CHALLENGE") else {
        return Ok(None);
    };
    let provider = Provider::parse(&raw)
        .ok_or_else(|| ConfigError::Invalid("PEOPLE_FIRST_CHALLENGE", raw.clone()))?;
    let site_key = required("PEOPLE_FIRST_CHALLENGE_SITE_KEY")?;
    Ok(Some(Widget::new(provider, site_key)))
}

/// The bot challenge as the sign handler asks it, with the provider's secret from Secrets
/// Manager (`PEOPLE_FIRST_CHALLENGE_SECRET_ARN`, on AWS) or `PEOPLE_FIRST_CHALLENGE_SECRET`
/// (where there is no AWS); and `PEOPLE_FIRST_CHALLENGE_VERIFY_URL` in place of the provider's
/// address where a test says so.
pub async fn challenge(
    aws: Option<&aws_config::SdkConfig>,
) -> Result<Option<std::sync::Arc<dyn crate::ports::Challenge>>, ConfigError> {
    let Some(widget) = challenge_widget()? else {
        return Ok(None);
    };
    let secret = match aws {
        Some(aws) => {
            read_secret(
                aws,
                "PEOPLE_FIRST_CHALLENGE_SECRET",
                "PEOPLE_FIRST_CHALLENGE_SECRET_ARN",
            )
            .await?
            .1
        }
        None => required("PEOPLE_FIRST_CHALLENGE_SECRET")?,
    };
    let url = required("PEOPLE_FIRST_CHALLENGE_VERIFY_URL").ok();
    // The host name the provider saw the widget solved on: the site's own.
    let hostname = public_host()?;
    let verify = crate::adapters::siteverify::SiteVerify::new(widget, secret, &hostname, url);
    Ok(Some(std::sync::Arc::new(verify)))
}

/// Who moderates organisations' requests: `PEOPLE_FIRST_MODERATION_EMAIL`, when set.
pub fn moderation_address() -> Result<Option<crate::domain::Email>, ConfigError> {
    match std::env::var("PEOPLE_FIRST_MODERATION_EMAIL") {
        Ok(raw) if !raw.trim().is_empty() => {
            crate::domain::Email::parse(&raw).map(Some).map_err(|_| {
                ConfigError::Invalid(
                    "PEOPLE_FIRST_MODERATION_EMAIL",
                    "not an email address".into(),
                )
            })
        }
        _ => Ok(None),
    }
}

/// What the pages need to know about where they are published, as the deployed stack says it.
#[cfg(feature = "site")]
pub fn site_settings() -> Result<crate::pages::site::SiteSettings, ConfigError> {
    Ok(crate::pages::site::SiteSettings {
        origin: public_url()?,
        contact: required("PEOPLE_FIRST_CONTACT")?,
        goal: goal()?,
        challenge: challenge_widget()?,
    })
}

/// The SES configuration set organisations' emails go under, apart from the signatures':
/// `PEOPLE_FIRST_ORGANISATION_MAIL_CONFIGURATION`, where it is set.
pub fn organisation_mail_configuration() -> Option<String> {
    std::env::var("PEOPLE_FIRST_ORGANISATION_MAIL_CONFIGURATION")
        .ok()
        .filter(|name| !name.trim().is_empty())
}

/// Who the mailer asks whether a domain takes mail: the name server at
/// `PEOPLE_FIRST_NAME_SERVER` (`address:port`) where it is set, else the system's.
pub fn mail_domains() -> Result<crate::adapters::mail_domains::DnsMailDomains, ConfigError> {
    use crate::adapters::mail_domains::DnsMailDomains;
    let invalid =
        |e: &dyn std::fmt::Display| ConfigError::Invalid("PEOPLE_FIRST_NAME_SERVER", e.to_string());
    match std::env::var("PEOPLE_FIRST_NAME_SERVER") {
        Ok(raw) => {
            let server = raw.trim().parse().map_err(|e| invalid(&e))?;
            DnsMailDomains::at(server).map_err(|e| invalid(&e))
        }
        Err(_) => DnsMailDomains::from_system().map_err(|e| {
            ConfigError::Invalid("the system's resolver (/etc/resolv.conf)", e.to_string())
        }),
    }
}

/// The mailer's share of mail without the page's proof of work: at most one among any
/// `PEOPLE_FIRST_UNPROVEN_ONE_IN` (200 unless set) sends of an instance.
pub fn unproven_mail() -> Result<crate::use_cases::unproven::UnprovenMail, ConfigError> {
    use crate::use_cases::unproven::{ONE_IN, UnprovenMail};
    let one_in = match std::env::var("PEOPLE_FIRST_UNPROVEN_ONE_IN") {
        Ok(raw) => raw
            .trim()
            .parse()
            .map_err(|_| ConfigError::Invalid("PEOPLE_FIRST_UNPROVEN_ONE_IN", raw))?,
        Err(_) => ONE_IN,
    };
    Ok(UnprovenMail::metered(one_in))
}

#[cfg(test)]
mod tests {
    use super::site_root;

    #[test]
    fn the_public_url_is_a_site_root_without_its_trailing_slash() {
        assert_eq!(
            site_root("https://people-first.example/").unwrap(),
            "https://people-first.example"
        );
        assert_eq!(
            site_root(" http://127.0.0.1:3000 ").unwrap(),
            "http://127.0.0.1:3000"
        );
        for wrong in [
            "people-first.example",
            "https://",
            "https://people-first.example/en/",
            "ftp://x.example",
            "https://a b.example",
            "https://user@x.example",
            "https://x.example:",
        ] {
            assert!(site_root(wrong).is_err(), "{wrong}");
        }
    }
}
