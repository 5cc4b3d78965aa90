"""Synthetic portfolios of any size for benchmarks, written in bulk (COPY on PostgreSQL).

Generated data, not user actions: rows are written directly, a batch of use cases at a time
(memory stays flat whatever the size), with what the jobs and pages read at scale: owners,
department heads, boards with members, use cases with costs and intake, their transition
record (holds and resumes, kills, forward moves authorised by decided gate reviews with an
evidence snapshot, three votes and a decision), open reviews with some votes cast, and a
business and a paired technical metric with readings. About one active use case in seven
is stalled (no joint definition of success, business readings a quarter apart and long
stale); the rest are healthy (recent readings a fortnight apart, both sign-offs).
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from console.demo.scale_writer import BulkWriter
from gates.choices import Gate, Purpose, Recommendation, ReviewStatus
from gates.models import CriteriaSet, EvidenceSnapshot, GateReview
from governance.choices import Verdict
from governance.models import Board, BoardMember, Decision, Vote
from portfolio.choices import DepartmentRole, MetricKind, Origin, State, Transition
from portfolio.models import (
    Department,
    Membership,
    Metric,
    MetricReading,
    TransitionRecord,
    UseCase,
)

BATCH = 5000
OWNERS_PER_DEPARTMENT = 20
DEPARTMENTS_PER_BOARD = 5
BOARD_SEATS = 5
STALLED_SHARE = 0.15
KILL_SHARE = 0.08
HOLD_SHARE = 0.12
ON_HOLD_SHARE = 0.04
OPEN_REVIEW_SHARE = 0.10
FORWARD = (
    (Transition.ADVANCE_TO_PILOT, State.SUBMITTED, State.PILOT, "intake", Gate.G0),
    (Transition.ADVANCE_TO_SCALE, State.PILOT, State.SCALE, "pilot", Gate.G1),
    (Transition.ADVANCE_TO_EXTEND, State.SCALE, State.EXTEND, "scale", Gate.G2),
)
NEXT_GATE = {State.SUBMITTED: Gate.G0, State.PILOT: Gate.G1, State.SCALE: Gate.G2}
DAY = timedelta(days=1)


def _people(departments: list[Department]) -> dict:
    """Heads, owners and board members of the synthetic departments (made once, reused)."""
    users = get_user_model().objects
    wanted = []
    for dept in departments:
        wanted.append(f"{dept.slug}-head")
        wanted += [f"{dept.slug}-owner-{n:02d}" for n in range(OWNERS_PER_DEPARTMENT)]
    boards = (len(departments) + DEPARTMENTS_PER_BOARD - 1) // DEPARTMENTS_PER_BOARD
    wanted += [f"synthetic-board-{b:02d}-{s}" for b in range(boards) for s in range(BOARD_SEATS)]
    have = set(users.filter(username__in=wanted).values_list("username", flat=True))
    users.bulk_create(
        get_user_model()(
            username=name, email=f"{name}@example.org", password="!", first_name=name[-8:]
        )
        for name in wanted
        if name not in have
    )
    by_name = dict(users.filter(username__in=wanted).values_list("username", "pk"))
    heads = {}
    for dept in departments:
        heads[dept.pk] = by_name[f"{dept.slug}-head"]
        Membership.objects.get_or_create(
            user_id=heads[dept.pk], department=dept, defaults={"role": DepartmentRole.HEAD}
        )
    seats = {}
    for b in range(boards):
        covered = departments[b * DEPARTMENTS_PER_BOARD : (b + 1) * DEPARTMENTS_PER_BOARD]
        board, created = Board.objects.get_or_create(
            name=f"Synthetic board {b:02d}", defaults={"covers_all": False}
        )
        if created:
            board.departments.set(covered)
            BoardMember.objects.bulk_create(
                BoardMember(
                    board=board, user_id=by_name[f"synthetic-board-{b:02d}-{s}"], is_chair=s == 0
                )
                for s in range(BOARD_SEATS)
            )
        members = list(board.members.order_by("id").values_list("pk", "user_id"))
        for dept in covered:
            seats[dept.pk] = (board.pk, members)
    owners = {
        dept.pk: [by_name[f"{dept.slug}-owner-{n:02d}"] for n in range(OWNERS_PER_DEPARTMENT)]
        for dept in departments
    }
    return {"heads": heads, "owners": owners, "seats": seats}


def _departments(count: int) -> list[Department]:
    existing = {d.slug: d for d in Department.objects.filter(slug__startswith="synthetic-")}
    missing = [
        Department(name=f"Synthetic {n:02d}", slug=f"synthetic-{n:02d}")
        for n in range(1, count + 1)
        if f"synthetic-{n:02d}" not in existing
    ]
    Department.objects.bulk_create(missing)
    return list(Department.objects.filter(slug__startswith="synthetic-").order_by("slug"))


class _Batch:
    """The rows of one batch of use cases, table by table, written in dependency order."""

    TABLES = (UseCase, TransitionRecord, Metric, MetricReading, GateReview, EvidenceSnapshot)
    LATER = (Vote, Decision)

    def __init__(self):
        self.rows = {model: [] for model in (*self.TABLES, *self.LATER)}

    def add(self, model, **row):
        self.rows[model].append(row)
        return row


class SyntheticPortfolio:
    def __init__(self, *, departments: int, seed: int, now):
        self.rng = random.Random(seed)
        self.now = now
        self.departments = _departments(departments)
        self.people = _people(self.departments)
        criteria = {}
        for row in CriteriaSet.objects.filter(is_current=True).order_by("id"):
            criteria.setdefault(row.gate, row)
        self.criteria = criteria
        self.decision_type = ContentType.objects.get_for_model(Decision).pk
        self.writer = BulkWriter(connection)

    # --- one use case ----------------------------------------------------------------------

    def _plan(self, number: int, count: int, start) -> dict:
        rng = self.rng
        dept = self.departments[number % len(self.departments)]
        submitted = start + timedelta(days=1400 * number / max(count, 1) + rng.random())
        stalled = rng.random() < STALLED_SHARE
        steps, moment, state = [], submitted, State.SUBMITTED
        if submitted > self.now or rng.random() < 0.05:
            return {"dept": dept, "steps": [], "state": State.DRAFT, "stalled": stalled}
        steps.append((Transition.SUBMIT, State.DRAFT, State.SUBMITTED, submitted, None))
        for transition, source, target, measure, gate in FORWARD:
            days = {"intake": (3, 60), "pilot": (20, 200), "scale": (30, 250)}[measure]
            duration = rng.uniform(*days) * (2.5 if stalled else 1)
            if rng.random() < HOLD_SHARE:
                held = moment + duration * rng.uniform(0.2, 0.6) * DAY
                back = held + rng.uniform(5, 40) * DAY
                if back < self.now:
                    steps.append((Transition.HOLD, source, State.ON_HOLD, held, None))
                    steps.append((Transition.RESUME, State.ON_HOLD, source, back, None))
                    duration += (back - held) / DAY
            moment = moment + duration * DAY
            if moment > self.now or rng.random() < 0.25:
                break
            steps.append((transition, source, target, moment, gate))
            state = target
        last = steps[-1][3]
        if rng.random() < KILL_SHARE:
            at = min(last + rng.uniform(5, 60) * DAY, self.now)
            steps.append((Transition.KILL, state, State.KILLED, at, NEXT_GATE.get(state)))
            state = State.KILLED
        elif state in NEXT_GATE and rng.random() < ON_HOLD_SHARE:
            at = min(last + rng.uniform(5, 60) * DAY, self.now)
            steps.append((Transition.HOLD, state, State.ON_HOLD, at, None))
            state = State.ON_HOLD
        return {"dept": dept, "steps": steps, "state": state, "stalled": stalled}

    def _use_case(self, batch: _Batch, ids, number: int, plan: dict) -> None:
        rng, dept, steps = self.rng, plan["dept"], plan["steps"]
        uc_id = ids[UseCase].pop()
        head = self.people["heads"][dept.pk]
        owner = rng.choice(self.people["owners"][dept.pk])
        board, members = self.people["seats"][dept.pk]
        healthy = not plan["stalled"]
        state = plan["state"]
        build = Decimal(rng.randrange(20, 400) * 1000)
        run = Decimal(rng.randrange(5, 120) * 1000)
        live = state in (State.SCALE, State.EXTEND)
        signed = steps[0][3] if steps and healthy else None
        batch.add(
            UseCase,
            id=uc_id,
            title=f"Synthetic use case {number + 1}",
            problem_statement="Synthetic workload for benchmarks.",
            department_id=dept.pk,
            origin=Origin.BOTTOM_UP if rng.random() < 0.5 else Origin.TOP_DOWN,
            outcome_owner_id=owner,
            owner_controls_resources="yes" if healthy else "partly",
            data_assumed="Claims history, three years.",
            data_existing="Claims history, two years." if healthy else "",
            build_cost=build,
            run_cost_yearly=run,
            expected_benefit_yearly=Decimal(rng.randrange(50, 900) * 1000),
            realised_benefit_yearly=Decimal(rng.randrange(0, 900) * 1000) if live else None,
            sponsor_id=head,
            operator_team="Operations",
            operator_lead_id=owner,
            success_definition="Settlement time halves." if healthy else "",
            sponsor_signed_off_at=signed,
            operator_signed_off_at=signed,
            horizon=rng.choice(("short", "long")),
            knowledge=rng.choice(("facts", "hypotheses")),
            state=state,
            state_before_hold=steps[-1][1] if state == State.ON_HOLD else "",
            submitted_at=steps[0][3] if steps else None,
            state_changed_at=steps[-1][3] if steps else None,
            created_by_id=head,
            created_at=(steps[0][3] - DAY) if steps else self.now,
            updated_at=steps[-1][3] if steps else self.now,
        )
        for transition, source, target, at, gate in steps:
            authorisation = None
            reviewed = gate is not None and (transition != Transition.KILL or rng.random() < 0.5)
            if reviewed:
                verdict = Verdict.NO_GO if transition == Transition.KILL else Verdict.GO
                requested = at - rng.uniform(1, 6) * DAY
                authorisation = self._review(
                    batch, ids, uc_id, gate, head, board, members, requested, at, verdict
                )
            batch.add(
                TransitionRecord,
                id=ids[TransitionRecord].pop(),
                use_case_id=uc_id,
                transition=transition,
                from_state=source,
                to_state=target,
                at=at,
                actor_id=head,
                reason="synthetic",
                authorisation_type_id=self.decision_type if authorisation else None,
                authorisation_id=authorisation,
            )
        if state in NEXT_GATE and rng.random() < OPEN_REVIEW_SHARE:
            requested = self.now - rng.uniform(0.5, 6) * DAY
            self._review(batch, ids, uc_id, NEXT_GATE[state], head, board, members, requested)
        if steps and state not in (State.KILLED, State.RETIRED):
            self._metrics(batch, ids, uc_id, owner, steps[0][3], healthy)

    def _review(
        self, batch, ids, uc_id, gate, head, board, members, requested, decided=None, verdict=None
    ):
        """A review of ``gate``: decided (snapshot, three votes, decision) or left open with
        up to two votes cast. Returns the decision's id (None when open)."""
        review_id = ids[GateReview].pop()
        batch.add(
            GateReview,
            id=review_id,
            use_case_id=uc_id,
            gate=gate,
            purpose=Purpose.ADVANCE,
            status=ReviewStatus.DECIDED if decided else ReviewStatus.OPEN,
            criteria_set_id=self.criteria[gate].pk,
            requested_by_id=head,
            reason="",
            requested_at=requested,
            decided_at=decided,
        )
        snapshot_id = ids[EvidenceSnapshot].pop()
        recommendation = Recommendation.NO_GO if verdict == Verdict.NO_GO else Recommendation.GO
        batch.add(
            EvidenceSnapshot,
            id=snapshot_id,
            review_id=review_id,
            criteria_set_id=self.criteria[gate].pk,
            taken_at=requested,
            taken_by_id=head,
            recommendation=recommendation,
            score=Decimal("72.50"),
            pass_mark=self.criteria[gate].pass_mark,
            rows=[],
        )
        voters = members[1:4] if decided else members[1 : 1 + self.rng.randrange(0, 3)]
        end = decided or self.now
        for n, (member_id, user_id) in enumerate(voters):
            batch.add(
                Vote,
                id=ids[Vote].pop(),
                review_id=review_id,
                member_id=member_id,
                cast_by_id=user_id,
                choice=verdict or Verdict.GO,
                comment="The evidence meets the gate.",
                at=requested + (end - requested) * (n + 1) / 4,
            )
        if not decided:
            return None
        decision_id = ids[Decision].pop()
        batch.add(
            Decision,
            id=decision_id,
            review_id=review_id,
            board_id=board,
            snapshot_id=snapshot_id,
            verdict=verdict,
            recommendation=recommendation,
            rationale="The board followed the evidence.",
            votes_for_verdict=3,
            votes_cast=3,
            electorate=len(members),
            decided_by_id=members[0][1],
            decided_at=decided,
            latency_hours=Decimal((decided - requested).total_seconds() / 3600).quantize(
                Decimal("0.01")
            ),
        )
        return decision_id

    def _metrics(self, batch, ids, uc_id, owner, submitted, healthy) -> None:
        business = ids[Metric].pop()
        batch.add(
            Metric,
            id=business,
            use_case_id=uc_id,
            kind=MetricKind.BUSINESS,
            name="Days to settle",
            unit="days",
            direction="lower",
            baseline=Decimal(9),
            target=Decimal(4),
            cadence="monthly",
            created_at=submitted,
        )
        technical = ids[Metric].pop()
        batch.add(
            Metric,
            id=technical,
            use_case_id=uc_id,
            kind=MetricKind.TECHNICAL,
            name="Model accuracy",
            unit="%",
            direction="higher",
            baseline=Decimal(70),
            target=Decimal(90),
            cadence="monthly",
            paired_with_id=business,
            created_at=submitted,
        )
        # Healthy: three readings a fortnight apart, the last within the month. Stalled: two
        # readings a quarter apart, the last long ago (stale).
        if healthy:
            last = self.now - self.rng.uniform(1, 25) * DAY
            moments = [last - 28 * DAY, last - 14 * DAY, last]
        else:
            last = self.now - self.rng.uniform(100, 200) * DAY
            moments = [last - 95 * DAY, last]
        # The technical metric is read with the business one (accuracy each time); only its
        # latest reading is kept, so a healthy use case has no stale metric.
        readings = [(business, at) for at in moments] + [(technical, moments[-1])]
        for metric_id, at in readings:
            if at < submitted:
                continue
            batch.add(
                MetricReading,
                id=ids[MetricReading].pop(),
                metric_id=metric_id,
                value=Decimal(self.rng.randrange(30, 90)) / 10,
                measured_at=at,
                recorded_by_id=owner,
                note="",
                created_at=at,
            )

    # --- batches ---------------------------------------------------------------------------

    def write(self, *, count: int, first_number: int, total: int, progress: bool) -> int:
        start = self.now - timedelta(days=1500)
        made = 0
        bar = tqdm(total=count, desc="synthetic use cases", unit="uc", disable=not progress)
        while made < count:
            size = min(BATCH, count - made)
            plans = [self._plan(first_number + made + n, total, start) for n in range(size)]
            # Upper bounds of the rows per table, reserved from the id sequences at once.
            steps = sum(len(p["steps"]) for p in plans)
            need = {
                UseCase: size,
                TransitionRecord: steps,
                GateReview: steps + size,
                EvidenceSnapshot: steps + size,
                Vote: 3 * (steps + size),
                Decision: steps,
                Metric: 2 * size,
                MetricReading: 4 * size,
            }
            ids = {model: self.writer.reserve_ids(model, n) for model, n in need.items()}
            batch = _Batch()
            for n, plan in enumerate(plans):
                self._use_case(batch, ids, first_number + made + n, plan)
            with transaction.atomic():
                self.writer.skip_row_triggers()
                for model in (*batch.TABLES, *batch.LATER):
                    self.writer.insert(model, batch.rows[model])
            made += size
            bar.update(size)
        bar.close()
        return made


def generate_synthetic(
    *, count: int, departments: int = 25, seed: int = 7, progress=True, total: int | None = None
) -> int:
    """Insert ``count`` synthetic use cases with their people, record, reviews and metrics.

    ``total`` is the size of the whole portfolio being built (submission dates spread over
    four years in proportion); a top-up continues the numbering after the existing ones.
    """
    existing = UseCase.objects.filter(department__slug__startswith="synthetic-").count()
    portfolio = SyntheticPortfolio(
        departments=departments, seed=seed + existing, now=timezone.now()
    )
    return portfolio.write(
        count=count,
        first_number=existing,
        total=total or existing + count,
        progress=progress,
    )
