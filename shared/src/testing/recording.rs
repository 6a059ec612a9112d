//! A store that notes each call it passes on, by the item it reaches and whether it reads or
//! writes: what a person timing an answer could tell apart.

use crate::domain::{Contact, Organisation, OrganisationId, Standing};
use crate::domain::{MailboxKey, SecretHash, Signature, SignerKey, Timestamp};
use crate::ports::{
    Insertion, LinkRenewal, SignatureMailing, SignatureStore, SignerChoices, StoreError,
    SupporterStore,
};
use std::sync::{Arc, Mutex};

/// One awaited store call, as the store's network sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    ReadSignature,
    WriteSignature,
    WriteMailbox,
    ReadOrganisation,
    WriteOrganisation,
}

pub struct Recording {
    store: Arc<dyn SignatureStore>,
    /// The same store as the supporters list sees it, where organisations are recorded too.
    supporters: Option<Arc<dyn SupporterStore>>,
    calls: Mutex<Vec<Call>>,
    /// Reads to answer "not there" whatever is stored: as a concurrent request's insert lands
    /// between a read and the write after it.
    stale_reads: std::sync::atomic::AtomicUsize,
}

impl Recording {
    pub fn of(store: Arc<dyn SignatureStore>) -> Self {
        Self {
            store,
            supporters: None,
            calls: Mutex::default(),
            stale_reads: 0.into(),
        }
    }

    /// Records the supporters list's calls as well as the signatures'.
    pub fn of_both(store: Arc<dyn SignatureStore>, supporters: Arc<dyn SupporterStore>) -> Self {
        Self {
            supporters: Some(supporters),
            ..Self::of(store)
        }
    }

    fn supporters(&self) -> &dyn SupporterStore {
        self.supporters
            .as_deref()
            .expect("made with Recording::of_both")
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
    async fn confirm(
        &self,
        signer: &SignerKey,
        secret_hash: &SecretHash,
        at: Timestamp,
        seen: &crate::ports::Consents,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store.confirm(signer, secret_hash, at, seen).await
    }
    async fn replace_consents(
        &self,
        signer: &SignerKey,
        erase_hash: &SecretHash,
        seen: &crate::ports::Seen,
        new: &crate::ports::Consents,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store
            .replace_consents(signer, erase_hash, seen, new)
            .await
    }
    async fn erase(
        &self,
        signer: &SignerKey,
        erase_hash: Option<&SecretHash>,
        at: Timestamp,
    ) -> Result<Option<Signature>, StoreError> {
        self.note(Call::WriteSignature);
        self.store.erase(signer, erase_hash, at).await
    }
    async fn forget_erased(&self, erased: &crate::domain::ErasedConsent) -> Result<(), StoreError> {
        self.note(Call::WriteSignature);
        self.store.forget_erased(erased).await
    }
    async fn erase_pending(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        self.note(Call::WriteSignature);
        self.store.erase_pending(signer).await
    }
}

#[async_trait::async_trait]
impl crate::ports::MailboxCounts for Recording {
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
}

#[async_trait::async_trait]
impl SignatureMailing for Recording {
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
    async fn mark_mailed(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: crate::domain::Timestamp,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store.mark_mailed(signer, link, at).await
    }
    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
        self.note(Call::WriteSignature);
        self.store.mark_undeliverable(signer).await
    }
}

#[async_trait::async_trait]
impl crate::ports::OrganisationReading for Recording {
    async fn organisation(
        &self,
        id: &OrganisationId,
    ) -> Result<Option<(Organisation, Option<Contact>)>, StoreError> {
        self.note(Call::ReadOrganisation);
        self.supporters().organisation(id).await
    }
}

#[async_trait::async_trait]
impl crate::ports::SupportersList for Recording {
    async fn organisations_in(
        &self,
        standing: crate::domain::Standing,
    ) -> Result<Vec<Organisation>, StoreError> {
        self.note(Call::ReadOrganisation);
        self.supporters().organisations_in(standing).await
    }
}

#[async_trait::async_trait]
impl SupporterStore for Recording {
    async fn insert_request(
        &self,
        organisation: &Organisation,
        contact: &Contact,
    ) -> Result<(), StoreError> {
        self.note(Call::WriteOrganisation);
        self.supporters()
            .insert_request(organisation, contact)
            .await
    }
    async fn confirm_contact(
        &self,
        id: &OrganisationId,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteOrganisation);
        self.supporters().confirm_contact(id, link, at).await
    }
    async fn decide(
        &self,
        decided: &Organisation,
        from: Standing,
        forget_contact_at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteOrganisation);
        self.supporters()
            .decide(decided, from, forget_contact_at)
            .await
    }
    async fn set_frame_origins(
        &self,
        id: &OrganisationId,
        origins: &[crate::domain::FrameOrigin],
    ) -> Result<bool, StoreError> {
        self.note(Call::WriteOrganisation);
        self.supporters().set_frame_origins(id, origins).await
    }
    async fn forget_contact(&self, id: &OrganisationId) -> Result<bool, StoreError> {
        self.note(Call::WriteOrganisation);
        self.supporters().forget_contact(id).await
    }
    async fn seed(&self, organisations: &[Organisation]) -> Result<usize, StoreError> {
        self.note(Call::WriteOrganisation);
        self.supporters().seed(organisations).await
    }
}
