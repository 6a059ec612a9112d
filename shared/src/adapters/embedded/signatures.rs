//! The signatures on the embedded store: reads from a snapshot, writes through the writer.

use super::feed::NewSignature;
use super::{ERASED_CONSENTS, EmbeddedStore, SIGNATURES, decode, read_json, unavailable};
use crate::domain::{ErasedConsent, SecretHash, Signature, SignerKey, Timestamp};
use crate::ports::{
    Consents, Insertion, LinkRenewal, Seen, SignatureMailing, SignaturePage, SignatureScan,
    SignatureStore, SignerChoices, StoreError,
};
use async_trait::async_trait;
use redb::{ReadableDatabase, ReadableTable};

#[async_trait]
impl SignatureScan for EmbeddedStore {
    async fn scan(&self, from: Option<String>) -> Result<SignaturePage, StoreError> {
        const PAGE: usize = 500;
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(SIGNATURES).map_err(unavailable)?;
        let start = from.unwrap_or_default();
        let mut signatures: Vec<Signature> = Vec::with_capacity(PAGE + 1);
        let range = table
            .range::<&str>((
                std::ops::Bound::Excluded(start.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .map_err(unavailable)?;
        for entry in range.take(PAGE + 1) {
            let (_, bytes) = entry.map_err(unavailable)?;
            signatures.push(decode(bytes.value())?);
        }
        // One more than a page was read only to learn that another page follows.
        let next = (signatures.len() > PAGE)
            .then(|| {
                signatures.pop();
                signatures.last().map(|s| s.signer.to_hex())
            })
            .flatten();
        // Few, and read whole with the last page.
        let (erased, mailbox_days) = if next.is_none() {
            let table = txn.open_table(ERASED_CONSENTS).map_err(unavailable)?;
            let mut erased = Vec::new();
            for entry in table.iter().map_err(unavailable)? {
                erased.push(decode(entry.map_err(unavailable)?.1.value())?);
            }
            (erased, self.mailboxes().day_counts())
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(SignaturePage {
            signatures,
            erased,
            mailbox_days,
            next,
        })
    }
}

/// A newer submission for a pending signature, as the writer applies it.
pub(super) struct Revision {
    pub(super) signer: SignerKey,
    pub(super) choices: SignerChoices,
    pub(super) renewal: Option<LinkRenewal>,
    pub(super) sent_before: Timestamp,
}

#[async_trait]
impl SignatureStore for EmbeddedStore {
    async fn insert_pending(&self, signature: &Signature) -> Result<Insertion, StoreError> {
        let signature = NewSignature::of(signature)?;
        self.write(move |batch| batch.insert(&signature)).await
    }

    async fn revise_pending(
        &self,
        signer: &SignerKey,
        choices: &SignerChoices,
        renewal: Option<&LinkRenewal>,
        sent_before: Timestamp,
    ) -> Result<bool, StoreError> {
        let revision = Revision {
            signer: *signer,
            choices: choices.clone(),
            renewal: renewal.copied(),
            sent_before,
        };
        self.write(move |batch| batch.revise(&revision)).await
    }

    async fn confirm(
        &self,
        signer: &SignerKey,
        secret_hash: &SecretHash,
        at: Timestamp,
        seen: &Consents,
    ) -> Result<bool, StoreError> {
        let (signer, secret_hash, seen) = (*signer, *secret_hash, seen.clone());
        self.write(move |batch| batch.confirm(&signer, &secret_hash, at, &seen))
            .await
    }

    async fn replace_consents(
        &self,
        signer: &SignerKey,
        erase_hash: &SecretHash,
        seen: &Seen,
        new: &Consents,
    ) -> Result<bool, StoreError> {
        let (signer, hash, seen, new) = (*signer, *erase_hash, seen.clone(), new.clone());
        self.write(move |batch| batch.replace_consents(&signer, &hash, &seen, &new))
            .await
    }

    async fn erase(
        &self,
        signer: &SignerKey,
        erase_hash: Option<&SecretHash>,
        at: Timestamp,
    ) -> Result<Option<Signature>, StoreError> {
        let (signer, erase_hash) = (*signer, erase_hash.copied());
        self.write(move |batch| batch.erase(&signer, erase_hash.as_ref(), at))
            .await
    }

    async fn forget_erased(&self, erased: &ErasedConsent) -> Result<(), StoreError> {
        let erased = erased.clone();
        self.write(move |batch| batch.forget_erased(&erased)).await
    }

    async fn erase_pending(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        let signer = *signer;
        self.write(move |batch| batch.erase_pending(&signer)).await
    }
}

#[async_trait::async_trait]
impl crate::ports::MailboxCounts for EmbeddedStore {
    async fn count_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Result<bool, StoreError> {
        // Logged under the lock, so the log replays the counts in the order they were decided.
        let mut counts = self.mailboxes();
        counts
            .count(*mailbox, at, limit)
            .map_or(Ok(false), |entry| self.log_mailbox(entry).map(|()| true))
    }

    async fn uncount_email_to(
        &self,
        mailbox: &crate::domain::MailboxKey,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut counts = self.mailboxes();
        counts
            .give_back(*mailbox, at)
            .map_or(Ok(()), |entry| self.log_mailbox(entry))
    }
}

#[async_trait]
impl SignatureMailing for EmbeddedStore {
    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        read_json(
            &txn.open_table(SIGNATURES).map_err(unavailable)?,
            &signer.to_hex(),
        )
    }

    async fn mark_mailed(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let (signer, link) = (*signer, *link);
        self.write(move |batch| batch.mark_mailed(&signer, &link, at))
            .await
    }

    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
        let signer = *signer;
        self.write(move |batch| batch.mark_undeliverable(&signer))
            .await
    }
}
