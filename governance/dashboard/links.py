"""Where each figure leads: the admin list behind it, filtered to the rows it counts."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse


def changelist(model: str, **params) -> str:
    """The admin changelist of ``app_model`` (e.g. "portfolio_usecase") with filters."""
    url = reverse(f"admin:{model}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def use_cases(**params) -> str:
    return changelist("portfolio_usecase", **params)


def decisions(**params) -> str:
    """The decisions list when the governance admin registers it, else the use cases."""
    try:
        return changelist("governance_decision", **params)
    except NoReverseMatch:
        return use_cases()


def use_case_page(pk: int) -> str:
    return reverse("flywheel-admin:use-case", args=[pk])
