"""Portfolio tables: who is who, the use cases and their intake, metrics, the transition record."""

from portfolio.models.metrics import Metric, MetricReading
from portfolio.models.notifications import Notification
from portfolio.models.people import Department, Membership
from portfolio.models.records import AppendOnlyError, AppendOnlyModel, TransitionRecord
from portfolio.models.use_case import Artifact, DataGap, UseCase
from portfolio.models.velocity import Flag, FlagKind, PendingJob, VelocitySnapshot

__all__ = [
    "AppendOnlyError",
    "AppendOnlyModel",
    "Artifact",
    "DataGap",
    "Department",
    "Flag",
    "FlagKind",
    "Membership",
    "Metric",
    "MetricReading",
    "Notification",
    "PendingJob",
    "TransitionRecord",
    "UseCase",
    "VelocitySnapshot",
]
