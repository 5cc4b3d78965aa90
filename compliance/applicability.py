"""Which duties of the catalogue apply to a use case, and whether an Art. 6(3) claim stands.

Pure: facts in, answers out. The risk tier itself is the portfolio's (derived in the
database from the four intake answers); this module only adds what the Act says on top of
it: the role, the Art. 6(3) exemption of Annex III systems and the conditions of Art. 27
and Art. 50.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from compliance.choices import ROLES_OF, Condition
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
    *, tier: str, annex_iii: bool, safety_component: bool, profiles_people: bool
) -> Refusal | None:
    """Why an Art. 6(3) claim cannot stand, or None when it may.

    Art. 6(3) is open only to Annex III systems (Art. 6(2)), never to a safety component
    of an Annex I product (Art. 6(1)), and its last subparagraph makes an Annex III system
    that profiles natural persons high risk whatever else holds.
    """
    if tier == RiskTier.UNACCEPTABLE:
        return Refusal("prohibited_practice", "An Art. 5 prohibited practice has no exemption.")
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


def applies(entry: Mapping, facts: Facts) -> bool:
    """Whether a catalogue entry (tiers, roles, condition) applies to the facts."""
    if effective_tier(facts) not in entry["tiers"]:
        return False
    if not ROLES_OF[facts.role] & set(entry["roles"]):
        return False
    condition = entry.get("condition") or Condition.ALWAYS
    if condition == Condition.TRANSPARENCY:
        return facts.transparency
    if condition == Condition.FRIA_SCOPE:
        return facts.fria_scope
    if condition == Condition.EXEMPTION:
        return facts.exemption
    return True


GENERAL, ANNEX_I = "general", "annex_i_products"


def date_key(entry_date_key: str, facts: Facts) -> str:
    """The dates of application of a high-risk duty follow the route to high risk: a system
    high risk only as a safety component of an Annex I product (Art. 6(1)) takes the later
    Art. 113(c) date."""
    if (
        entry_date_key == GENERAL
        and effective_tier(facts) == RiskTier.HIGH
        and facts.safety_component
        and not facts.annex_iii
    ):
        return ANNEX_I
    return entry_date_key
