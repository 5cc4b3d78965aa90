"""Portfolio tables: who is who, the use cases and their intake, metrics, the transition record."""

from portfolio.models.jobs import PendingJob
from portfolio.models.metrics import Metric, MetricReading
from portfolio.models.notifications import Delivery, Notification, NotificationPreference
from portfolio.models.people import Department, Membership, Profile
from portfolio.models.records import TransitionRecord
from portfolio.models.use_case import Artifact, DataGap, UseCase
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
    "DataGap",
    "Delivery",
    "Department",
    "FigureSnapshot",
    "Flag",
    "FlagKind",
    "ForecastSnapshot",
    "Membership",
    "Metric",
    "MetricReading",
    "Notification",
    "NotificationPreference",
    "PendingJob",
    "Profile",
    "TransitionRecord",
    "UseCase",
    "VelocitySnapshot",
    "VelocityWatermark",
]
