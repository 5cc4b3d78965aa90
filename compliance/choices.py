"""Enumerations of the compliance app: the role under the Act, statuses, kinds, frameworks."""

from django.db import models


class ActRole(models.TextChoices):
    PROVIDER = "provider", "Provider (develops it or has it developed, under its own name)"
    DEPLOYER = "deployer", "Deployer (uses it under its authority)"
    BOTH = "both", "Both provider and deployer"


# The roles a catalogue entry can name; "both" takes the duties of each.
ROLES_OF = {
    ActRole.PROVIDER: frozenset({ActRole.PROVIDER}),
    ActRole.DEPLOYER: frozenset({ActRole.DEPLOYER}),
    ActRole.BOTH: frozenset({ActRole.PROVIDER, ActRole.DEPLOYER}),
}


class ExemptionCondition(models.TextChoices):
    """Art. 6(3), second subparagraph, points (a) to (d)."""

    NARROW_PROCEDURAL = "a", "(a) performs a narrow procedural task"
    IMPROVES_HUMAN_RESULT = "b", "(b) improves the result of a previously completed human activity"
    DETECTS_PATTERNS = "c", "(c) detects decision-making patterns without replacing human review"
    PREPARATORY = "d", "(d) performs a preparatory task to an Annex III assessment"


class ClaimOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted (not high risk under Art. 6(3))"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Condition(models.TextChoices):
    """When a catalogue entry applies beyond tier and role."""

    ALWAYS = "", "Always (tier and role decide)"
    TRANSPARENCY = "transparency", "The system talks to people or generates content they see"
    FRIA_SCOPE = (
        "fria_scope",
        "Deployer in Art. 27(1) scope (public body or service, credit, insurance)",
    )
    EXEMPTION = "exemption", "An Art. 6(3) exemption is accepted"


class ObligationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    NOT_APPLICABLE = "not_applicable", "No longer applicable"


OPEN_STATUSES = (ObligationStatus.OPEN, ObligationStatus.IN_PROGRESS)


class AttachmentKind(models.TextChoices):
    MODEL_CARD = "model_card", "Model card"
    IMPACT_ASSESSMENT = "impact_assessment", "Impact assessment"
    CONTRACT = "contract", "Contract"
    POLICY = "policy", "Policy or procedure"
    TRAINING_RECORD = "training_record", "Training record"
    OTHER = "other", "Other"


class Framework(models.TextChoices):
    ISO_42001 = "iso42001", "ISO/IEC 42001:2023"
    NIST_AI_RMF = "nist_ai_rmf", "NIST AI RMF 1.0"
