"""Closing a review: the decision, its effect on the use case, its notifications."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConcurrentChange, ConflictError, ConstraintViolated, constraint_of
from core.events import actor_of, event_publish
from gates import registry as gate_registry
from gates import services as gate_services
from gates.choices import Gate, Purpose, Recommendation
from gates.models import EvidenceSnapshot, GateReview
from governance import selectors
from governance.choices import FORWARD_VERDICTS, Verdict
from governance.models import (
    Condition,
    Decision,
)
from governance.services.common import QuorumNotReached, board_of, lock_open_review, now
from portfolio import services as portfolio_services
from portfolio.choices import DepartmentRole
from portfolio.models import Membership
from portfolio.services import LessonInput


def is_override(*, verdict: str, recommendation: str) -> bool:
    """A decision goes against the recommendation when it moves forward without a GO
    recommendation, or stops (no-go, hold, recycle) a use case the engine said GO to."""
    if verdict in FORWARD_VERDICTS:
        return recommendation != Recommendation.GO
    return recommendation == Recommendation.GO


def _verdicts_in_words(values: Iterable[str]) -> str:
    """Verdicts as the ballot labels them: "GO", "GO and RECYCLE", "GO, HOLD and NO-GO"."""
    labels = [str(Verdict(value).label) for value in values]
    if len(labels) < 2:
        return "".join(labels)
    return _("%(names)s and %(last)s") % {"names": ", ".join(labels[:-1]), "last": labels[-1]}


def _verdict_from(votes, verdict: str | None) -> str:
    leaders = votes.leaders
    if verdict is None:
        if len(leaders) != 1:
            raise ConflictError(
                _("The votes are tied between %(verdicts)s; the chair names the verdict.")
                % {"verdicts": _verdicts_in_words(leaders)},
                code="tied_vote",
                extra={"tied": leaders},
            )
        return leaders[0]
    if verdict not in Verdict.values:
        raise ValidationError(
            {"verdict": [_("Choose one of %(values)s.") % {"values": ", ".join(Verdict.values)}]}
        )
    if verdict not in leaders:
        raise ConflictError(
            _("The board voted %(verdicts)s; the decision records the board's vote.")
            % {"verdicts": _verdicts_in_words(leaders)},
            code="verdict_not_voted",
            extra={"leaders": leaders},
        )
    return verdict


def _apply(*, decision: Decision, review: GateReview, actor, at: datetime, lesson=None) -> None:
    """The decision's effect on the use case, through the portfolio services."""
    use_case = review.use_case
    verdict = decision.verdict
    reason = f"{review.gate} {decision.get_verdict_display()}: {decision.rationale}".strip(": ")
    if verdict in FORWARD_VERDICTS:
        if review.purpose == Purpose.ADVANCE:
            use_case = portfolio_services.use_case_advance(
                use_case=use_case, authorisation=decision, actor=actor, reason=reason, at=at
            )
            if review.gate == Gate.G0:
                portfolio_services.metrics_lock(use_case=use_case, at=at, actor=actor)
    elif verdict == Verdict.NO_GO:
        portfolio_services.use_case_kill(
            use_case=use_case,
            authorisation=decision,
            actor=actor,
            reason=reason,
            lesson=lesson,
            at=at,
        )
    elif verdict == Verdict.HOLD:
        portfolio_services.use_case_hold(
            use_case=use_case, authorisation=decision, actor=actor, reason=reason, at=at
        )
    # RECYCLE keeps the use case in its stage, to rework and apply again.


STOP_VERDICTS = (Verdict.NO_GO, Verdict.HOLD, Verdict.RECYCLE)


def _refuse_against_the_law(*, review: GateReview, verdict: str) -> None:
    """A GO or CONDITIONAL GO is refused while a legal must-meet stands (an Art. 5 prohibited
    practice, a duty due before first use at G0 or before go-live at G1, a high-risk use case
    whose role under the Act is unknown): no majority and no override moves it; the board
    may decide no-go, hold or recycle."""
    stops = gate_registry.legal_stops(use_case_id=review.use_case_id, gate=review.gate)
    if not stops:
        return
    prohibited = [s for s in stops if s["code"] == "prohibited_practice"]
    named = "; ".join(f"{s['article']} {s['title']}" for s in stops)
    raise ConflictError(
        _(
            "%(label)s is refused at %(gate)s: the law must be met first, and no "
            "override moves past it (%(named)s). The board may decide %(values)s."
        )
        % {
            "label": Verdict(verdict).label,
            "gate": review.gate,
            "named": named,
            "values": ", ".join(str(v.label) for v in STOP_VERDICTS),
        },
        code="prohibited_practice" if prohibited else "legal_must_meet_open",
        extra={
            "duties": [dict(s) for s in stops],
            "allowed_verdicts": [str(v) for v in STOP_VERDICTS],
        },
    )


@transaction.atomic
def review_close(
    *,
    review: GateReview,
    actor,
    verdict: str | None = None,
    rationale: str = "",
    conditions: Iterable[Mapping] = (),
    lesson: LessonInput | None = None,
    at: datetime | None = None,
) -> Decision:
    """Record the board's decision and apply it to the use case, in one transaction.

    The quorum rule must hold; the verdict is the one most voted (the chair names it on a
    tie). Against the recommendation it is flagged an override and needs a rationale. A
    CONDITIONAL GO needs conditions (text, due date). GO and CONDITIONAL GO move the use case
    forward (a re-review keeps the stage), NO-GO kills (and records the ``lesson``, required
    then), HOLD holds, RECYCLE keeps the stage.
    Passing G0 locks the business metrics' goalposts. The review row is locked (PostgreSQL)
    and one decision per review is a unique constraint: a second closer gets a 409.
    """
    at = now(at)
    if not rules.has_perm("governance.close_review", actor, review):
        raise PermissionDenied(_("Only the board's chair closes a review."))
    review = lock_open_review(review)
    board = board_of(review)
    votes = selectors.quorum_of(review=review, board=board)
    if not votes.reached:
        raise QuorumNotReached(
            _(
                "%(votes)s of %(required)s votes needed to close (%(electorate)s "
                "voting members not recused)."
            )
            % {"votes": votes.votes, "required": votes.required, "electorate": votes.electorate},
            extra={"votes": votes.votes, "required": votes.required},
        )
    verdict = _verdict_from(votes, verdict)
    if verdict in FORWARD_VERDICTS:
        _refuse_against_the_law(review=review, verdict=verdict)
    if verdict == Verdict.NO_GO:
        portfolio_services.lesson_check(lesson, stop="no-go")
    snapshot = EvidenceSnapshot.objects.filter(review=review).order_by("-taken_at", "-id").first()
    rationale = (rationale or "").strip()
    override = is_override(verdict=verdict, recommendation=snapshot.recommendation)
    if override and not rationale:
        raise ValidationError(
            {"rationale": [_("The decision goes against the recommendation: say why.")]}
        )
    conditions = list(conditions)
    if verdict == Verdict.CONDITIONAL_GO and not conditions:
        raise ValidationError({"conditions": [_("A conditional go names at least one condition.")]})
    if verdict != Verdict.CONDITIONAL_GO and conditions:
        raise ValidationError({"conditions": [_("Only a conditional go carries conditions.")]})
    if at < review.requested_at:
        raise ValidationError({"at": [_("A decision cannot precede its request.")]})
    gate_services.review_mark_decided(review=review, at=at)
    hours = Decimal((at - review.requested_at).total_seconds() / 3600).quantize(Decimal("0.01"))
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                review=review,
                board=board,
                snapshot=snapshot,
                verdict=verdict,
                recommendation=snapshot.recommendation,
                is_override=override,
                rationale=rationale,
                votes_for_verdict=votes.tally.get(verdict, 0),
                votes_cast=votes.votes,
                electorate=votes.electorate,
                decided_by=actor,
                decided_at=at,
                latency_hours=hours,
            )
    except IntegrityError as exc:
        # Only the one-decision-per-review rule means somebody else closed it first; any
        # other constraint is a rule of the record this decision breaks, and says which.
        if Decision.objects.filter(review_id=review.pk).exists():
            raise ConcurrentChange(_("The review was decided by someone else; reload it.")) from exc
        name = constraint_of(exc)
        raise ConstraintViolated(
            _("The decision breaks a rule of the record (%(name)s).") % {"name": name},
            extra={"constraint": name},
        ) from exc
    rows = []
    for spec in conditions:
        condition = Condition(
            decision=decision, text=spec.get("text", ""), due_date=spec.get("due_date")
        )
        condition.full_clean(exclude=["decision"])
        rows.append(condition)
    Condition.objects.bulk_create(rows)
    _apply(decision=decision, review=review, actor=actor, at=at, lesson=lesson)
    _notify_decision(decision=decision, review=review)
    return decision


def _notify_decision(*, decision: Decision, review: GateReview) -> None:
    use_case = review.use_case
    heads = [
        m.user
        for m in Membership.objects.filter(
            department_id=use_case.department_id, role=DepartmentRole.HEAD
        ).select_related("user")
    ]
    people = {u.pk: u for u in [*heads, use_case.sponsor, use_case.outcome_owner] if u}
    if decision.is_override:
        title = gettext_lazy("{gate} decision (override): {verdict} for {title}")
    else:
        title = gettext_lazy("{gate} decision: {verdict} for {title}")
    verdict = decision.get_verdict_display()
    title = format_lazy(title, gate=review.gate, verdict=verdict, title=use_case.title)
    summary = decision.rationale or format_lazy(
        gettext_lazy("The board decided {verdict}."), verdict=verdict
    )
    portfolio_services.notification_send(
        recipients=people.values(),
        kind="decision_made",
        subject=title,
        body=summary,
        use_case=use_case,
    )
    event_publish(
        "decision_made",
        title=title,
        summary=summary,
        data={
            "decision_id": decision.pk,
            "review_id": review.pk,
            "use_case_id": use_case.pk,
            "gate": review.gate,
            "verdict": decision.verdict,
            "is_override": decision.is_override,
        },
        path=f"/reviews/{review.pk}/",
        department_id=use_case.department_id,
        board_id=decision.board_id,
        actor=actor_of(decision.decided_by),
        occurred_at=decision.decided_at,
    )
