"""Template filters for figures shown near thresholds (portfolio.display)."""

from django import template

from portfolio.display import figure

register = template.Library()


@register.filter(name="figure")
def figure_filter(value, threshold=None):
    """``{{ value|figure }}`` or ``{{ value|figure:threshold }}``; "—" when there is none."""
    return figure(value, threshold) or "—"


@register.filter
def measured(row):
    """The value of a frozen scorecard row, exact where the snapshot kept it, shown with the
    digits that tell it from the nearer threshold."""
    value = row.get("value_exact") or row.get("value")
    if value is None:
        return ""
    threshold = row.get("threshold")
    high = row.get("threshold_high")
    if row.get("comparator") == "between" and high is not None:
        try:
            if abs(float(value) - float(high)) < abs(float(value) - float(threshold)):
                threshold = high
        except (TypeError, ValueError):
            pass
    return figure(value, threshold)
