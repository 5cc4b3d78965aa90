"""Where each figure leads: the admin list behind it, filtered to the rows it counts."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def changelist(model: str, **params) -> str:
    """The admin changelist of ``app_model`` (e.g. "portfolio_usecase") with filters."""
    url = reverse(f"admin:{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def use_cases(**params) -> str:
    return changelist("portfolio_usecase", **params)


def funnel(stage: str) -> str:
    """The use cases that reached a stage; every use case for the first (draft) row."""
    return use_cases() if stage == "draft" else use_cases(reached=stage)


def submitted(**params) -> str:
    """Use cases past draft (the rows money, origin and reuse figures count)."""
    return use_cases(reached="submitted", **params)


def decisions(**params) -> str:
    """The decisions list when the governance admin registers it, else the use cases."""
    try:
        return changelist("governance_decision", **params)
    except NoReverseMatch:
        return use_cases()


def use_case_page(pk: int) -> str:
    return reverse("flywheel-admin:use-case", args=[pk])
