//! The change feed: each write's old and new images of a signature, and each new contact's,
//! numbered, as a DynamoDB stream carries them (but for the mailer's mark, and contacts'
//! later changes, which no consumer acts on), with where each consumer stopped.

use super::{CHANGES, CHECKPOINTS, EmbeddedStore, unavailable};
use crate::domain::{
    Change, ChangedItem, Contact, ContactChange, OrganisationId, SequenceNumber, Signature,
    SignatureChange,
};
use crate::ports::StoreError;
use redb::ReadableDatabase;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tokio::sync::watch;

/// A change as the feed keeps it: a signature's images, or a contact's. A signature's is read
/// without a tag, so the feed written before contacts joined it reads as it did.
#[derive(Serialize, Deserialize)]
pub(super) struct StoredChange {
    #[serde(default)]
    old: Option<Signature>,
    #[serde(default)]
    new: Option<Signature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact: Option<StoredContactChange>,
}

#[derive(Serialize, Deserialize)]
struct StoredContactChange {
    organisation: OrganisationId,
    old: Option<Contact>,
    new: Option<Contact>,
}

impl StoredChange {
    pub(super) fn of_signature(old: Option<Signature>, new: Option<Signature>) -> Self {
        Self {
            old,
            new,
            contact: None,
        }
    }

    pub(super) fn of_contact(
        organisation: OrganisationId,
        old: Option<Contact>,
        new: Option<Contact>,
    ) -> Self {
        Self {
            old: None,
            new: None,
            contact: Some(StoredContactChange {
                organisation,
                old,
                new,
            }),
        }
    }

    fn read(self) -> ChangedItem {
        match self.contact {
            Some(c) => ChangedItem::Contact(ContactChange {
                organisation: c.organisation,
                old: c.old,
                new: c.new,
            }),
            None => ChangedItem::Signature(SignatureChange {
                old: self.old,
                new: self.new,
            }),
        }
    }
}

/// A new signature, serialised once by whoever inserts it, so the single writer that a spike
/// waits on only copies bytes: the item, and the change that reads back as a `StoredChange`.
pub(super) struct NewSignature {
    pub(super) key: String,
    pub(super) item: Box<RawValue>,
    pub(super) change: Vec<u8>,
}

impl NewSignature {
    pub(super) fn of(signature: &Signature) -> Result<Self, StoreError> {
        #[derive(Serialize)]
        struct Created<'a> {
            old: Option<()>,
            new: &'a RawValue,
        }
        let item = serde_json::value::to_raw_value(signature).map_err(unavailable)?;
        let change = serde_json::to_vec(&Created {
            old: None,
            new: &item,
        })
        .map_err(unavailable)?;
        Ok(Self {
            key: signature.signer.to_hex(),
            item,
            change,
        })
    }
}

/// Changes read from the feed, and the number its consumer goes on from once it has them.
pub struct FeedPage {
    pub changes: Vec<Change>,
    /// The last change's number, or where the read started when there was none.
    pub last: u64,
}

impl EmbeddedStore {
    /// Up to `limit` changes after number `after`, oldest first. Only signatures and contacts
    /// are written to the feed.
    pub fn changes_after(&self, after: u64, limit: usize) -> Result<FeedPage, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(CHANGES).map_err(unavailable)?;
        let mut page = FeedPage {
            changes: Vec::new(),
            last: after,
        };
        for entry in table.range(after + 1..).map_err(unavailable)?.take(limit) {
            let (seq, bytes) = entry.map_err(unavailable)?;
            let stored: StoredChange = serde_json::from_slice(bytes.value())
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            page.changes.push(Change {
                sequence: SequenceNumber::from(seq.value()),
                item: stored.read(),
            });
            page.last = seq.value();
        }
        Ok(page)
    }

    /// Wakes when changes newer than the last seen are written.
    pub fn watch_changes(&self) -> watch::Receiver<u64> {
        self.latest_change.clone()
    }

    /// Where a consumer of the change feed stopped.
    pub fn feed_checkpoint(&self, consumer: &str) -> Result<u64, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(CHECKPOINTS).map_err(unavailable)?;
        Ok(table
            .get(consumer)
            .map_err(unavailable)?
            .map_or(0, |v| v.value()))
    }

    pub async fn set_feed_checkpoint(&self, consumer: &str, seq: u64) -> Result<(), StoreError> {
        let consumer = consumer.to_owned();
        self.write(move |batch| batch.checkpoint(&consumer, seq))
            .await
    }
}
