"""The demo's governance board, deciding reviews through the real services."""

from datetime import datetime, timedelta

from console.demo.lessons import demo_lesson
from gates.choices import Purpose
from governance import services as governance_services
from governance.choices import Verdict
from governance.models import Board
from portfolio.models import UseCase

DAY = timedelta(days=1)
BOARD_NAME = "AI Governance Board"
# Its condition is never met: the flag and the mandatory re-review show what that brings.
CONDITIONS_LEFT_OPEN = {"Renewal risk scoring"}
VOTE_NOTES = {
    Verdict.GO: "The evidence meets the gate; proceed.",
    Verdict.CONDITIONAL_GO: "Proceed, on the condition recorded.",
    Verdict.NO_GO: "The case does not hold; stop here.",
    Verdict.RECYCLE: "Rework the plan and apply again.",
    Verdict.HOLD: "Pause until the budget is clear.",
}


class DemoBoard:
    """The governance board of the demo, deciding reviews through the real services."""

    VOTERS = ("board-chair", "board-1", "board-2", "board-3")

    def __init__(self, users: dict, *, now: datetime):
        self.users = users
        self.now = now
        self.board = Board.objects.filter(name=BOARD_NAME).first()
        if self.board is None:
            self.board = governance_services.board_create(name=BOARD_NAME, covers_all=True)
            governance_services.board_member_add(
                board=self.board, user=users["board-chair"], is_chair=True
            )
            for n in range(1, 5):
                governance_services.board_member_add(board=self.board, user=users[f"board-{n}"])

    def request(self, use_case: UseCase, *, actor, at: datetime, purpose=Purpose.ADVANCE):
        return governance_services.review_request(
            use_case=use_case, actor=actor, at=at, purpose=purpose
        )

    def decide(
        self,
        use_case: UseCase,
        *,
        actor,
        requested: datetime,
        decided: datetime,
        verdict: str,
        purpose=Purpose.ADVANCE,
    ) -> UseCase:
        """Request, vote (with one dissent now and then) and close, at the given moments."""
        review = self.request(use_case, actor=actor, at=requested, purpose=purpose)
        recused = set(review.recusals.values_list("member__user__username", flat=True))
        voters = [name for name in self.VOTERS if name not in recused][:3]
        step = (decided - requested) / 4
        for n, name in enumerate(voters):
            dissent = n == 2 and verdict == Verdict.GO and use_case.pk % 4 == 0
            governance_services.vote_cast(
                review=review,
                actor=self.users[name],
                choice=Verdict.HOLD if dissent else verdict,
                comment="Wants another month of readings first."
                if dissent
                else VOTE_NOTES[verdict],
                at=requested + step * (n + 1),
            )
        conditions = []
        if verdict == Verdict.CONDITIONAL_GO:
            conditions = [
                {
                    "text": "Name a committed owner for the data labelling work.",
                    "due_date": (decided + 30 * DAY).date(),
                }
            ]
        decision = governance_services.review_close(
            review=review,
            actor=self.users["board-chair"],
            verdict=verdict,
            rationale=VOTE_NOTES[verdict],
            conditions=conditions,
            lesson=demo_lesson(use_case.title) if verdict == Verdict.NO_GO else None,
            at=decided,
        )
        if use_case.title not in CONDITIONS_LEFT_OPEN:
            for condition in decision.conditions.all():
                governance_services.condition_resolve(
                    condition=condition,
                    actor=self.users["board-chair"],
                    met=True,
                    note="Owner named and committed.",
                    at=min(decided + 20 * DAY, self.now),
                )
        return UseCase.objects.get(pk=use_case.pk)
