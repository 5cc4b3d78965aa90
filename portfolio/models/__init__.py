"""Portfolio tables: who is who, the use cases and their intake, metrics, the transition record."""

from portfolio.models.metrics import Metric, MetricReading
from portfolio.models.notifications import Notification
from portfolio.models.people import Department, Membership
from portfolio.models.records import AppendOnlyError, AppendOnlyModel, TransitionRecord
from portfolio.models.use_case import Artifact, DataGap, UseCase

__all__ = [
    "AppendOnlyError",
    "AppendOnlyModel",
    "Artifact",
    "DataGap",
    "Department",
    "Membership",
    "Metric",
    "MetricReading",
    "Notification",
    "TransitionRecord",
    "UseCase",
]
