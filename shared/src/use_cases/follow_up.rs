//! The mail that waits for the confirmations: each pending signature's one reminder, a day
//! after its link was mailed, and the campaign's updates to the confirmed signers who asked for
//! them. It goes only while no confirmation email waits and the mail's guard is down, at the
//! pace given, one email at a time, counted in the mail's health as the mailers' are; and each
//! email is claimed, its signer read again, just before it goes: two senders, or one run again
//! after a crash, never send one twice. An email whose fate SES left unknown (a crash between
//! the claim and SES's answer, or a fault that may have come after SES took it) stays claimed
//! and is not sent again; the update's status counts such claims.

use crate::domain::mail_health::{Guard, MailHealth};
use crate::domain::{Signature, SignatureStatus, Timestamp, Update, UpdateCounts};
use crate::keyring::Keyring;
use crate::ports::{
    Clock, ConfirmationsWaiting, MailError, MailHealthStore, MailboxCounts, Mailer, OutgoingEmail,
    ReminderPass, ReminderStore, Settled, SignatureMailing, SignatureScan, StoreError, UpdateStore,
    UpdateWording,
};
use crate::use_cases::mailing::{MailSettings, reminder_email, update_email};
use crate::use_cases::sending::{Next, Pace, Retries};
use crate::use_cases::sign::EMAILS_PER_MAILBOX_PER_DAY;
use std::time::Duration;
use tokio::time::Instant;

/// A pending signature is reminded once, this long after its email went.
pub const REMIND_AFTER_SECONDS: i64 = 86_400;
/// A link that dies sooner is not worth a reminder: signing again brings a new one.
pub const LINK_LEFT_AT_LEAST_SECONDS: i64 = 2 * 86_400;
/// How often the reminders read the signatures for those due.
pub const REMINDER_PASS_EVERY_SECONDS: i64 = 3_600;
/// How often the queue of confirmation emails is asked about while this mail goes.
const ASK_THE_QUEUE_EVERY: Duration = Duration::from_secs(1);

/// What the follow-up mail needs, borrowed for one run.
pub struct FollowUp<'a> {
    pub mailer: &'a dyn Mailer,
    pub scan: &'a dyn SignatureScan,
    /// Each signer read again just before their email goes.
    pub signatures: &'a dyn SignatureMailing,
    /// Where what was sent is counted, and the guard read.
    pub health: &'a dyn MailHealthStore,
    pub mailboxes: &'a dyn MailboxCounts,
    pub updates: &'a dyn UpdateStore,
    pub reminders: &'a dyn ReminderStore,
    pub confirmations: &'a dyn ConfirmationsWaiting,
    pub clock: &'a dyn Clock,
    pub keyring: &'a Keyring,
    pub settings: &'a MailSettings,
    /// The updates' words: staff's Markdown, rendered.
    pub update_wording: &'a dyn UpdateWording,
    pub pace: &'a Pace,
}

/// What one run sent, and why it stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Run {
    pub reminded: u64,
    pub updates_sent: u64,
    pub stopped: Stopped,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Stopped {
    /// Nothing is due.
    #[default]
    Idle,
    /// Confirmation emails wait: they go first.
    ConfirmationsFirst,
    /// The run's time is up.
    Deadline,
    /// SES cannot take more now, or the store did not answer.
    Later,
    /// Another sender moved on first.
    Overtaken,
    /// Bounces or complaints passed what SES tolerates, or unproven signatures flood in: no
    /// mail that can wait goes until the hour is healthy again.
    GuardUp,
    /// SES refused many emails in a row: the account, not the addresses, is refusing.
    Refusing,
}

/// How one page ended.
enum Page {
    Read,
    Stopped(Stopped),
}

impl Page {
    fn stopped_unless_overtaken(moved: bool, stopped: Stopped) -> Self {
        Self::Stopped(if moved { stopped } else { Stopped::Overtaken })
    }
}

/// How many refusals in a row stop a run: a paused account or an unverified sender refuses
/// every address, and the update would be spent on it.
const REFUSALS_IN_A_ROW: u32 = 10;

/// Whether a pending signature is due its one reminder at `now`.
pub fn due_for_reminder(signature: &Signature, now: Timestamp) -> bool {
    let mailed_the_live_link = signature
        .mailed_link
        .is_some_and(|m| m.matches(&signature.link.secret_hash));
    signature.status == SignatureStatus::Pending
        // A bot's address gets no second unsolicited email: only signers the page's proof of
        // work came with are reminded.
        && signature.proven
        && signature.email.is_some()
        && !signature.undeliverable
        && signature.reminded_at.is_none()
        && mailed_the_live_link
        && signature
            .mailed_at
            .is_some_and(|at| now.unix_seconds() - at.unix_seconds() >= REMIND_AFTER_SECONDS)
        && signature.link.expires_at.unix_seconds() - now.unix_seconds()
            >= LINK_LEFT_AT_LEAST_SECONDS
}

/// Whether a signer is sent `update`: confirmed, asked for the updates, and still reachable.
pub fn wants_update(signature: &Signature) -> bool {
    signature.is_confirmed() && signature.updates && signature.email.is_some()
}

/// Asks the confirmations' queue at most once a second.
struct Gate<'a> {
    confirmations: &'a dyn ConfirmationsWaiting,
    asked: Option<Instant>,
    deadline: Instant,
}

impl Gate<'_> {
    /// Why this mail must stop now, if it must.
    async fn stop(&mut self) -> Option<Stopped> {
        if Instant::now() >= self.deadline {
            return Some(Stopped::Deadline);
        }
        if self
            .asked
            .is_some_and(|at| at.elapsed() < ASK_THE_QUEUE_EVERY)
        {
            return None;
        }
        self.asked = Some(Instant::now());
        match self.confirmations.waiting().await {
            Ok(false) => None,
            Ok(true) => Some(Stopped::ConfirmationsFirst),
            // Not knowing, it yields: the confirmations matter more.
            Err(e) => {
                tracing::warn!(error = %e, "the confirmations' queue could not be asked");
                Some(Stopped::ConfirmationsFirst)
            }
        }
    }
}

impl FollowUp<'_> {
    /// Sends what is due until `deadline`: the reminders first, then the update under way.
    pub async fn send_what_is_due(&self, deadline: Instant) -> Result<Run, StoreError> {
        let mut gate = Gate {
            confirmations: self.confirmations,
            asked: None,
            deadline,
        };
        let mut run = Run::default();
        if let Some(stopped) = gate.stop().await {
            run.stopped = stopped;
            return Ok(run);
        }
        let health = self.health.recent_mail(self.clock.now()).await?;
        if let Guard::Up(alarm) = health.guard() {
            tracing::warn!(%alarm, "the mail guard is up: the reminders and the updates wait");
            run.stopped = Stopped::GuardUp;
            return Ok(run);
        }
        let result = self.send_until_stopped(&mut gate, &mut run).await;
        // Counted as the mailers' sends are: the guard judges bounces against all of them.
        let sent = MailHealth {
            sent: run.reminded + run.updates_sent,
            ..MailHealth::default()
        };
        if let Err(e) = self.health.note_mail(self.clock.now(), &sent).await {
            tracing::warn!(error = %crate::telemetry::Causes(&e), "what was sent could not be counted");
        }
        result.map(|()| run)
    }

    async fn send_until_stopped(
        &self,
        gate: &mut Gate<'_>,
        run: &mut Run,
    ) -> Result<(), StoreError> {
        loop {
            match self.remind_a_page(gate, run).await? {
                Some(Page::Read) => {}
                Some(Page::Stopped(stopped)) => {
                    run.stopped = stopped;
                    return Ok(());
                }
                None => break,
            }
        }
        loop {
            match self.send_a_page(gate, run).await? {
                Some(Page::Read) => {}
                Some(Page::Stopped(stopped)) => {
                    run.stopped = stopped;
                    return Ok(());
                }
                None => return Ok(()),
            }
        }
    }

    /// The reminders' pass under way, or a new one when the last is an hour old; `None` when
    /// none is due.
    async fn reminder_pass(&self) -> Result<Option<ReminderPass>, StoreError> {
        let now = self.clock.now();
        let last = self.reminders.reminder_pass().await?;
        match &last {
            Some(pass) if !pass.done => return Ok(Some(pass.clone())),
            Some(pass)
                if now.unix_seconds() - pass.started_at.unix_seconds()
                    < REMINDER_PASS_EVERY_SECONDS =>
            {
                return Ok(None);
            }
            _ => {}
        }
        let new = ReminderPass {
            started_at: now,
            from: None,
            done: false,
        };
        Ok(self
            .reminders
            .save_reminder_pass(last.as_ref(), &new)
            .await?
            .then_some(new))
    }

    /// Reminds the due signatures of the pass's next page; `None` when no pass is due.
    async fn remind_a_page(
        &self,
        gate: &mut Gate<'_>,
        run: &mut Run,
    ) -> Result<Option<Page>, StoreError> {
        let Some(pass) = self.reminder_pass().await? else {
            return Ok(None);
        };
        let page = self.scan.scan(pass.from.clone()).await?;
        let mut handled = pass.from.clone();
        for signature in &page.signatures {
            if let Some(stopped) = gate.stop().await {
                let moved = self.move_pass(&pass, handled, false).await?;
                return Ok(Some(Page::stopped_unless_overtaken(moved, stopped)));
            }
            let now = self.clock.now();
            if due_for_reminder(signature, now) {
                match self.remind(signature, gate.deadline).await? {
                    Next::Sent => run.reminded += 1,
                    Next::Later => {
                        let moved = self.move_pass(&pass, handled, false).await?;
                        return Ok(Some(Page::stopped_unless_overtaken(moved, Stopped::Later)));
                    }
                    Next::Refused | Next::Again => {}
                }
            }
            handled = Some(signature.signer.to_hex());
        }
        let done = page.next.is_none();
        Ok(Some(if self.move_pass(&pass, page.next, done).await? {
            Page::Read
        } else {
            Page::Stopped(Stopped::Overtaken)
        }))
    }

    /// Moves the pass on to `from`; false when another sender moved it first.
    async fn move_pass(
        &self,
        pass: &ReminderPass,
        from: Option<String>,
        done: bool,
    ) -> Result<bool, StoreError> {
        let new = ReminderPass {
            started_at: pass.started_at,
            from,
            done,
        };
        if new == *pass {
            return Ok(true);
        }
        self.reminders.save_reminder_pass(Some(pass), &new).await
    }

    /// Sends one signature's reminder, within its mailbox's daily limit.
    async fn remind(&self, signature: &Signature, deadline: Instant) -> Result<Next, StoreError> {
        let now = self.clock.now();
        let (signer, link) = (&signature.signer, &signature.link.secret_hash);
        let Some(email) = reminder_email(self.settings, self.keyring, signature, now) else {
            return Ok(Next::Refused);
        };
        if !self.reminders.claim_reminder(signer, link, now).await? {
            return Ok(Next::Refused);
        }
        let mailbox = self.keyring.mailbox_key(&email.to);
        if !self
            .mailboxes
            .count_email_to(&mailbox, now, EMAILS_PER_MAILBOX_PER_DAY)
            .await?
        {
            // Its mailbox had its emails today: the next pass tries again.
            tracing::info!("the mailbox had its emails for the day; the reminder waits");
            crate::telemetry::count("RemindersWithheld");
            self.reminders.release_reminder(signer, now).await?;
            return Ok(Next::Refused);
        }
        let (next, unsure) = self.deliver(&email, deadline).await;
        // A reminder SES may have taken is not sent again.
        if next == Next::Later && !unsure {
            self.mailboxes.uncount_email_to(&mailbox, now).await?;
            self.reminders.release_reminder(signer, now).await?;
        }
        if next == Next::Sent {
            crate::telemetry::count("RemindersSent");
        }
        Ok(next)
    }

    /// Sends the update under way to the next page of signers; `None` when none is sending.
    async fn send_a_page(
        &self,
        gate: &mut Gate<'_>,
        run: &mut Run,
    ) -> Result<Option<Page>, StoreError> {
        let Some(update) = self.updates.latest_update().await?.filter(|u| !u.done) else {
            return Ok(None);
        };
        let page = self.scan.scan(update.from.clone()).await?;
        let mut handled = update.from.clone();
        let mut counts = UpdateCounts::default();
        let mut refused_in_a_row = 0;
        for signature in &page.signatures {
            if let Some(stopped) = gate.stop().await {
                let moved = self.move_update(&update, handled, &counts).await?;
                return Ok(Some(Page::stopped_unless_overtaken(moved, stopped)));
            }
            if wants_update(signature) {
                match self.send_update(&update, signature, gate.deadline).await? {
                    Next::Sent => {
                        counts.sent += 1;
                        run.updates_sent += 1;
                        refused_in_a_row = 0;
                    }
                    Next::Refused => {
                        counts.refused += 1;
                        refused_in_a_row += 1;
                        if refused_in_a_row >= REFUSALS_IN_A_ROW {
                            tracing::warn!("SES refused every email of late; the update waits");
                            let handled = Some(signature.signer.to_hex());
                            let moved = self.move_update(&update, handled, &counts).await?;
                            return Ok(Some(Page::stopped_unless_overtaken(
                                moved,
                                Stopped::Refusing,
                            )));
                        }
                    }
                    Next::Later => {
                        let moved = self.move_update(&update, handled, &counts).await?;
                        return Ok(Some(Page::stopped_unless_overtaken(moved, Stopped::Later)));
                    }
                    Next::Again => {}
                }
            }
            handled = Some(signature.signer.to_hex());
        }
        let moved = self
            .updates
            .advance_update(
                update.number,
                update.from.as_deref(),
                page.next.as_deref(),
                &counts,
            )
            .await?;
        if !moved {
            return Ok(Some(Page::Stopped(Stopped::Overtaken)));
        }
        if page.next.is_none() {
            tracing::info!(update = %update.number, "the update went to every signer who asked");
        }
        Ok(Some(Page::Read))
    }

    /// Moves the update's read on to the last signer handled, with what went; false when
    /// another sender moved it first.
    async fn move_update(
        &self,
        update: &Update,
        handled: Option<String>,
        counts: &UpdateCounts,
    ) -> Result<bool, StoreError> {
        // Stopped before its first signer, a page moved nothing: nothing to write.
        if handled.is_none() || (handled == update.from && counts.is_empty()) {
            return Ok(true);
        }
        self.updates
            .advance_update(
                update.number,
                update.from.as_deref(),
                handled.as_deref(),
                counts,
            )
            .await
    }

    /// Sends the update to one signer, unless it was claimed before.
    async fn send_update(
        &self,
        update: &Update,
        signature: &Signature,
        deadline: Instant,
    ) -> Result<Next, StoreError> {
        let wording = self.update_wording;
        if !self
            .updates
            .claim_update(update.number, &signature.signer)
            .await?
        {
            return Ok(Next::Again);
        }
        // Read again now, not as the page read it up to a run ago: a signer who erased their
        // signature or stopped the updates since gets nothing.
        let now = self.signatures.find(&signature.signer).await?;
        let email = now.filter(wants_update).and_then(|signature| {
            update_email(self.settings, wording, self.keyring, &signature, update)
        });
        let Some(email) = email else {
            self.updates
                .settle_update(update.number, &signature.signer, Settled::Returned)
                .await?;
            return Ok(Next::Again);
        };
        let (next, unsure) = self.deliver(&email, deadline).await;
        let settled = match next {
            Next::Sent => Some(Settled::Sent),
            Next::Refused => Some(Settled::Refused),
            // SES may have taken it before the fault: left claimed, it is never sent twice.
            Next::Later if unsure => None,
            Next::Later | Next::Again => Some(Settled::Returned),
        };
        if let Some(settled) = settled {
            self.updates
                .settle_update(update.number, &signature.signer, settled)
                .await?;
        }
        Ok(next)
    }

    /// Sends one email at the pace, waiting out throttling; `Later` when it cannot go now, and
    /// whether SES may have taken it all the same (a fault, which can come after the send).
    async fn deliver(&self, email: &OutgoingEmail, deadline: Instant) -> (Next, bool) {
        let mut retries = Retries::new();
        loop {
            if !self.pace.slot_before(deadline).await {
                return (Next::Later, false);
            }
            let answer = self.mailer.send(email).await;
            // Not sent again after a fault: the fault may have come after SES took it.
            if matches!(answer, Err(MailError::Unavailable(_))) {
                tracing::warn!(
                    "mail unavailable; this email's fate is unknown and it is not sent again"
                );
                return (Next::Later, true);
            }
            match retries.after(answer, self.pace, deadline).await {
                Next::Again => {}
                next => return (next, false),
            }
        }
    }
}
