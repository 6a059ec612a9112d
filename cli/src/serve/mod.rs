//! The local stack: the same handlers as the functions, on one HTTP server, over the embedded
//! store, with its change feed driving the same mailer code into the outbox.

mod feed;
mod follow_up;
mod routes;
mod settings;

pub use settings::{Settings, data_dir, local_keyring, moderation_address, public_url};

use anyhow::Context;
use http_body_util::{BodyExt, Limited};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use people_first::adapters::clock::SystemClock;
use people_first::adapters::embedded::EmbeddedStore;
use people_first::adapters::outbox::Outbox;
use people_first::adapters::partners::ApprovedPartners;
use people_first::http::answer_time::AnswerTime;
use people_first::http::confirm::ConfirmState;
use people_first::http::count::CountState;
use people_first::http::erase::EraseState;
use people_first::http::sign::SignState;
use people_first::http::supporters::SupportState;
use people_first::ports::{SupporterStore, SupportersList};
use people_first::use_cases::supporters::SupportSettings;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Everything the routes need, built once.
pub struct LocalStack {
    pub sign: SignState,
    /// Its own address, as `127.0.0.1` and as `localhost`, and any partners listed.
    pub sign_origins: people_first::http::origin::SignOrigins,
    /// Organisations asking to join the list, and their contacts' links.
    pub supporters: SupportState,
    pub confirm: ConfirmState,
    pub erase: EraseState,
    pub count: CountState,
    /// The built site, served as the CDN serves it.
    pub site: std::path::PathBuf,
    pub outbox: Arc<Outbox>,
    /// The `Host` values it answers: its own address, by number and by name, and the public
    /// address when one is set. A page of any other name (DNS rebinding) is refused.
    pub hosts: Vec<String>,
}

/// How long a client may take to send its request's headers, and then its body: a slow client
/// must not hold a connection forever.
const HEADERS_TIME: std::time::Duration = std::time::Duration::from_secs(5);
const BODY_TIME: std::time::Duration = std::time::Duration::from_secs(5);

/// What the functions on events do on AWS: mail from the change feed, the count, the follow-up
/// mail, and what DynamoDB's TTL deletes.
fn work_in_the_background(
    store: &Arc<EmbeddedStore>,
    outbox: &Arc<Outbox>,
    keyring: &Arc<people_first::keyring::Keyring>,
    mail: &people_first::use_cases::mailing::MailSettings,
    clock: &Arc<SystemClock>,
) {
    tokio::spawn(feed::send_confirmations(
        store.clone(),
        outbox.clone(),
        keyring.clone(),
        mail.clone(),
    ));
    tokio::spawn(follow_up::follow_up(
        store.clone(),
        outbox.clone(),
        keyring.clone(),
        mail.clone(),
        clock.clone(),
    ));
    tokio::spawn(feed::count_confirmations(store.clone()));
    tokio::spawn(feed::purge_expired(store.clone(), clock.clone()));
}

#[tokio::main]
pub async fn run() -> anyhow::Result<()> {
    let settings = settings::Settings::from_environment()?;
    let store = Arc::new(
        EmbeddedStore::open(&settings.data_dir.join("store"))
            .with_context(|| format!("cannot open the store in {}", settings.data_dir.display()))?,
    );
    let outbox = Arc::new(
        Outbox::open(&settings.data_dir.join("outbox")).context("cannot open the outbox")?,
    );
    let keyring = Arc::new(settings::local_keyring(&settings.data_dir)?);
    let clock = Arc::new(SystemClock);
    // One list for signing and the count, read once a minute, as each function on AWS reads it.
    let partners = Arc::new(ApprovedPartners::new(store.clone(), clock.clone()));
    let listener = TcpListener::bind(settings.address).await.with_context(|| {
        format!(
            "cannot listen on {} (set PORT to use another port)",
            settings.address
        )
    })?;
    let address = listener.local_addr()?;
    let mail = settings.mail(address);
    let goal = people_first::config::goal()?;
    let site_dir = settings.data_dir.join("site");
    let site = people_first::pages::site::SiteSettings {
        origin: mail.public_url.clone(),
        contact: mail.contact.clone(),
        goal,
        challenge: people_first::config::challenge_widget()?,
    };
    build_site(&store, &site, &site_dir).await?;
    let stack = Arc::new(LocalStack {
        sign: SignState {
            store: store.clone(),
            partners: partners.clone(),
            keyring: keyring.clone(),
            clock: clock.clone(),
            challenge: people_first::config::challenge(None).await?,
            answer_time: people_first::config::answer_time(AnswerTime::LOCALLY)?,
        },
        sign_origins: settings.sign_origins(address),
        supporters: SupportState {
            store: store.clone(),
            limits: store.clone(),
            mailer: outbox.clone(),
            keyring: keyring.clone(),
            clock: clock.clone(),
            challenge: people_first::config::challenge(None).await?,
            settings: SupportSettings {
                mail: mail.clone(),
                moderation: Some(settings::moderation_address()),
            },
            answer_time: people_first::config::answer_time(AnswerTime::LOCALLY)?,
        },
        confirm: ConfirmState {
            store: store.clone(),
            clock: clock.clone(),
        },
        erase: EraseState {
            store: store.clone(),
            updates: store.clone(),
            clock: clock.clone(),
        },
        count: CountState {
            counter: store.clone(),
            partners,
            goal,
            smallest_country_shown: people_first::config::smallest_country_shown()?,
        },
        outbox: outbox.clone(),
        site: site_dir.clone(),
        hosts: settings.hosts(address),
    });
    work_in_the_background(&store, &outbox, &keyring, &mail, &clock);

    greet(address, &settings.data_dir);

    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = tokio::signal::ctrl_c() => break,
        };
        let stack = stack.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let stack = stack.clone();
                async move { Ok::<_, std::convert::Infallible>(answer(&stack, request).await) }
            });
            let _ = http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADERS_TIME)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
    println!("Stopped.");
    Ok(())
}

/// Where everything is, for the person who started the stack.
fn greet(address: std::net::SocketAddr, data_dir: &std::path::Path) {
    println!("People First is running at http://{address}/");
    println!("  sign at        http://{address}/");
    println!("  read mail at   http://{address}/_dev/mail");
    println!("  the count at   http://{address}/api/count");
    println!("  data kept in   {}", data_dir.display());
    println!("Press Ctrl-C to stop.");
}

/// The list's first supporters, once; then the site with the list as it stands, which is how
/// staff decisions (taken while the stack is stopped) reach the pages.
async fn build_site(
    store: &EmbeddedStore,
    site: &people_first::pages::site::SiteSettings,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    store
        .seed(&people_first::use_cases::supporters::first_supporters())
        .await?;
    let supporters = store
        .organisations_in(people_first::domain::Standing::Approved)
        .await?;
    people_first::pages::site::write(&people_first::pages::site::build(site, &supporters), dir)
        .with_context(|| format!("cannot build the site into {}", dir.display()))
}

/// Reads the body (never more than the handlers accept) and routes the request.
async fn answer(
    stack: &LocalStack,
    request: hyper::Request<hyper::body::Incoming>,
) -> hyper::Response<http_body_util::Full<bytes::Bytes>> {
    let (parts, body) = request.into_parts();
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !stack.hosts.contains(&host) {
        return plain(
            hyper::StatusCode::MISDIRECTED_REQUEST,
            "This server answers only at its own address.\n",
        );
    }
    let limit = people_first::http::MAX_BODY_BYTES + 1;
    // A body over the limit is cut at limit + 1 bytes: enough for the handler to refuse it.
    let bytes = match tokio::time::timeout(BODY_TIME, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Ok(Err(_)) => vec![0; limit],
        Err(_) => {
            return plain(
                hyper::StatusCode::REQUEST_TIMEOUT,
                "The request's body came too slowly.\n",
            );
        }
    };
    let request = lambda_http::Request::from_parts(parts, lambda_http::Body::from(bytes));
    let response = routes::route(stack, request).await;
    let (parts, body) = response.into_parts();
    hyper::Response::from_parts(
        parts,
        http_body_util::Full::new(bytes::Bytes::from(body.to_vec())),
    )
}

/// A short answer of the server itself, closing the connection.
fn plain(
    status: hyper::StatusCode,
    text: &'static str,
) -> hyper::Response<http_body_util::Full<bytes::Bytes>> {
    let mut answer = hyper::Response::new(http_body_util::Full::new(bytes::Bytes::from(text)));
    *answer.status_mut() = status;
    let headers = answer.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    answer
}
