"""Enumerations of components and incidents."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComponentKind(models.TextChoices):
    MODEL = "model", _("Model")
    DATASET = "dataset", _("Dataset")
    VENDOR = "vendor", _("Vendor")
    AGENT = "agent", _("Agent")


class LinkRole(models.TextChoices):
    """What a component does for one use case."""

    PRODUCTION_MODEL = "production_model", _("Model in production")
    CANDIDATE_MODEL = "candidate_model", _("Candidate model")
    TRAINING_DATA = "training_data", _("Training data")
    EVALUATION_DATA = "evaluation_data", _("Evaluation data")
    INPUT_DATA = "input_data", _("Input data")
    PROVIDER = "provider", _("Provider")
    HOSTING = "hosting", _("Hosting")
    AGENT = "agent", _("Agent")
    OTHER = "other", _("Other")


class Autonomy(models.TextChoices):
    SUGGESTS = "suggests", _("Suggests; a person acts")
    ACTS_WITH_APPROVAL = "acts_with_approval", _("Acts after a person approves")
    ACTS_ALONE = "acts_alone", _("Acts alone")


class AssessmentStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class OrganisationRole(models.TextChoices):
    """The organisation's role for the system under the AI Act, as the incident's reporter says."""

    PROVIDER = "provider", _("Provider")
    DEPLOYER = "deployer", _("Deployer")


class BomJobStatus(models.TextChoices):
    """Where an ML-BOM upload's job is (components.bom_jobs)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    INVALID = "invalid", _("Not a valid CycloneDX ML-BOM")
    FAILED = "failed", _("Failed")
