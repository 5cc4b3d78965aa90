"""Every write of the compliance app: the regulatory profile, Art. 6(3) claims, obligations
(compliance.services.obligations) and the catalogue's loading with its dates of application
(compliance.services.dates). Attachments are in compliance.attachments, the overdue flag in
compliance.watch."""

from compliance.services.dates import (
    DATE_MOVED,
    application_date_update,
    catalogue_current,
    catalogue_load,
    obligations_follow_date,
)
from compliance.services.obligations import (
    PROFILE_FACTS,
    TRANSPARENCY_FACTS,
    SyncResult,
    exemption_claim,
    exemption_current,
    exemption_withdraw,
    facts_of,
    obligation_check,
    obligation_update,
    obligations_sync,
    regulatory_profile_check,
    regulatory_profile_record,
)

__all__ = [
    "DATE_MOVED",
    "PROFILE_FACTS",
    "TRANSPARENCY_FACTS",
    "SyncResult",
    "application_date_update",
    "catalogue_current",
    "catalogue_load",
    "exemption_claim",
    "exemption_current",
    "exemption_withdraw",
    "facts_of",
    "obligation_check",
    "obligation_update",
    "obligations_follow_date",
    "obligations_sync",
    "regulatory_profile_check",
    "regulatory_profile_record",
]
