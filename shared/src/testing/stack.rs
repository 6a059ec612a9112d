//! The signing backend assembled for a test: handlers over a store and a mailer, a clock the
//! test moves, and the mailer driven by the store's real change feed or stream.

use super::{Delivered, Feed, MailerUnderTest, StoreUnderTest};
use crate::adapters::clock::ManualClock;
use crate::adapters::dynamo::DynamoStore;
use crate::adapters::partners::ApprovedPartners;
use crate::adapters::sqs::SqsQueue;
use crate::domain::Timestamp;
use crate::events::mailer::{MailerState, handle_mail_requests};
use crate::events::stream::{MailQueueState, handle_stream_batch};
use crate::http::confirm::{ConfirmState, handle_confirm};
use crate::http::erase::{EraseState, handle_erase};
use crate::http::sign::{SignState, handle_sign};
use crate::http::supporters::{SupportState, handle_contact_link, handle_organisation_request};
use crate::use_cases::sending::{Pace, Sending};
use crate::use_cases::supporters::SupportSettings;
use crate::use_cases::unproven::UnprovenMail;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Stack {
    pub store: StoreUnderTest,
    pub mail: MailerUnderTest,
    pub clock: Arc<ManualClock>,
    pub sign: SignState,
    pub supporters: SupportState,
    /// The mailer's share of unproven mail and its guard, kept between runs as a warm instance
    /// keeps them: held by nothing unless a test meters it.
    pub unproven: Arc<UnprovenMail>,
    confirm: ConfirmState,
    erase: EraseState,
    delivered: AtomicUsize,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

pub fn request(
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: &str,
) -> lambda_http::Request {
    let mut builder = http::Request::builder().method(method).uri(uri);
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    builder
        .body(lambda_http::Body::from(body.to_owned()))
        .unwrap()
}

impl Stack {
    fn assemble(store: StoreUnderTest, mail: MailerUnderTest) -> Self {
        let clock = Arc::new(ManualClock::at(Timestamp::from_unix_seconds(1_738_000_000)));
        let sign = SignState {
            store: store.store.clone(),
            partners: Arc::new(ApprovedPartners::new(
                store.supporters.clone(),
                clock.clone(),
            )),
            keyring: Arc::new(super::keyring()),
            clock: clock.clone(),
            challenge: None,
            answer_time: crate::http::answer_time::AnswerTime::AT_ONCE,
        };
        let supporters = SupportState {
            store: store.supporters.clone(),
            limits: store.store.clone(),
            mailer: mail.mailer.clone(),
            keyring: Arc::new(super::keyring()),
            clock: clock.clone(),
            challenge: None,
            settings: SupportSettings {
                mail: super::mail_settings(),
                moderation: None,
            },
            answer_time: crate::http::answer_time::AnswerTime::AT_ONCE,
        };
        let confirm = ConfirmState {
            store: store.store.clone(),
            clock: clock.clone(),
        };
        let erase = EraseState {
            store: store.store.clone(),
            updates: store.updates.clone(),
            clock: clock.clone(),
        };
        Self {
            store,
            mail,
            clock,
            sign,
            supporters,
            unproven: Arc::new(UnprovenMail::unmetered()),
            confirm,
            erase,
            delivered: AtomicUsize::new(0),
        }
    }

    /// The local stack's parts: embedded store and outbox.
    pub fn local() -> Self {
        Self::assemble(StoreUnderTest::embedded(), MailerUnderTest::outbox())
    }

    /// AWS's parts on the emulator: DynamoDB and SES.
    pub async fn aws() -> Self {
        Self::assemble(StoreUnderTest::dynamo().await, MailerUnderTest::ses().await)
    }

    pub async fn send(&self, request: lambda_http::Request) -> Answer {
        let path = request.uri().path().to_owned();
        let response = match path.as_str() {
            "/api/sign" => handle_sign(&self.sign, request).await,
            "/api/frame" => crate::http::frame::handle_frame(&self.sign, request).await,
            "/api/confirm" => handle_confirm(&self.confirm, request).await,
            "/api/erase" => handle_erase(&self.erase, request).await,
            "/api/unsubscribe" => {
                crate::http::unsubscribe::handle_unsubscribe(&self.erase, request).await
            }
            "/api/organisations" => handle_organisation_request(&self.supporters, request).await,
            "/api/organisations/confirm" => handle_contact_link(&self.supporters, request).await,
            other => panic!("no route {other}"),
        }
        .expect("handlers answer every request");
        let (parts, body) = response.into_parts();
        Answer {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: String::from_utf8_lossy(body.as_ref()).into_owned(),
        }
    }

    pub async fn sign_json(&self, body: &serde_json::Value) -> Answer {
        self.send(request(
            "POST",
            "/api/sign",
            Some("application/json"),
            &body.to_string(),
        ))
        .await
    }

    pub async fn sign_form(&self, body: &str) -> Answer {
        self.send(request(
            "POST",
            "/api/sign",
            Some("application/x-www-form-urlencoded"),
            body,
        ))
        .await
    }

    pub async fn confirm_form(&self, token: &str) -> Answer {
        self.send(request(
            "POST",
            "/api/confirm",
            Some("application/x-www-form-urlencoded"),
            &format!("t={token}"),
        ))
        .await
    }

    pub async fn confirm_json(&self, token: &str) -> Answer {
        let body = serde_json::json!({ "t": token }).to_string();
        self.send(request(
            "POST",
            "/api/confirm",
            Some("application/json"),
            &body,
        ))
        .await
    }

    pub async fn open_erase_link(&self, token: &str) -> Answer {
        self.send(request("GET", &format!("/api/erase?t={token}"), None, ""))
            .await
    }

    pub async fn open_link(&self, token: &str) -> Answer {
        self.send(request("GET", &format!("/api/confirm?t={token}"), None, ""))
            .await
    }

    /// Presses the erasure page's button (a form) or posts as a script does (JSON).
    pub async fn erase(&self, token: &str, encoding: &str) -> Answer {
        let body = if encoding == "application/json" {
            serde_json::json!({ "t": token }).to_string()
        } else {
            format!("t={token}")
        };
        self.send(request("POST", "/api/erase", Some(encoding), &body))
            .await
    }

    /// The total the aggregate code counts of every change so far: the embedded feed, or the
    /// table's real stream records through the aggregate handler, with a checkpoint so that
    /// records delivered again are not counted twice.
    pub async fn count(&self) -> u64 {
        self.counter().await.total()
    }

    /// The counter as the aggregate code leaves it after every change so far (see `count`).
    pub async fn counter(&self) -> crate::domain::Counter {
        use crate::ports::CounterStore;
        match &self.store.feed {
            Feed::Embedded(store) => {
                let records = store.changes_after(0, usize::MAX).unwrap().changes;
                crate::use_cases::aggregate::count_batch(
                    store.as_ref(),
                    &crate::adapters::clock::SystemClock,
                    "local",
                    &records,
                )
                .await
                .unwrap();
                store.read_counter().await.unwrap()
            }
            Feed::Dynamo { config, table } => {
                let state = crate::events::stream::AggregateState {
                    counter: Box::new(crate::adapters::dynamo::DynamoStore::from_sdk_config(
                        config, table,
                    )),
                    clock: Box::new(crate::adapters::clock::SystemClock),
                };
                let mut event = aws_lambda_events::dynamodb::TimeWindowEvent::default();
                event.dynamo_db_event.records =
                    super::stream::read_event(config, table).await.records;
                event.time_window_properties.shard_id = Some("shardId-00000001".into());
                let invocation =
                    lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
                let answer = crate::events::stream::handle_count_batch(&state, invocation)
                    .await
                    .unwrap();
                assert!(answer.batch_item_failures.is_empty());
                state.counter.read_counter().await.unwrap()
            }
        }
    }

    /// Runs the mailer over the changes it has not seen yet, as the stream would deliver them:
    /// locally straight from the feed, on AWS's parts through the mail-queue function, the
    /// SQS queue and the mailer function. Answers what must be retried, if anything.
    pub async fn run_mailer(&self) -> Option<String> {
        let keyring = super::keyring();
        let settings = super::mail_settings();
        match &self.store.feed {
            Feed::Embedded(store) => {
                let seen = self.delivered.load(Ordering::SeqCst) as u64;
                let unseen = store.changes_after(seen, usize::MAX).unwrap();
                let pace = Pace::unlimited();
                let sending = Sending {
                    mailer: self.mail.mailer.as_ref(),
                    store: self.store.store.as_ref(),
                    supporters: self.store.supporters.as_ref(),
                    domains: &crate::ports::EveryDomain,
                    health: self.store.health.as_ref(),
                    unproven: &self.unproven,
                    clock: self.clock.as_ref(),
                    keyring: &keyring,
                    settings: &settings,
                    pace: &pace,
                };
                let deadline = tokio::time::Instant::now() + std::time::Duration::from_mins(1);
                // As the local feed does: the batch is read again until all of it is done.
                if sending.send_for_changes(&unseen.changes, deadline).await {
                    self.delivered
                        .store(usize::try_from(unseen.last).unwrap(), Ordering::SeqCst);
                    None
                } else {
                    Some(format!("changes after {seen}"))
                }
            }
            Feed::Dynamo { config, table } => {
                let mut event = super::stream::read_event(config, table).await;
                let seen = self.delivered.swap(event.records.len(), Ordering::SeqCst);
                event.records.drain(..seen);
                let event = super::stream::as_mapped(event, "MailQueueFunction");
                let url = self
                    .mail
                    .queue
                    .as_deref()
                    .expect("AWS's parts have a queue");
                let queueing = MailQueueState {
                    queue: Box::new(SqsQueue::from_sdk_config(config, url)),
                };
                let invocation =
                    lambda_runtime::LambdaEvent::new(event, lambda_runtime::Context::default());
                let response = handle_stream_batch(&queueing, invocation).await.unwrap();
                if let Some(failure) = response.batch_item_failures.first() {
                    return failure.item_identifier.clone();
                }
                let mailing = MailerState {
                    mailer: Box::new(self.mail.mailer.clone()),
                    store: Box::new(DynamoStore::from_sdk_config(config, table)),
                    supporters: Box::new(DynamoStore::from_sdk_config(config, table)),
                    domains: Box::new(super::mail_domains()),
                    health: Box::new(DynamoStore::from_sdk_config(config, table)),
                    unproven: self.unproven.clone(),
                    clock: Box::new(self.clock.clone()),
                    keyring,
                    settings,
                    pace: Pace::unlimited(),
                };
                super::queue::deliver(config, url, |event| handle_mail_requests(&mailing, event))
                    .await
                    .into_iter()
                    .next()
            }
        }
    }

    /// Runs the follow-up mail once, through `mailer` when given (the stack's otherwise), as
    /// the follow-up function does on AWS's parts: asking the stack's SQS queue whether
    /// confirmation emails wait; locally, `waiting` says.
    pub async fn run_follow_up(
        &self,
        mailer: Option<&dyn crate::ports::Mailer>,
        waiting: bool,
        deadline: tokio::time::Instant,
    ) -> crate::use_cases::follow_up::Run {
        let keyring = super::keyring();
        let settings = super::mail_settings();
        let pace = Pace::unlimited();
        let queue: Box<dyn crate::ports::ConfirmationsWaiting> = match (&self.store.feed, waiting) {
            (Feed::Dynamo { config, .. }, false) => Box::new(SqsQueue::from_sdk_config(
                config,
                self.mail
                    .queue
                    .as_deref()
                    .expect("AWS's parts have a queue"),
            )),
            _ => Box::new(Waiting(waiting)),
        };
        crate::use_cases::follow_up::FollowUp {
            mailer: mailer.unwrap_or(self.mail.mailer.as_ref()),
            scan: self.store.scan.as_ref(),
            signatures: self.store.store.as_ref(),
            health: self.store.health.as_ref(),
            mailboxes: self.store.store.as_ref(),
            updates: self.store.updates.as_ref(),
            reminders: self.store.reminders.as_ref(),
            confirmations: queue.as_ref(),
            clock: self.clock.as_ref(),
            keyring: &keyring,
            settings: &settings,
            update_wording: &crate::pages::Emails,
            pace: &pace,
        }
        .send_what_is_due(deadline)
        .await
        .expect("the store answers")
    }

    /// Runs the mailer, then reads what reached `to`, oldest first.
    pub async fn inbox(&self, to: &str) -> Vec<Delivered> {
        assert_eq!(self.run_mailer().await, None, "the mailer retried nothing");
        self.mail.sent_to(to).await
    }
}

/// Whether confirmation emails wait, as a test decides it.
struct Waiting(bool);

#[async_trait::async_trait]
impl crate::ports::ConfirmationsWaiting for Waiting {
    async fn waiting(&self) -> Result<bool, crate::ports::MailError> {
        Ok(self.0)
    }
}

/// An address no other test uses, so tests sharing the emulator read only their own mail.
pub fn address(name: &str) -> String {
    format!("{name}.{:08x}@example.org", rand::random::<u32>())
}

/// Runs each named case, an `async fn case(subject)`, once on the local parts and once on AWS's:
/// `on_both!(local => super::Stack::local(), aws => super::Stack::aws().await; case, …)` (the
/// makers run inside each side's module), or the same with the two stores under test. Each side is a module of its own, so a test is named
/// `signing::local::case` or `store_contract::dynamodb::case`.
#[macro_export]
macro_rules! on_both {
    ($local:ident => $make_local:expr, $aws:ident => $make_aws:expr; $($case:ident),* $(,)?) => {
        mod $local {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case($make_local).await;
            })*
        }
        mod $aws {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                super::$case($make_aws).await;
            })*
        }
    };
}
