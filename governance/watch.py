"""The flags that need reviews, decisions and conditions: pilot purgatory, decision overdue,
condition overdue (which also opens the mandatory re-review) and re-review due.

The portfolio's flag service keeps the history and notifies; this layer only says which use
cases have a cause now, so the dependency stays one-way (portfolio <- gates <- governance).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from core.errors import ConflictError
from gates import review_figures
from gates.choices import Purpose, ReviewStatus
from gates.models import GateReview
from governance import services as governance_services
from governance.choices import ConditionStatus
from governance.models import Condition
from governance.services.board_flags import board_flags_refresh
from governance.services.escalations import review_escalations_notify
from portfolio.choices import LIVE_STATES, TERMINAL_STATES
from portfolio.models import FlagKind, UseCase
from portfolio.services.flags import flags_reconcile
from portfolio.services.notifications import notifications_batched

logger = logging.getLogger(__name__)
DAYS_PER_MONTH = 30.44
CHUNK = 2000  # rows read from the database at a time


def pilot_purgatory_causes(*, at: datetime) -> dict[int, str]:
    """Pilots past their time box with no review open."""
    causes = {}
    pilots = review_figures.pilots_in_purgatory(at=at).values_list(
        "pk", "pilot_started_at", "pilot_time_box_days"
    )
    for pk, started_at, time_box_days in pilots.iterator(chunk_size=CHUNK):  # no model rows
        days = (at - started_at).total_seconds() / 86400
        causes[pk] = (
            f"In pilot for {days:.0f} days, past its {time_box_days}-day time box, "
            "with no review requested."
        )
    return causes


def decision_overdue_causes(*, at: datetime) -> dict[int, str]:
    """Open reviews older than the decision target."""
    target = settings.FLYWHEEL_DECISION_TARGET_HOURS
    causes = {}
    reviews = review_figures.reviews_overdue(at=at).values_list(
        "use_case_id", "gate", "requested_at"
    )
    for use_case_id, gate, requested_at in reviews.iterator(chunk_size=CHUNK):
        hours = (at - requested_at).total_seconds() / 3600
        causes[use_case_id] = f"{gate} review open for {hours:.0f} hours (target {target} hours)."
    return causes


def overdue_conditions(*, at: datetime):
    """Conditions not met by their due date whose use case has had no re-review decided since
    (the mandatory re-review settles them)."""
    return (
        Condition.objects.filter(due_date__lt=at.date())
        .exclude(status=ConditionStatus.MET)
        .exclude(decision__review__use_case__state__in=list(TERMINAL_STATES))
        .select_related("decision__review__use_case")
        .order_by("due_date", "id")
    )


def condition_overdue_causes(*, at: datetime) -> dict[int, tuple[str, Condition]]:
    """Use case id -> (reason, earliest overdue condition) for conditions past due and not
    settled by a re-review decided after their due date (2 queries)."""
    conditions = list(overdue_conditions(at=at))
    use_case_ids = {c.decision.review.use_case_id for c in conditions}
    settled = {}
    for use_case_id, decided_at in (
        GateReview.objects.filter(
            use_case_id__in=use_case_ids,
            purpose=Purpose.RE_REVIEW,
            status=ReviewStatus.DECIDED,
        )
        .values("use_case_id")
        .annotate(last=Max("decided_at"))
        .values_list("use_case_id", "last")
    ):
        settled[use_case_id] = decided_at
    causes: dict[int, tuple[str, Condition]] = {}
    for condition in conditions:
        use_case_id = condition.decision.review.use_case_id
        last = settled.get(use_case_id)
        if last is not None and last.date() > condition.due_date:
            continue
        if use_case_id not in causes:
            causes[use_case_id] = (
                f"Condition '{condition.text[:80]}' was due {condition.due_date:%Y-%m-%d} and "
                f"is {condition.get_status_display().lower()}.",
                condition,
            )
    return causes


def re_review_due_causes(*, at: datetime) -> dict[int, str]:
    """Live use cases with no review for ``FLYWHEEL_RE_REVIEW_MONTHS`` (1 query)."""
    months = settings.FLYWHEEL_RE_REVIEW_MONTHS
    cutoff = at - timedelta(days=months * DAYS_PER_MONTH)
    live = (
        UseCase.objects.filter(state__in=list(LIVE_STATES))
        .exclude(gate_reviews__status=ReviewStatus.OPEN)
        .annotate(last_decided=Max("gate_reviews__decided_at"))
        .filter(Q(state_changed_at__lt=cutoff) | Q(state_changed_at__isnull=True))
        .filter(Q(last_decided__lt=cutoff) | Q(last_decided__isnull=True))
        .values_list("pk", "state", "state_changed_at", "last_decided")
    )
    causes = {}
    for pk, state, changed_at, last_decided in live:
        known = [moment for moment in (changed_at, last_decided) if moment is not None]
        since = max(known) if known else None
        when = f"since {since:%Y-%m-%d}" if since else "ever"
        causes[pk] = f"Live in {state} with no review {when}; re-review every {months} months."
    return causes


def re_review_open_for_overdue_conditions(
    *, causes: dict[int, tuple[str, Condition]], at: datetime
) -> list[GateReview]:
    """Open the mandatory re-review for each use case with an overdue condition, once.

    Once means: not while a review is open, and not again after a re-review was requested on
    or after the condition's due date.
    """
    opened = []
    busy = set(
        GateReview.objects.filter(use_case_id__in=causes, status=ReviewStatus.OPEN).values_list(
            "use_case_id", flat=True
        )
    )
    requested = dict(
        GateReview.objects.filter(use_case_id__in=causes, purpose=Purpose.RE_REVIEW)
        .values("use_case_id")
        .annotate(last=Max("requested_at"))
        .values_list("use_case_id", "last")
    )
    for use_case_id, (reason, condition) in causes.items():
        last = requested.get(use_case_id)
        if use_case_id in busy or (last is not None and last.date() >= condition.due_date):
            continue
        try:
            opened.append(
                governance_services.review_request(
                    use_case=condition.decision.review.use_case,
                    actor=None,
                    purpose=Purpose.RE_REVIEW,
                    reason=f"Mandatory re-review: {reason}",
                    at=at,
                )
            )
        except ConflictError as exc:
            # No board, no criteria or no gate to re-review: the flag still stands and says so.
            logger.warning("re-review for use case %s not opened: %s", use_case_id, exc)
    return opened


def watch_sweep(*, at: datetime | None = None) -> dict:
    """Raise and clear the review-dependent flags, and open the mandatory re-reviews."""
    at = at or timezone.now()
    with notifications_batched():
        return _watch(at=at)


def _watch(*, at: datetime) -> dict:
    conditions = condition_overdue_causes(at=at)
    results = {
        FlagKind.PILOT_PURGATORY: flags_reconcile(
            kind=FlagKind.PILOT_PURGATORY, causes=pilot_purgatory_causes(at=at), at=at
        ),
        FlagKind.DECISION_OVERDUE: flags_reconcile(
            kind=FlagKind.DECISION_OVERDUE, causes=decision_overdue_causes(at=at), at=at
        ),
        FlagKind.CONDITION_OVERDUE: flags_reconcile(
            kind=FlagKind.CONDITION_OVERDUE,
            causes={pk: reason for pk, (reason, _) in conditions.items()},
            at=at,
        ),
        FlagKind.RE_REVIEW_DUE: flags_reconcile(
            kind=FlagKind.RE_REVIEW_DUE, causes=re_review_due_causes(at=at), at=at
        ),
    }
    opened = re_review_open_for_overdue_conditions(causes=conditions, at=at)
    escalations = review_escalations_notify(at=at)
    return {
        "flags": results,
        "board_flags": board_flags_refresh(at=at),
        "re_reviews_opened": [review.pk for review in opened],
        "escalations_notified": escalations,
    }


def watch_refresh(*, use_case_id: int, at: datetime | None = None) -> dict:
    """The review-dependent flags of one use case, right after a change there commits
    (registered with the portfolio's flag refresh; re-reviews are opened by the sweep), and
    the boards' flags, which its reviews move."""
    at = at or timezone.now()
    scope = [use_case_id]
    conditions = condition_overdue_causes(at=at)
    causes = {
        FlagKind.PILOT_PURGATORY: pilot_purgatory_causes(at=at),
        FlagKind.DECISION_OVERDUE: decision_overdue_causes(at=at),
        FlagKind.CONDITION_OVERDUE: {pk: reason for pk, (reason, _) in conditions.items()},
        FlagKind.RE_REVIEW_DUE: re_review_due_causes(at=at),
    }
    results = {
        kind: flags_reconcile(
            kind=kind,
            causes={pk: reason for pk, reason in found.items() if pk == use_case_id},
            scope_use_case_ids=scope,
            at=at,
        )
        for kind, found in causes.items()
    }
    # A request or a decision moves its board's objective: the board's flags follow at once.
    return {**results, **board_flags_refresh(at=at)}


def re_review_for_cause(*, use_case, reason: str, at: datetime) -> GateReview | None:
    """Open a mandatory re-review for a cause another app reports (a serious incident),
    unless a review is already open; None, with the reason logged, when none can be opened
    (no board, no criteria): the cause's own flag still stands."""
    if GateReview.objects.filter(use_case=use_case, status=ReviewStatus.OPEN).exists():
        return None
    try:
        return governance_services.review_request(
            use_case=use_case,
            actor=None,
            purpose=Purpose.RE_REVIEW,
            reason=f"Mandatory re-review: {reason}",
            at=at,
        )
    except ConflictError as exc:
        logger.warning("re-review for use case %s not opened: %s", use_case.pk, exc)
        return None
