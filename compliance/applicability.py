"""Which duties of the catalogue apply to a use case, and whether an Art. 6(3) claim stands.

Pure: facts in, answers out. The risk tier itself is the portfolio's (derived in the
database from the four intake answers); this module only adds what the Act says on top of
it: the role, the Art. 6(3) exemption of Annex III systems and the conditions of Art. 27
and Art. 50.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from compliance.choices import ROLES_OF, ActRole, Condition
from portfolio.choices import RiskTier


@dataclass(frozen=True)
class Facts:
    """What applicability is judged on, for one use case."""

    tier: str
    annex_iii: bool
    safety_component: bool
    transparency: bool
    role: str
    fria_scope: bool = False
    exemption: bool = False
    # The Art. 50 facts, one by one.
    interacts: bool = False
    synthetic: bool = False
    emotion_biometric: bool = False
    deep_fake: bool = False
    decides: bool = True
    public_authority: bool = False


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def effective_tier(facts: Facts) -> str:
    """The tier the obligations follow: an accepted Art. 6(3) claim takes an Annex III system
    out of high risk (to limited when it has a transparency duty, else minimal)."""
    if (
        facts.tier == RiskTier.HIGH
        and facts.exemption
        and facts.annex_iii
        and not facts.safety_component
    ):
        return RiskTier.LIMITED if facts.transparency else RiskTier.MINIMAL
    return facts.tier


def exemption_refusal(
    *,
    tier: str,
    annex_iii: bool,
    safety_component: bool,
    profiles_people: bool,
    role: str | None = ActRole.PROVIDER,
) -> Refusal | None:
    """Why an Art. 6(3) claim cannot stand, or None when it may.

    Art. 6(3) is open only to Annex III systems (Art. 6(2)), never to a safety component
    of an Annex I product (Art. 6(1)), and its last subparagraph makes an Annex III system
    that profiles natural persons high risk whatever else holds. The assessment is the
    provider's (Art. 6(4)): a deployer cannot make it for itself, and without a recorded
    role nobody can tell whose it is.
    """
    if tier == RiskTier.UNACCEPTABLE:
        return Refusal("prohibited_practice", "An Art. 5 prohibited practice has no exemption.")
    if role is None:
        return Refusal(
            "role_not_recorded",
            "Record the role under the Act first: the Art. 6(3) assessment is the provider's "
            "(Art. 6(4)).",
        )
    if role == ActRole.DEPLOYER:
        return Refusal(
            "exemption_deployer",
            "Art. 6(3) is the provider's assessment, documented under Art. 6(4) and registered "
            "under Art. 49(2); a deployer cannot claim it for itself, and its Art. 26 duties "
            "stand whatever the provider claims.",
        )
    if not annex_iii:
        return Refusal(
            "exemption_not_annex_iii", "Art. 6(3) concerns Annex III systems; this one is not."
        )
    if safety_component:
        return Refusal(
            "exemption_safety_component",
            "A safety component of an Annex I product is high risk under Art. 6(1); "
            "Art. 6(3) does not apply to it.",
        )
    if profiles_people:
        return Refusal(
            "exemption_refused_profiling",
            "An Annex III system that profiles natural persons is always high risk "
            "(Art. 6(3), last subparagraph).",
        )
    return None


def tier_for(side: str, facts: Facts) -> str:
    """The tier one side's duties follow: an accepted Art. 6(3) claim is the provider's
    assessment and moves only the provider's duties; a deployer's follow the system's tier."""
    return effective_tier(facts) if side == ActRole.PROVIDER else facts.tier


def _condition_holds(condition: str, facts: Facts) -> bool:
    return {
        Condition.ALWAYS: True,
        Condition.TRANSPARENCY: facts.transparency,
        Condition.FRIA_SCOPE: facts.fria_scope,
        Condition.EXEMPTION: facts.exemption,
        Condition.INTERACTS: facts.interacts,
        Condition.SYNTHETIC: facts.synthetic,
        Condition.EMOTION_BIOMETRIC: facts.emotion_biometric,
        Condition.DEEP_FAKE: facts.deep_fake,
        Condition.ANNEX_III: facts.annex_iii,
        Condition.DECISIONS: facts.decides,
        Condition.ANNEX_III_DECISIONS: facts.annex_iii and facts.decides,
        Condition.PUBLIC_AUTHORITY: facts.public_authority,
    }[Condition(condition or Condition.ALWAYS)]


def applies(entry: Mapping, facts: Facts) -> bool:
    """Whether a catalogue entry (tiers, roles, condition) applies to the facts: for one of
    the roles the organisation holds, the tier that role's duties follow is one of the
    entry's, and the fact that triggers it holds. Nothing applies to a prohibited practice."""
    if facts.tier == RiskTier.UNACCEPTABLE:
        return False
    if not _condition_holds(entry.get("condition") or Condition.ALWAYS, facts):
        return False
    return any(
        side in entry["roles"] and tier_for(side, facts) in entry["tiers"]
        for side in ROLES_OF[facts.role]
    )


ANNEX_III_DATE, ANNEX_I = "annex_iii_high_risk", "annex_i_products"


def date_key(entry_date_key: str, facts: Facts) -> str:
    """The dates of application of a high-risk duty follow the route to high risk: a system
    high risk only as a safety component of an Annex I product (Art. 6(1)) takes the Annex I
    date (2 August 2028 as amended by the Digital Omnibus), an Annex III one the stand-alone
    date (2 December 2027)."""
    if entry_date_key == ANNEX_III_DATE and facts.safety_component and not facts.annex_iii:
        return ANNEX_I
    return entry_date_key


def due_date_for(*, applies_from: date, lead_days: int, today: date) -> date:
    """A new duty is due ``lead_days`` after it is generated, never before its date of
    application."""
    return max(applies_from, today + timedelta(days=lead_days))


def due_date_moved(*, due: date, old_applies: date, new_applies: date) -> date | None:
    """The new due date of an open obligation when the date of application it depends on
    moves, or None when it does not follow. A duty generated before its date of application
    is due on that date (``due_date_for``); such a due date follows the date. One that is
    not the old date (generated after the law already applied, or set by its owner) stays."""
    if old_applies == new_applies or due != old_applies:
        return None
    return new_applies
