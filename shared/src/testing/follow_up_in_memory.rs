//! The follow-up mail's store, in memory: for the launch bench, where a store on disk would be
//! waited on in real time, which its virtual clock skips over. Holds the signers an update goes
//! to, read page by page in the order of their keys, as a scan reads a table.

use crate::domain::{
    Locale, SecretHash, Signature, SignerKey, Timestamp, Update, UpdateCounts, UpdateNumber,
    UpdateText,
};
use crate::ports::{
    Claims, MailboxCounts, ReminderPass, ReminderStore, Settled, SignatureMailing, SignaturePage,
    SignatureScan, StoreError, UpdateStore,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// How many signatures a page holds: about what a megabyte of DynamoDB's scan holds.
const PAGE: usize = 3_000;

#[derive(Default)]
pub struct FollowUpInMemory {
    signatures: BTreeMap<String, Signature>,
    update: Mutex<Option<Update>>,
    /// Each claim, and what became of it once settled.
    claims: Mutex<HashMap<(UpdateNumber, SignerKey), Option<Settled>>>,
    pass: Mutex<Option<ReminderPass>>,
}

impl FollowUpInMemory {
    /// A store of `signatures`.
    pub fn of(signatures: impl IntoIterator<Item = Signature>) -> Self {
        Self {
            signatures: signatures
                .into_iter()
                .map(|s| (s.signer.to_hex(), s))
                .collect(),
            ..Self::default()
        }
    }

    fn update_numbered(&self, number: UpdateNumber) -> Option<Update> {
        self.update
            .lock()
            .unwrap()
            .clone()
            .filter(|u| u.number == number)
    }
}

#[async_trait::async_trait]
impl SignatureScan for FollowUpInMemory {
    async fn scan(&self, from: Option<String>) -> Result<SignaturePage, StoreError> {
        let start = from.unwrap_or_default();
        let signatures: Vec<Signature> = self
            .signatures
            .range::<String, _>((
                std::ops::Bound::Excluded(&start),
                std::ops::Bound::Unbounded,
            ))
            .take(PAGE)
            .map(|(_, s)| s.clone())
            .collect();
        let next = (signatures.len() == PAGE)
            .then(|| signatures.last().map(|s| s.signer.to_hex()))
            .flatten();
        Ok(SignaturePage {
            signatures,
            erased: Vec::new(),
            mailbox_days: Vec::new(),
            next,
        })
    }
}

#[async_trait::async_trait]
impl UpdateStore for FollowUpInMemory {
    async fn add_update(
        &self,
        texts: &BTreeMap<Locale, UpdateText>,
        at: Timestamp,
    ) -> Result<Result<UpdateNumber, UpdateNumber>, StoreError> {
        let mut update = self.update.lock().unwrap();
        if let Some(last) = update.as_ref().filter(|u| !u.done) {
            return Ok(Err(last.number));
        }
        let number = update
            .as_ref()
            .map_or(UpdateNumber::FIRST, |u| u.number.next());
        *update = Some(Update {
            number,
            texts: texts.clone(),
            sent_at: at,
            from: None,
            done: false,
            counts: UpdateCounts::default(),
        });
        Ok(Ok(number))
    }

    async fn latest_update(&self) -> Result<Option<Update>, StoreError> {
        Ok(self.update.lock().unwrap().clone())
    }

    async fn update(&self, number: UpdateNumber) -> Result<Option<Update>, StoreError> {
        Ok(self.update_numbered(number))
    }

    async fn advance_update(
        &self,
        number: UpdateNumber,
        from: Option<&str>,
        to: Option<&str>,
        counts: &UpdateCounts,
    ) -> Result<bool, StoreError> {
        let mut update = self.update.lock().unwrap();
        let Some(update) = update
            .as_mut()
            .filter(|u| u.number == number && !u.done && u.from.as_deref() == from)
        else {
            return Ok(false);
        };
        update.from = to.map(str::to_owned);
        update.done = to.is_none();
        update.counts.add(counts);
        Ok(true)
    }

    async fn count_update(
        &self,
        number: UpdateNumber,
        counts: &UpdateCounts,
    ) -> Result<(), StoreError> {
        if let Some(update) = self
            .update
            .lock()
            .unwrap()
            .as_mut()
            .filter(|u| u.number == number)
        {
            update.counts.add(counts);
        }
        Ok(())
    }

    async fn claim_update(
        &self,
        number: UpdateNumber,
        signer: &SignerKey,
    ) -> Result<bool, StoreError> {
        let mut claims = self.claims.lock().unwrap();
        Ok(claims.insert((number, *signer), None).is_none())
    }

    async fn settle_update(
        &self,
        number: UpdateNumber,
        signer: &SignerKey,
        settled: Settled,
    ) -> Result<(), StoreError> {
        let mut claims = self.claims.lock().unwrap();
        if settled == Settled::Returned {
            claims.remove(&(number, *signer));
        } else {
            claims.insert((number, *signer), Some(settled));
        }
        Ok(())
    }

    async fn claims(&self, number: UpdateNumber) -> Result<Claims, StoreError> {
        let mut counted = Claims::default();
        for ((n, _), settled) in self.claims.lock().unwrap().iter() {
            if *n == number {
                *match settled {
                    Some(Settled::Sent) => &mut counted.sent,
                    Some(Settled::Refused) => &mut counted.refused,
                    _ => &mut counted.unsettled,
                } += 1;
            }
        }
        Ok(counted)
    }
}

#[async_trait::async_trait]
impl ReminderStore for FollowUpInMemory {
    async fn reminder_pass(&self) -> Result<Option<ReminderPass>, StoreError> {
        Ok(self.pass.lock().unwrap().clone())
    }

    async fn save_reminder_pass(
        &self,
        seen: Option<&ReminderPass>,
        new: &ReminderPass,
    ) -> Result<bool, StoreError> {
        let mut pass = self.pass.lock().unwrap();
        if pass.as_ref() != seen {
            return Ok(false);
        }
        *pass = Some(new.clone());
        Ok(true)
    }

    /// Its signers are confirmed: none waits for a reminder.
    async fn claim_reminder(
        &self,
        _: &SignerKey,
        _: &SecretHash,
        _: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(false)
    }

    async fn release_reminder(&self, _: &SignerKey, _: Timestamp) -> Result<(), StoreError> {
        Ok(())
    }
}

#[async_trait::async_trait]
impl SignatureMailing for FollowUpInMemory {
    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        Ok(self.signatures.get(&signer.to_hex()).cloned())
    }

    /// Its signers are confirmed: nothing of theirs is mailed or marked here.
    async fn mark_mailed(
        &self,
        _: &SignerKey,
        _: &SecretHash,
        _: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(false)
    }

    async fn mark_undeliverable(&self, _: &SignerKey) -> Result<bool, StoreError> {
        Ok(false)
    }
}

#[async_trait::async_trait]
impl MailboxCounts for FollowUpInMemory {
    async fn count_email_to(
        &self,
        _: &crate::domain::MailboxKey,
        _: Timestamp,
        _: u32,
    ) -> Result<bool, StoreError> {
        Ok(true)
    }

    async fn uncount_email_to(
        &self,
        _: &crate::domain::MailboxKey,
        _: Timestamp,
    ) -> Result<(), StoreError> {
        Ok(())
    }
}
