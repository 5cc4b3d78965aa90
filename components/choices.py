"""Enumerations of components and incidents."""

from django.db import models


class ComponentKind(models.TextChoices):
    MODEL = "model", "Model"
    DATASET = "dataset", "Dataset"
    VENDOR = "vendor", "Vendor"
    AGENT = "agent", "Agent"


class LinkRole(models.TextChoices):
    """What a component does for one use case."""

    PRODUCTION_MODEL = "production_model", "Model in production"
    CANDIDATE_MODEL = "candidate_model", "Candidate model"
    TRAINING_DATA = "training_data", "Training data"
    EVALUATION_DATA = "evaluation_data", "Evaluation data"
    INPUT_DATA = "input_data", "Input data"
    PROVIDER = "provider", "Provider"
    HOSTING = "hosting", "Hosting"
    AGENT = "agent", "Agent"
    OTHER = "other", "Other"


class Autonomy(models.TextChoices):
    SUGGESTS = "suggests", "Suggests; a person acts"
    ACTS_WITH_APPROVAL = "acts_with_approval", "Acts after a person approves"
    ACTS_ALONE = "acts_alone", "Acts alone"


class AssessmentStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class OrganisationRole(models.TextChoices):
    """The organisation's role for the system under the AI Act, as the incident's reporter says."""

    PROVIDER = "provider", "Provider"
    DEPLOYER = "deployer", "Deployer"
