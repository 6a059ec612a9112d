//! The signatures as the mailer reads and marks them, in memory: for the mailer's unit tests and
//! the launch bench, where a store on disk would be waited on in real time, which their virtual
//! clock skips over.

use crate::domain::{SecretHash, Signature, SignerKey};
use crate::ports::{SignatureMailing, StoreError};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
pub struct SignaturesInMemory(Mutex<HashMap<SignerKey, Signature>>);

impl SignaturesInMemory {
    /// Writes a signature as signing would have, replacing any of its signer's.
    pub fn insert(&self, signature: Signature) {
        self.signatures().insert(signature.signer, signature);
    }

    /// Every signature, to read or change in place.
    pub fn signatures(&self) -> MutexGuard<'_, HashMap<SignerKey, Signature>> {
        self.0.lock().unwrap()
    }
}

#[async_trait::async_trait]
impl SignatureMailing for SignaturesInMemory {
    async fn find(&self, signer: &SignerKey) -> Result<Option<Signature>, StoreError> {
        Ok(self.signatures().get(signer).cloned())
    }

    async fn mark_mailed(
        &self,
        signer: &SignerKey,
        link: &SecretHash,
        at: crate::domain::Timestamp,
    ) -> Result<bool, StoreError> {
        let mut signatures = self.signatures();
        let signature = signatures.get_mut(signer).expect("marked after reading");
        signature.mailed_link = Some(*link);
        signature.mailed_at = Some(at);
        Ok(true)
    }

    async fn mark_undeliverable(&self, signer: &SignerKey) -> Result<bool, StoreError> {
        let mut signatures = self.signatures();
        let signature = signatures.get_mut(signer).expect("marked after reading");
        signature.undeliverable = true;
        Ok(true)
    }
}
