"""Portfolio tables: who is who, the use cases and their intake, metrics, the transition record."""

from portfolio.models.custom_fields import CustomField
from portfolio.models.lessons import Lesson
from portfolio.models.metrics import Metric, MetricReading
from portfolio.models.notifications import Delivery, Notification, NotificationPreference
from portfolio.models.people import Department, Membership, Profile
from portfolio.models.records import TransitionRecord
from portfolio.models.sign_offs import OrganisationRole, SignOff, SignOffStep
from portfolio.models.use_case import UseCase
from portfolio.models.use_case_parts import Artifact, DataGap
from portfolio.models.velocity import (
    FigureSnapshot,
    Flag,
    FlagKind,
    ForecastSnapshot,
    VelocitySnapshot,
    VelocityWatermark,
)

__all__ = [
    "Artifact",
    "CustomField",
    "DataGap",
    "Delivery",
    "Department",
    "FigureSnapshot",
    "Flag",
    "FlagKind",
    "ForecastSnapshot",
    "Lesson",
    "Membership",
    "Metric",
    "MetricReading",
    "Notification",
    "NotificationPreference",
    "OrganisationRole",
    "Profile",
    "SignOff",
    "SignOffStep",
    "TransitionRecord",
    "UseCase",
    "VelocitySnapshot",
    "VelocityWatermark",
]
