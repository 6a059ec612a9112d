//! Credit for a signature: to the partner or channel it came through, as long as that is one.

use crate::domain::Source;
use crate::ports::Partners;
use tracing::instrument;

/// The source a signature is credited to: a channel as it is; a partner only while it is on the
/// supporters list, so a made-up or withdrawn code counts as none. Credit is never worth a
/// signature: when the list cannot be read, the signature goes in without it.
#[instrument(skip_all)]
pub async fn credited(partners: &dyn Partners, claimed: Option<Source>) -> Option<Source> {
    let Some(Source::Partner(id)) = &claimed else {
        return claimed;
    };
    match partners.partner(id).await {
        Ok(Some(_)) => claimed,
        Ok(None) => None,
        Err(fault) => {
            tracing::warn!(
                error = %crate::telemetry::Causes(&fault),
                "the supporters list could not be read: signed without credit"
            );
            None
        }
    }
}
