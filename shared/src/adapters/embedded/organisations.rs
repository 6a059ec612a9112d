//! The supporters list on the embedded store: one record per organisation, holding its contact
//! until the day it is forgotten, written by the store's single writer.

use super::feed::StoredChange;
use super::{EmbeddedStore, decode, unavailable};
use crate::domain::{
    Contact, FrameOrigin, Organisation, OrganisationId, SecretHash, Standing, Timestamp,
};
use crate::ports::StoreError;
use crate::ports::{OrganisationReading, SupporterStore, SupportersList};
use async_trait::async_trait;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

pub(super) const ORGANISATIONS: TableDefinition<&str, &[u8]> =
    TableDefinition::new("organisations");

pub(super) type Table<'t> = redb::Table<'t, &'static str, &'static [u8]>;

#[derive(Serialize, Deserialize)]
struct Stored {
    organisation: Organisation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact: Option<Contact>,
}

/// Requests whose contact has not confirmed are kept under keys that sort after every id
/// (`~` after letters and digits), so the list read whole never reads them: a flood of
/// unconfirmed requests costs the pages nothing.
const UNCONFIRMED: &str = "~";

fn key(id: &str, standing: Standing) -> String {
    if standing == Standing::Unconfirmed {
        format!("{UNCONFIRMED}{id}")
    } else {
        id.to_owned()
    }
}

/// An organisation by its id, confirmed or not.
fn read(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    id: &str,
) -> Result<Option<Stored>, StoreError> {
    for key in [id.to_owned(), format!("{UNCONFIRMED}{id}")] {
        if let Some(bytes) = table.get(key.as_str()).map_err(unavailable)? {
            return decode(bytes.value()).map(Some);
        }
    }
    Ok(None)
}

/// Writes an organisation under the key its standing gives, and not under the other.
fn write(table: &mut Table<'_>, stored: &Stored) -> Result<(), StoreError> {
    let organisation = &stored.organisation;
    let bytes = serde_json::to_vec(stored).map_err(unavailable)?;
    if organisation.standing != Standing::Unconfirmed {
        table
            .remove(key(organisation.id.as_str(), Standing::Unconfirmed).as_str())
            .map_err(unavailable)?;
    }
    table
        .insert(
            key(organisation.id.as_str(), organisation.standing).as_str(),
            bytes.as_slice(),
        )
        .map_err(unavailable)?;
    Ok(())
}

/// Deletes what DynamoDB's TTL would have by `now`: expired requests, and contacts past the day
/// they are forgotten.
pub(super) fn purge(table: &mut Table<'_>, now: Timestamp) -> Result<(), StoreError> {
    let mut expired = Vec::new();
    let mut forgotten = Vec::new();
    for entry in table.iter().map_err(unavailable)? {
        let (id, bytes) = entry.map_err(unavailable)?;
        let stored: Stored = decode(bytes.value())?;
        if stored.organisation.expires_at.is_some_and(|at| at <= now) {
            expired.push(id.value().to_owned());
        } else if stored.contact.as_ref().is_some_and(|c| c.forget_at <= now) {
            forgotten.push(stored);
        }
    }
    for key in expired {
        table.remove(key.as_str()).map_err(unavailable)?;
    }
    for mut stored in forgotten {
        stored.contact = None;
        write(table, &stored)?;
    }
    Ok(())
}

impl EmbeddedStore {
    async fn change<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Table<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.write(move |batch| change(&mut batch.organisations))
            .await
    }
}

#[async_trait]
impl OrganisationReading for EmbeddedStore {
    async fn organisation(
        &self,
        id: &OrganisationId,
    ) -> Result<Option<(Organisation, Option<Contact>)>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(ORGANISATIONS).map_err(unavailable)?;
        Ok(read(&table, id.as_str())?.map(|s| (s.organisation, s.contact)))
    }
}

#[async_trait]
impl SupportersList for EmbeddedStore {
    /// The local stack reads every confirmed request and keeps those of `standing`: nobody
    /// floods it.
    async fn organisations_in(&self, standing: Standing) -> Result<Vec<Organisation>, StoreError> {
        let txn = self.db.begin_read().map_err(unavailable)?;
        let table = txn.open_table(ORGANISATIONS).map_err(unavailable)?;
        let mut all = Vec::new();
        for entry in table.range(..UNCONFIRMED).map_err(unavailable)? {
            let (_, bytes) = entry.map_err(unavailable)?;
            let organisation = decode::<Stored>(bytes.value())?.organisation;
            if organisation.standing == standing {
                all.push(organisation);
            }
        }
        Ok(all)
    }
}

#[async_trait]
impl SupporterStore for EmbeddedStore {
    async fn insert_request(
        &self,
        organisation: &Organisation,
        contact: &Contact,
    ) -> Result<(), StoreError> {
        let stored = Stored {
            organisation: organisation.clone(),
            contact: Some(contact.clone()),
        };
        // The new contact goes to the feed as DynamoDB's stream carries its item: the mailer
        // sends its link from there.
        let change = serde_json::to_vec(&StoredChange::of_contact(
            organisation.id.clone(),
            None,
            Some(contact.clone()),
        ))
        .map_err(unavailable)?;
        self.write(move |batch| {
            write(&mut batch.organisations, &stored).and_then(|()| batch.feed.append(&change))
        })
        .await
    }

    async fn confirm_contact(
        &self,
        id: &OrganisationId,
        link: &SecretHash,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let (id, link) = (id.clone(), *link);
        self.change(move |table| {
            let Some(mut stored) = read(table, id.as_str())? else {
                return Ok(false);
            };
            let live = stored
                .contact
                .as_ref()
                .and_then(|c| c.link_hash.as_ref())
                .is_some_and(|hash| hash.matches(&link));
            if stored.organisation.standing != Standing::Unconfirmed || !live {
                return Ok(false);
            }
            stored.organisation.standing = Standing::Waiting;
            stored.organisation.expires_at = None;
            // The link's hash stays: only the link itself may tell that it was used.
            if let Some(contact) = stored.contact.as_mut() {
                contact.forget_at = crate::domain::retention::contact_forgotten_while_waiting(at);
            }
            write(table, &stored)?;
            Ok(true)
        })
        .await
    }

    async fn decide(
        &self,
        decided: &Organisation,
        from: Standing,
        forget_contact_at: Timestamp,
    ) -> Result<bool, StoreError> {
        let decided = decided.clone();
        self.change(move |table| {
            let Some(stored) = read(table, decided.id.as_str())? else {
                return Ok(false);
            };
            if stored.organisation.standing != from {
                return Ok(false);
            }
            // A contact past its day stays forgotten, whatever is decided now.
            let decided_at = decided.decided_at.unwrap_or(forget_contact_at);
            let contact = stored
                .contact
                .filter(|c| c.forget_at > decided_at)
                .map(|mut c| {
                    c.forget_at = forget_contact_at;
                    c
                });
            write(
                table,
                &Stored {
                    organisation: decided,
                    contact,
                },
            )?;
            Ok(true)
        })
        .await
    }

    async fn set_frame_origins(
        &self,
        id: &OrganisationId,
        origins: &[FrameOrigin],
    ) -> Result<bool, StoreError> {
        let (id, origins) = (id.clone(), origins.to_vec());
        self.change(move |table| {
            let Some(mut stored) = read(table, id.as_str())? else {
                return Ok(false);
            };
            stored.organisation.frame_origins = origins;
            write(table, &stored)?;
            Ok(true)
        })
        .await
    }

    async fn forget_contact(&self, id: &OrganisationId) -> Result<bool, StoreError> {
        let id = id.clone();
        self.change(move |table| {
            let Some(mut stored) = read(table, id.as_str())? else {
                return Ok(false);
            };
            let had = stored.contact.take().is_some();
            write(table, &stored)?;
            Ok(had)
        })
        .await
    }

    async fn seed(&self, organisations: &[Organisation]) -> Result<usize, StoreError> {
        let organisations = organisations.to_vec();
        self.change(move |table| {
            let mut written = 0;
            for organisation in organisations {
                if read(table, organisation.id.as_str())?.is_none() {
                    write(
                        table,
                        &Stored {
                            organisation,
                            contact: None,
                        },
                    )?;
                    written += 1;
                }
            }
            Ok(written)
        })
        .await
    }
}
