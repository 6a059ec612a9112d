//! What people and staff do with the campaign, each written against the ports alone: signing,
//! confirming and erasing, crediting partners, mailing the links, counting, organisations joining the list, the
//! staff's recount and the site's publishing.

pub mod aggregate;
pub mod confirm;
pub mod consent;
pub mod credit;
pub mod erase;
pub mod follow_up;
pub mod mail_events;
pub mod mailing;
#[cfg(feature = "site")]
pub mod publishing;
pub mod recount;
pub mod sending;
pub mod sign;
pub mod supporters;
pub mod unproven;
