//! A store that notes each call it passes on, by the item it reaches and whether it reads or
//! writes: what a person timing an answer could tell apart.

use crate::domain::{MailboxKey, SecretHash, Signature, SignerKey, Timestamp};
use crate::ports::{Insertion, LinkRenewal, SignatureStore, SignerChoices, StoreError};
use std::sync::{Arc, Mutex};

/// One awaited store call, as the store's network sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    ReadSignature,
    WriteSignature,
    WriteMailbox,
}

pub struct Recording {
    store: Arc<dyn SignatureStore>,
    calls: Mutex<Vec<Call>>,
    /// Reads to answer "not there" whatever is stored: as a concurrent request's insert lands
    /// between a read and the write after it.
    stale_reads: std::sync::atomic::AtomicUsize,
}

impl Recording {
    pub fn of(store: Arc<dyn SignatureStore>) -> Self {
        Self {
            store,
            calls: Mutex::default(),
            stale_reads: 0.into(),
        }
    }

    /// The next `reads` reads find nothing, whatever is stored.
    pub fn stale_for(&self, reads: usize) {
        self.stale_reads
            .store(reads, std::sync::atomic::Ordering::SeqCst);
    }

    /// The calls since the last time they were taken.
    pub fn take(&self) -> Vec<Call> {
        std::mem::take(&mut self.calls.lock().unwrap())
    }

    fn note(&self, call: Call) {
        self.calls.lock().unwrap().push(call);
    }
}

#[async_trait::async_trait]
impl SignatureStore for Recording {
    async fn insert_pending(&self, signature: &Signature) -> Result<Insertion, StoreError> {
        self.note(Call::WriteSignature);
        self.store.insert_pending(signature).await
    }
    async fn revise_pending(
        &self,
        signer: &SignerKey,
        choices: &SignerChoices,
        renewal: Option<&LinkRenewal>,
        sent_before: Timestamp,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store
            .revise_pending(signer, choices, renewal, sent_before)
            .await
    }
    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        self.note(Call::ReadSignature);
        let stale = self
            .stale_reads
            .fetch_update(
                std::sync::atomic::Ordering::SeqCst,
                std::sync::atomic::Ordering::SeqCst,
                |left| left.checked_sub(1),
            )
            .is_ok();
        if stale {
            return Ok(None);
        }
        self.store.find(signer).await
    }
    async fn confirm(
        &self,
        signer: &SignerKey,
        secret_hash: &SecretHash,
        at: Timestamp,
        keep_email: bool,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store
            .confirm(signer, secret_hash, at, keep_email)
            .await
    }
    async fn erase(
        &self,
        signer: &SignerKey,
        erase_hash: Option<&SecretHash>,
    ) -> Result<Option<Signature>, StoreError> {
        self.note(Call::WriteSignature);
        self.store.erase(signer, erase_hash).await
    }
    async fn mark_mailed(&self, signer: &SignerKey, link: &SecretHash) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store.mark_mailed(signer, link).await
    }
    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store.mark_undeliverable(signer).await
    }
    async fn count_email_to(
        &self,
        mailbox: &MailboxKey,
        at: Timestamp,
        limit: u32,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteMailbox);
        self.store.count_email_to(mailbox, at, limit).await
    }
    async fn uncount_email_to(
        &self,
        mailbox: &MailboxKey,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.note(Call::WriteMailbox);
        self.store.uncount_email_to(mailbox, at).await
    }
    async fn erase_pending(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        self.note(Call::WriteSignature);
        self.store.erase_pending(signer).await
    }
}
