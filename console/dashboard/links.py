"""Where each figure leads: the admin list behind it, filtered to the rows it counts."""

from functools import lru_cache
from urllib.parse import urlencode

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, reverse

# A placeholder id: the use case page's URL is reversed once, then each id put in its place
# (a dashboard links hundreds of points).
PLACEHOLDER = "987654321"


@lru_cache(maxsize=64)
def _reversed(name: str, prefix: str, *args) -> str:
    return reverse(name, args=list(args) or None)


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


def changelist(model: str, **params) -> str:
    """The admin changelist of ``app_model`` (e.g. "portfolio_usecase") with filters."""
    url = _reversed(f"admin:{model}_changelist", get_script_prefix())
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
    url = _reversed("flywheel-admin:use-case", get_script_prefix(), PLACEHOLDER)
    return url.replace(PLACEHOLDER, str(int(pk)))
