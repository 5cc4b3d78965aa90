"""Enumerations of the compliance app: the role under the Act, statuses, kinds, frameworks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActRole(models.TextChoices):
    PROVIDER = "provider", _("Provider (develops it or has it developed, under its own name)")
    DEPLOYER = "deployer", _("Deployer (uses it under its authority)")
    BOTH = "both", _("Both provider and deployer")


# The roles a catalogue entry can name; "both" takes the duties of each.
ROLES_OF = {
    ActRole.PROVIDER: frozenset({ActRole.PROVIDER}),
    ActRole.DEPLOYER: frozenset({ActRole.DEPLOYER}),
    ActRole.BOTH: frozenset({ActRole.PROVIDER, ActRole.DEPLOYER}),
}


class ExemptionCondition(models.TextChoices):
    """Art. 6(3), second subparagraph, points (a) to (d)."""

    NARROW_PROCEDURAL = "a", _("(a) performs a narrow procedural task")
    IMPROVES_HUMAN_RESULT = (
        "b",
        _("(b) improves the result of a previously completed human activity"),
    )
    DETECTS_PATTERNS = "c", _("(c) detects decision-making patterns without replacing human review")
    PREPARATORY = "d", _("(d) performs a preparatory task to an Annex III assessment")


class ClaimOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted (not high risk under Art. 6(3))")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Condition(models.TextChoices):
    """When a catalogue entry applies beyond tier and role: the fact that triggers it."""

    ALWAYS = "", _("Always (tier and role decide)")
    TRANSPARENCY = (
        "transparency",
        "Any transparency fact (catalogue version 1; version 2 asks fact by fact)",
    )
    INTERACTS = "interacts", _("Art. 50(1): the system interacts directly with natural persons")
    SYNTHETIC = (
        "synthetic",
        "Art. 50(2): the system generates synthetic audio, image, video or text",
    )
    EMOTION_BIOMETRIC = (
        "emotion_biometric",
        "Art. 50(3): emotion recognition or biometric categorisation",
    )
    DEEP_FAKE = (
        "deep_fake",
        "Art. 50(4): deep fakes or text published on matters of public interest",
    )
    ANNEX_III = "annex_iii", _("The system is high risk under Annex III (Art. 6(2))")
    DECISIONS = (
        "decisions",
        "Art. 26(11): the system makes or assists decisions related to natural persons",
    )
    ANNEX_III_DECISIONS = (
        "annex_iii_decisions",
        "Art. 86: decisions about people on the output of an Annex III system",
    )
    PUBLIC_AUTHORITY = (
        "public_authority",
        "Art. 26(8): the deployer is a public authority or an EU institution, body or agency",
    )
    FRIA_SCOPE = (
        "fria_scope",
        "Deployer in Art. 27(1) scope (public body or service, credit, insurance)",
    )
    EXEMPTION = "exemption", _("An Art. 6(3) exemption is accepted")


class DueWhen(models.TextChoices):
    """When in the lifecycle a duty must be met: before first use is a must-meet at G0 (a
    pilot is use), before go-live one at G1; ongoing and on-an-event duties never gate."""

    BEFORE_FIRST_USE = "before_first_use", _("Before first use (G0)")
    BEFORE_GO_LIVE = "before_go_live", _("Before go-live (G1)")
    ONGOING = "ongoing", _("Ongoing, while in use")
    ON_EVENT = "on_event", _("When an event occurs")


# The duties that gate each gate: G0 needs those due before first use, G1 and later also
# those due before go-live.
GATING = {
    "G0": (DueWhen.BEFORE_FIRST_USE,),
    "G1": (DueWhen.BEFORE_FIRST_USE, DueWhen.BEFORE_GO_LIVE),
    "G2": (DueWhen.BEFORE_FIRST_USE, DueWhen.BEFORE_GO_LIVE),
}


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    NOT_APPLICABLE = "not_applicable", _("No longer applicable")


OPEN_STATUSES = (ObligationStatus.OPEN, ObligationStatus.IN_PROGRESS)


class AttachmentKind(models.TextChoices):
    MODEL_CARD = "model_card", _("Model card")
    IMPACT_ASSESSMENT = "impact_assessment", _("Impact assessment")
    CONTRACT = "contract", _("Contract")
    POLICY = "policy", _("Policy or procedure")
    TRAINING_RECORD = "training_record", _("Training record")
    OTHER = "other", _("Other")


class Framework(models.TextChoices):
    ISO_42001 = "iso42001", _("ISO/IEC 42001:2023")
    NIST_AI_RMF = "nist_ai_rmf", _("NIST AI RMF 1.0")
