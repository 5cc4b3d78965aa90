"""Builds the demo portfolio through the services, as two years of real history.

Deterministic: one seeded random generator, dates relative to the day it is loaded, so the
same story (who accelerates, who decelerates, which pilots are stuck) appears every time.
"""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from console.demo import story as demo
from console.demo.board import DemoBoard
from console.demo.lessons import demo_lesson
from console.demo.plans import (
    CONDITIONAL_AT_G0,
    CONDITIONAL_AT_G1,
    DAY,
    HELD,
    KILLED_AT_G0,
    KILLED_AT_G1,
    RE_REVIEW_EVERY,
    RECYCLED_AT_G1,
    RETIRED,
    STUCK_IN_PILOT,
    Plan,
    demo_plans,
)
from console.demo.regulation import demo_duties_meet
from core.errors import ProhibitedPractice
from core.roles import ADMINISTRATORS_GROUP, EXECUTIVES_GROUP
from gates.choices import Purpose
from governance.choices import Verdict
from portfolio import services
from portfolio.choices import (
    ArtifactKind,
    ArtifactStatus,
    Cadence,
    DepartmentRole,
    Direction,
    Horizon,
    Knowledge,
    MetricKind,
    Origin,
    ResourceControl,
    State,
)
from portfolio.models import Department, MetricReading, UseCase


class DemoPortfolio:
    """Loads the demo: people, departments, ~80 use cases with metrics and gate history."""

    def __init__(self, *, now: datetime, progress=None):
        self.now = now
        self.rng = random.Random(20261121)
        self.progress = progress
        self.users: dict[str, object] = {}
        self.created: dict[tuple[str, str], UseCase] = {}
        self._password_hash = None

    @property
    def password_hash(self) -> str:
        if self._password_hash is None:
            self._password_hash = make_password(demo.DEMO_PASSWORD)
        return self._password_hash

    # --- people --------------------------------------------------------------------------

    def _user(self, username: str, first: str, last: str, **flags):
        user, made = get_user_model().objects.get_or_create(
            username=username,
            # The address is set after the load (addresses_set): the made-up past's
            # notifications are kept in the app, not e-mailed one by one.
            defaults={"first_name": first, "last_name": last},
        )
        if made:
            # One published password: hashed once for everyone (PBKDF2 costs ~0.3 s a user).
            user.password = self.password_hash
            for name, value in flags.items():
                setattr(user, name, value)
            user.save()
        self.users[username] = user
        return user

    def addresses_set(self) -> None:
        """Give the demo people their e-mail addresses, once the history is written."""
        for username, user in self.users.items():
            if not user.email:
                user.email = f"{username}@demo.test"
                user.save(update_fields=["email"])

    def people(self) -> None:
        executives = Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0]
        admins = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0]
        self._user("exec", "Erin", "Exec", is_staff=True).groups.add(executives)
        self._user("cfo", "Carla", "Finanz", is_staff=True).groups.add(executives)
        self._user("coo", "Omar", "Ops", is_staff=True).groups.add(executives)
        self._user("admin", "Ada", "Admin", is_staff=True, is_superuser=True).groups.add(admins)
        self._user("board-chair", "Bea", "Chair")
        for n in range(1, 5):
            self._user(f"board-{n}", f"Board{n}", "Member")
        for name, slug, _trend in demo.DEPARTMENTS:
            department = Department.objects.filter(slug=slug).first() or services.department_create(
                name=name, slug=slug
            )
            head = self._user(f"head-{slug}", "Head", name)
            owner = self._user(f"owner-{slug}", "Owner", name)
            lead = self._user(f"ops-{slug}", "Ops lead", name)
            services.membership_set(user=head, department=department, role=DepartmentRole.HEAD)
            for person in (owner, lead):
                services.membership_set(
                    user=person, department=department, role=DepartmentRole.MEMBER
                )
        # One board member also works in Claims: they must recuse on Claims reviews.
        services.membership_set(
            user=self.users["board-4"],
            department=Department.objects.get(slug="claims"),
            role=DepartmentRole.MEMBER,
        )
        self.board = DemoBoard(self.users, now=self.now)

    def plans(self) -> list[Plan]:
        return demo_plans(now=self.now, rng=self.rng)

    # --- one use case --------------------------------------------------------------------

    def use_case(self, plan: Plan) -> UseCase:
        title, metric_name, unit, direction, baseline, target = plan.spec
        department = Department.objects.get(slug=plan.slug)
        head = self.users[f"head-{plan.slug}"]
        sponsor = self.users[self.rng.choice(["exec", "cfo", "coo"])]
        template = self.created.get(plan.template) if plan.template else None
        hypotheses = plan.trend == "decelerating" or self.rng.random() < 0.3
        build_cost = Decimal(self.rng.randrange(60, 400) * 1000)
        run_cost = Decimal(self.rng.randrange(10, 80) * 1000)
        expected_roi = {
            "accelerating": self.rng.uniform(2.2, 4.0),
            "steady": self.rng.uniform(1.6, 3.5),
            "decelerating": self.rng.uniform(0.8, 2.5),
        }[plan.trend]
        bottom_up_share = 0.25 + 0.5 * (plan.submitted_at or self.now).timestamp() / (
            self.now.timestamp()
        )
        use_case = services.use_case_create(
            actor=head,
            department=department,
            title=title,
            problem_statement=f"{metric_name} is at {baseline} {unit}; the business needs "
            f"{target} {unit}. {title} takes the repetitive part of the work off the team.",
            origin=Origin.BOTTOM_UP
            if self.rng.random() < bottom_up_share * 0.9
            else Origin.TOP_DOWN,
            outcome_owner=self.users[f"owner-{plan.slug}"],
            owner_controls_resources=(
                ResourceControl.YES if plan.trend == "accelerating" else ResourceControl.PARTLY
            ),
            owner_dependencies="" if plan.trend == "accelerating" else "IT release calendar",
            data_assumed="Two years of history, labelled, joined to the outcome.",
            data_existing="Eighteen months in the warehouse; labels for half of it.",
            build_cost=build_cost,
            run_cost_yearly=run_cost,
            expected_benefit_yearly=((build_cost + run_cost) * Decimal(expected_roi)).quantize(
                Decimal("1000")
            ),
            autonomy_share=Decimal(self.rng.randrange(10, 70)),
            execution_budget_share=Decimal(self.rng.randrange(10, 50)),
            sponsor=sponsor,
            operator_team=f"{department.name} operations",
            operator_lead=self.users[f"ops-{plan.slug}"],
            success_definition=f"{metric_name} reaches {target} {unit} with no drop in quality.",
            horizon=Horizon.LONG if plan.index % 4 == 3 else Horizon.SHORT,
            knowledge=Knowledge.HYPOTHESES if hypotheses else Knowledge.FACTS,
            scenarios="Adoption fast / slow; regulation tightens." if hypotheses else "",
            warning_signs="Usage under 30% after a month." if hypotheses else "",
            template=template,
            risk_prohibited_practice=title in demo.PROHIBITED,
            risk_annex_iii_area=title in demo.HIGH_RISK,
            risk_safety_component=False,
            risk_transparency_duty=self.rng.random() < 0.4,
            human_oversight=(
                "A recruiter reviews every recommendation; weekly bias audit."
                if title in demo.HIGH_RISK
                else ""
            ),
        )
        self.created[(plan.slug, title)] = use_case
        business = services.metric_create(
            actor=head,
            use_case=use_case,
            name=metric_name,
            unit=unit,
            direction=Direction.HIGHER if direction == "higher" else Direction.LOWER,
            baseline=Decimal(str(baseline)),
            target=Decimal(str(target)),
            cadence=Cadence.MONTHLY if plan.trend == "decelerating" else Cadence.WEEKLY,
        )
        services.metric_create(
            actor=head,
            use_case=use_case,
            name="Model precision",
            unit="%",
            kind=MetricKind.TECHNICAL,
            paired_with=business,
            baseline=Decimal(70),
            target=Decimal(90),
            cadence=Cadence.MONTHLY,
        )
        services.data_gap_create(
            actor=head,
            use_case=use_case,
            description="Older records lack outcome labels.",
            closing_work="Labelling sprint" if plan.trend != "decelerating" else "",
            work_owner="Data platform team" if plan.trend != "decelerating" else "",
            owner_committed=plan.trend == "accelerating",
            blocks_production=plan.index % 5 == 0,
        )
        services.use_case_sign_off(actor=sponsor, use_case=use_case, party="sponsor")
        if plan.trend != "decelerating" or plan.index % 2:
            services.use_case_sign_off(
                actor=self.users[f"ops-{plan.slug}"], use_case=use_case, party="operator"
            )
        return use_case

    # --- evidence ------------------------------------------------------------------------

    def readings(self, plan: Plan, use_case: UseCase, *, start: datetime, end: datetime) -> None:
        """Metric readings from pilot start to ``end``, moving from baseline toward target.

        Written in bulk: thousands of historical readings are data, not user actions, and
        each through the service would enqueue a recompute of its own.
        """
        success = {"accelerating": 1.08, "steady": 1.02, "decelerating": 0.5}[plan.trend]
        pilot_days = plan.durations["pilot"]
        rows = []
        for metric in use_case.metrics.all():
            step = 7 if metric.cadence == Cadence.WEEKLY else 30
            baseline, target = float(metric.baseline), float(metric.target)
            moment = start
            while moment <= end:
                progress = min(1.0, (moment - start) / DAY / pilot_days) * success
                noise = self.rng.uniform(-0.04, 0.04) * abs(target - baseline)
                value = baseline + (target - baseline) * progress + noise
                rows.append(
                    MetricReading(
                        metric=metric,
                        value=Decimal(f"{value:.4f}"),
                        measured_at=moment,
                        recorded_by=use_case.outcome_owner,
                    )
                )
                moment += step * DAY
        MetricReading.objects.bulk_create(rows)

    def artifacts(self, use_case: UseCase, *, status: ArtifactStatus) -> None:
        head = self.users[f"head-{use_case.department.slug}"]
        services.artifact_save(
            actor=head,
            use_case=use_case,
            kind=ArtifactKind.SCALE_MEMO,
            status=status,
            content="What made the pilot work: one owner, weekly readings. At scale: "
            "three more sites, a support rota. New investment: integration and training.",
        )
        services.artifact_save(
            actor=head,
            use_case=use_case,
            kind=ArtifactKind.INTEGRATION_PLAN,
            status=status,
            content="Connect to the case system through its API; cut over site by site.",
        )

    # --- the walk through the gates ------------------------------------------------------

    def load(self, plan: Plan) -> None:
        """Create one use case and live its history up to now."""
        use_case = self.use_case(plan)
        if plan.submitted_at is None:
            return
        head = self.users[f"head-{plan.slug}"]
        title = plan.title
        try:
            use_case = services.use_case_submit(use_case=use_case, actor=head, at=plan.submitted_at)
        except ProhibitedPractice:
            return  # Art. 5: refused at submission, it stays a draft (the story shows it)
        latency = timedelta(hours=plan.latency_hours)

        # G0: submitted to pilot.
        g0 = plan.submitted_at + plan.durations["intake"] * DAY
        if g0 > self.now:
            if g0 - latency < self.now:
                self.board.request(use_case, actor=head, at=g0 - latency)
            return
        verdict = "no_go" if title in KILLED_AT_G0 else "go"
        if title in CONDITIONAL_AT_G0:
            verdict = "conditional_go"
        if verdict != "no_go":
            demo_duties_meet(use_case=use_case, actor=head, gate="G0", at=g0 - latency)
        use_case = self.board.decide(
            use_case, actor=head, requested=g0 - latency, decided=g0, verdict=verdict
        )
        if use_case.state == State.KILLED:
            return

        if title in HELD:
            held_at = max(g0 + 10 * DAY, self.now - HELD[title] * DAY)
            self.readings(plan, use_case, start=g0, end=held_at)
            services.use_case_hold(
                use_case=use_case, actor=head, reason="Budget freeze", at=held_at
            )
            return

        # Pilot: evidence accumulates; G1 when the pilot has proved (or failed to prove) value.
        g1 = g0 + plan.durations["pilot"] * DAY
        stuck = title in STUCK_IN_PILOT
        pilot_end = self.now if stuck or g1 > self.now else g1
        self.readings(plan, use_case, start=g0, end=pilot_end)
        if stuck or g1 > self.now:
            self.artifacts(use_case, status=ArtifactStatus.DRAFT)
            if not stuck and g1 - latency < self.now:
                self.board.request(use_case, actor=head, at=g1 - latency)
            return
        self.artifacts(use_case, status=ArtifactStatus.FINAL)
        if title in RECYCLED_AT_G1:
            first = g1 - 30 * DAY
            use_case = self.board.decide(
                use_case, actor=head, requested=first - latency, decided=first, verdict="recycle"
            )
        verdict = "no_go" if title in KILLED_AT_G1 else "go"
        if title in CONDITIONAL_AT_G1:
            verdict = "conditional_go"
        if verdict != "no_go":
            demo_duties_meet(use_case=use_case, actor=head, gate="G1", at=g1 - latency)
        use_case = self.board.decide(
            use_case, actor=head, requested=g1 - latency, decided=g1, verdict=verdict
        )
        if use_case.state == State.KILLED:
            return

        # Scale: live; G2 once the benefit is realised at scale.
        g2 = g1 + plan.durations["scale"] * DAY
        self.readings(plan, use_case, start=g1 + DAY, end=min(g2, self.now))
        success = {"accelerating": 1.1, "steady": 0.95, "decelerating": 0.55}[plan.trend]
        services.use_case_update(
            actor=head,
            use_case=use_case,
            realised_benefit_yearly=(use_case.expected_benefit_yearly * Decimal(success)).quantize(
                Decimal("1")
            ),
        )
        if g2 <= self.now:
            demo_duties_meet(use_case=use_case, actor=head, gate="G2", at=g2 - latency)
            use_case = self.board.decide(
                use_case, actor=head, requested=g2 - latency, decided=g2, verdict="go"
            )
            self.readings(plan, use_case, start=g2 + DAY, end=self.now)
        self.finish(plan, use_case, head)

    def finish(self, plan: Plan, use_case: UseCase, head) -> None:
        """Scheduled re-reviews of live use cases (the well-run departments keep to them), and
        retirements that happened recently enough to follow the last move."""
        last_move = use_case.state_changed_at
        if plan.trend != "decelerating" and plan.title not in RETIRED:
            latency = timedelta(hours=plan.latency_hours)
            moment = last_move + RE_REVIEW_EVERY
            while moment < self.now - 5 * DAY:
                use_case = self.board.decide(
                    use_case,
                    actor=head,
                    requested=moment - latency,
                    decided=moment,
                    verdict=Verdict.GO,
                    purpose=Purpose.RE_REVIEW,
                )
                moment += RE_REVIEW_EVERY
        if plan.title in RETIRED:
            retired_at = max(last_move + 20 * DAY, self.now - 40 * DAY)
            if retired_at < self.now:
                services.use_case_retire(
                    use_case=use_case,
                    actor=head,
                    reason="Replaced by the vendor's built-in model.",
                    lesson=demo_lesson(plan.title),
                    at=retired_at,
                )
