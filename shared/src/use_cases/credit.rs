//! Credit for a signature: to the partner or channel it came through, as long as that is one.

use crate::domain::Source;
use crate::ports::Partners;
use crate::use_cases::sign::Petition;
use tracing::instrument;

/// Credits a petition: a channel as it is; a partner only while it is on the supporters list,
/// so a made-up or withdrawn code counts as none, and with the partner's name in the
/// petition's language (what its frame showed, to which a consent is given). Credit is never
/// worth a signature: when the list cannot be read, the signature goes in without it.
#[instrument(skip_all)]
pub async fn credit(partners: &dyn Partners, petition: &mut Petition) {
    petition.partner_name = None;
    let Some(Source::Partner(id)) = &petition.source else {
        return;
    };
    match partners.partner(id).await {
        Ok(Some(partner)) => {
            petition.partner_name = Some(partner.name_in(petition.locale).to_owned());
        }
        Ok(None) => petition.source = None,
        Err(fault) => {
            tracing::warn!(
                error = %crate::telemetry::Causes(&fault),
                "the supporters list could not be read: signed without credit"
            );
            petition.source = None;
        }
    }
}
