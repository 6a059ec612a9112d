//! The campaign's updates and the reminders on the embedded store: each update, the number of
//! the last, each signer's claim on an update's email (until every signer was read) and the
//! reminders' pass, as JSON beside the counter; a reminder's claim on the signature itself.

use super::writer::Batch;
use super::{COUNTS, EmbeddedStore, decode, read_json, unavailable};
use crate::domain::{
    Locale, SecretHash, SignatureStatus, SignerKey, Timestamp, Update, UpdateCounts, UpdateNumber,
    UpdateText,
};
use crate::ports::{Claims, ReminderPass, ReminderStore, Settled, StoreError, UpdateStore};
use async_trait::async_trait;
use redb::ReadableDatabase;
use std::collections::BTreeMap;

const LATEST: &str = "updates";
const REMINDERS: &str = "reminders";

fn update_key(number: UpdateNumber) -> String {
    format!("update#{number}")
}

fn claim_key(number: UpdateNumber, signer: &SignerKey) -> String {
    format!("update#{number}#{}", signer.to_hex())
}

/// An update as the store keeps it.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredUpdate {
    texts: BTreeMap<Locale, UpdateText>,
    sent_at: Timestamp,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    counts: UpdateCounts,
}

impl StoredUpdate {
    fn into_update(self, number: UpdateNumber) -> Update {
        Update {
            number,
            texts: self.texts,
            sent_at: self.sent_at,
            from: self.from,
            done: self.done,
            counts: self.counts,
        }
    }
}

/// Where a signer's claim on an update's email stands.
#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
enum Claim {
    Claimed,
    Sent,
    Refused,
}

impl Batch<'_> {
    fn stored_update(&self, number: UpdateNumber) -> Result<Option<StoredUpdate>, StoreError> {
        self.count_item(&update_key(number))
    }

    fn add_update(
        &mut self,
        texts: BTreeMap<Locale, UpdateText>,
        at: Timestamp,
    ) -> Result<Result<UpdateNumber, UpdateNumber>, StoreError> {
        let latest: Option<UpdateNumber> = self.count_item(LATEST)?;
        if let Some(latest) = latest
            && self.stored_update(latest)?.is_some_and(|u| !u.done)
        {
            return Ok(Err(latest));
        }
        let number = latest.map_or(UpdateNumber::FIRST, UpdateNumber::next);
        let stored = StoredUpdate {
            texts,
            sent_at: at,
            from: None,
            done: false,
            counts: UpdateCounts::default(),
        };
        self.put_count_item(&update_key(number), &stored)?;
        self.put_count_item(LATEST, &number)?;
        Ok(Ok(number))
    }

    fn advance_update(
        &mut self,
        number: UpdateNumber,
        from: Option<&str>,
        to: Option<&str>,
        counts: &UpdateCounts,
    ) -> Result<bool, StoreError> {
        let Some(mut stored) = self.stored_update(number)? else {
            return Ok(false);
        };
        if stored.done || stored.from.as_deref() != from {
            return Ok(false);
        }
        stored.from = to.map(str::to_owned);
        stored.done = to.is_none();
        stored.counts.add(counts);
        self.put_count_item(&update_key(number), &stored)?;
        if stored.done {
            // Its claims kept each signer's key: once every signer was read, they go, as
            // DynamoDB's TTL takes them within the week the privacy policy states.
            self.remove_count_items_under(&format!("{}#", update_key(number)))?;
        }
        Ok(true)
    }

    fn count_update(
        &mut self,
        number: UpdateNumber,
        counts: &UpdateCounts,
    ) -> Result<(), StoreError> {
        if let Some(mut stored) = self.stored_update(number)? {
            stored.counts.add(counts);
            self.put_count_item(&update_key(number), &stored)?;
        }
        Ok(())
    }

    fn claim_update(
        &mut self,
        number: UpdateNumber,
        signer: &SignerKey,
    ) -> Result<bool, StoreError> {
        let key = claim_key(number, signer);
        if self.count_item::<Claim>(&key)?.is_some() {
            return Ok(false);
        }
        self.put_count_item(&key, &Claim::Claimed)?;
        Ok(true)
    }

    fn settle_update(
        &mut self,
        number: UpdateNumber,
        signer: &SignerKey,
        settled: Settled,
    ) -> Result<(), StoreError> {
        let key = claim_key(number, signer);
        if self.count_item::<Claim>(&key)? != Some(Claim::Claimed) {
            return Ok(());
        }
        match settled {
            Settled::Sent => self.put_count_item(&key, &Claim::Sent),
            Settled::Refused => self.put_count_item(&key, &Claim::Refused),
            Settled::Returned => self.remove_count_item(&key),
        }
    }

    fn save_reminder_pass(
        &mut self,
        seen: Option<&ReminderPass>,
        new: &ReminderPass,
    ) -> Result<bool, StoreError> {
        if self.count_item::<ReminderPass>(REMINDERS)?.as_ref() != seen {
            return Ok(false);
        }
        self.put_count_item(REMINDERS, new)?;
        Ok(true)
    }

    fn claim_reminder(
        &mut self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let Some(mut signature) = self.get(signer)? else {
            return Ok(false);
        };
        let mailed = signature.mailed_link.is_some_and(|m| m.matches(link));
        if signature.status != SignatureStatus::Pending
            || !signature.link.secret_hash.matches(link)
            || !mailed
            || signature.undeliverable
            || signature.reminded_at.is_some()
        {
            return Ok(false);
        }
        signature.reminded_at = Some(at);
        // As the mark that the email went: no consumer of the feed acts on it.
        self.store(&signature)?;
        Ok(true)
    }

    fn release_reminder(&mut self, signer: &SignerKey, at: Timestamp) -> Result<(), StoreError> {
        if let Some(mut signature) = self.get(signer)?
            && signature.reminded_at == Some(at)
        {
            signature.reminded_at = None;
            self.store(&signature)?;
        }
        Ok(())
    }
}

#[async_trait]
impl UpdateStore for EmbeddedStore {
    async fn add_update(
        &self,
        texts: &BTreeMap<Locale, UpdateText>,
        at: Timestamp,
    ) -> Result<Result<UpdateNumber, UpdateNumber>, StoreError> {
        let texts = texts.clone();
        self.write(move |batch| batch.add_update(texts, at)).await
    }

    async fn latest_update(&self) -> Result<Option<Update>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(COUNTS).map_err(unavailable)?;
        let Some(latest) = read_json::<UpdateNumber>(&table, LATEST)? else {
            return Ok(None);
        };
        let stored: Option<StoredUpdate> = read_json(&table, &update_key(latest))?;
        Ok(stored.map(|s| s.into_update(latest)))
    }

    async fn update(&self, number: UpdateNumber) -> Result<Option<Update>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(COUNTS).map_err(unavailable)?;
        let stored: Option<StoredUpdate> = read_json(&table, &update_key(number))?;
        Ok(stored.map(|s| s.into_update(number)))
    }

    async fn advance_update(
        &self,
        number: UpdateNumber,
        from: Option<&str>,
        to: Option<&str>,
        counts: &UpdateCounts,
    ) -> Result<bool, StoreError> {
        let (from, to, counts) = (from.map(str::to_owned), to.map(str::to_owned), *counts);
        self.write(move |batch| {
            batch.advance_update(number, from.as_deref(), to.as_deref(), &counts)
        })
        .await
    }

    async fn count_update(
        &self,
        number: UpdateNumber,
        counts: &UpdateCounts,
    ) -> Result<(), StoreError> {
        let counts = *counts;
        self.write(move |batch| batch.count_update(number, &counts))
            .await
    }

    async fn claim_update(
        &self,
        number: UpdateNumber,
        signer: &SignerKey,
    ) -> Result<bool, StoreError> {
        let signer = *signer;
        self.write(move |batch| batch.claim_update(number, &signer))
            .await
    }

    async fn settle_update(
        &self,
        number: UpdateNumber,
        signer: &SignerKey,
        settled: Settled,
    ) -> Result<(), StoreError> {
        let signer = *signer;
        self.write(move |batch| batch.settle_update(number, &signer, settled))
            .await
    }

    async fn claims(&self, number: UpdateNumber) -> Result<Claims, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(COUNTS).map_err(unavailable)?;
        let prefix = format!("{}#", update_key(number));
        let mut claims = Claims::default();
        for entry in table.range(prefix.as_str()..).map_err(unavailable)? {
            let (key, value) = entry.map_err(unavailable)?;
            if !key.value().starts_with(&prefix) {
                break;
            }
            *match decode::<Claim>(value.value())? {
                Claim::Claimed => &mut claims.unsettled,
                Claim::Sent => &mut claims.sent,
                Claim::Refused => &mut claims.refused,
            } += 1;
        }
        Ok(claims)
    }
}

#[async_trait]
impl ReminderStore for EmbeddedStore {
    async fn reminder_pass(&self) -> Result<Option<ReminderPass>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        read_json(&txn.open_table(COUNTS).map_err(unavailable)?, REMINDERS)
    }

    async fn save_reminder_pass(
        &self,
        seen: Option<&ReminderPass>,
        new: &ReminderPass,
    ) -> Result<bool, StoreError> {
        let (seen, new) = (seen.cloned(), new.clone());
        self.write(move |batch| batch.save_reminder_pass(seen.as_ref(), &new))
            .await
    }

    async fn claim_reminder(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let (signer, link) = (*signer, *link);
        self.write(move |batch| batch.claim_reminder(&signer, &link, at))
            .await
    }

    async fn release_reminder(&self, signer: &SignerKey, at: Timestamp) -> Result<(), StoreError> {
        let signer = *signer;
        self.write(move |batch| batch.release_reminder(&signer, at))
            .await
    }
}
