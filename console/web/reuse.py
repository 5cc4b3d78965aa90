"""Reuse across departments: start a new use case from a published one, and who reads a
use case's reviews (the deciding board, executives, administrators and the department's head)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gates.models import GateReview
from portfolio.choices import MetricKind
from reports.rules import may_read_review

# What a template passes on: the shape of the work, never its owners, money or sign-offs.
COPIED = (
    "problem_statement",
    "data_assumed",
    "data_existing",
    "success_definition",
    "horizon",
    "knowledge",
    "scenarios",
    "warning_signs",
    "human_oversight",
)


def template_source(request, choices):
    """The use case named by ?template=, among those this person may reuse (404 otherwise)."""
    return get_object_or_404(
        choices.select_related("department"), pk=request.GET.get("template", "").strip() or 0
    )


# The intake's template select offers this many (the most recently submitted, and the
# chosen one): a select of every use case is megabytes of HTML at 100,000 and took the
# page minutes to render.
TEMPLATE_OPTIONS = 100


def bound_template_choices(form, choices) -> None:
    """Offer the chosen template and the ``TEMPLATE_OPTIONS`` most recently submitted use
    cases in the form's select (1 query). Any use case in ``choices`` is still accepted
    (the field's queryset is unchanged), and any is started from with "Start a use case
    from this one" on its page, in the list and in the similar panel."""
    field = form.fields["template"]
    # Before the bound field is made (it copies the help text).
    field.help_text = _(
        "The earlier use case this one reuses, if any: the %(count)s most recent are listed; "
        "start from any other with “Start a use case from this one” on its page."
    ) % {"count": TEMPLATE_OPTIONS}
    chosen = str(form["template"].value() or "")
    recent = choices.order_by("-submitted_at", "-pk")[:TEMPLATE_OPTIONS]
    shown = choices.filter(pk__in=recent.values("pk"))
    if chosen.isdigit():
        shown = shown | choices.filter(pk=int(chosen))
    field.widget.choices = [("", field.empty_label)] + [
        (pk, title) for pk, title in shown.order_by("title", "pk").values_list("pk", "title")
    ]


def intake_initial(source) -> dict:
    return {
        "title": f"{source.title} (reuse)",
        "template": source.pk,
        **{name: getattr(source, name) for name in COPIED},
    }


def metric_initial(source) -> list[dict]:
    """The template's metrics as rows of the new intake (business first, pairings kept)."""
    metrics = sorted(
        source.metrics.select_related("paired_with"), key=lambda m: m.kind != MetricKind.BUSINESS
    )
    return [
        {
            "kind": m.kind,
            "name": m.name,
            "unit": m.unit,
            "direction": m.direction,
            "baseline": m.baseline,
            "target": m.target,
            "cadence": m.cadence,
            "pairs_with": m.paired_with.name if m.paired_with_id else "",
        }
        for m in metrics
    ]


def reviews_readable(user, use_case) -> list:
    """The use case's reviews, newest first, when this person may read them."""
    reviews = list(
        GateReview.objects.filter(use_case=use_case)
        .select_related("use_case")
        .order_by("-requested_at", "-id")
    )
    return [review for review in reviews if may_read_review(user, review)]
