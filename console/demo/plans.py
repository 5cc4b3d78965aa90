"""The demo's plan: when each step of each use case happens, decided before anything is
written, and the fates some meet besides the march through the gates (console.demo.loader
writes it through the services)."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.demo import story as demo

DAY = timedelta(days=1)
HISTORY_DAYS = 720
RE_REVIEW_EVERY = timedelta(days=175)

# Fates, by title: what happens to a use case besides the normal march through the gates.
KILLED_AT_G0 = {"Interview emotion analysis", "Copy generation"}
KILLED_AT_G1 = {"Reserve estimation", "Brand safety checks", "Cat exposure summary"}
STUCK_IN_PILOT = {
    "Litigation risk flags",
    "Spare parts forecasting",
    "Pricing promotion planner",
    "Payroll anomaly checks",
    "Personalised email timing",
}
HELD = {"Media mix model": 150, "Learning recommendations": 120, "Route optimisation": 30}
RETIRED = {"Quality review sampling", "Tax code suggestion"}
RECYCLED_AT_G1 = {"Cash forecast", "Warehouse slotting"}
CONDITIONAL_AT_G0 = {"Churn-risk callback list", "Audience lookalikes"}
CONDITIONAL_AT_G1 = {"Renewal risk scoring"}


@dataclass
class Plan:
    """When each step of one use case happens, decided before anything is written."""

    slug: str
    trend: str
    index: int
    spec: tuple
    submitted_at: datetime | None
    durations: dict = field(default_factory=dict)
    latency_hours: float = 36.0
    template: tuple | None = None

    @property
    def title(self) -> str:
        return self.spec[0]


def demo_plans(*, now: datetime, rng: random.Random) -> list[Plan]:
    """When each use case of each department is submitted and how long each stage takes:
    faster with each initiative where the department accelerates, slower where it does not."""
    plans = []
    start = now - HISTORY_DAYS * DAY
    for _name, slug, trend in demo.DEPARTMENTS:
        catalogue = demo.CATALOGUE[slug]
        spacing = (HISTORY_DAYS - 40) / len(catalogue)
        for index, spec in enumerate(catalogue):
            last = index == len(catalogue) - 1
            offset = index * spacing + rng.uniform(0, spacing * 0.4)
            plan = Plan(
                slug=slug,
                trend=trend,
                index=index,
                spec=spec,
                submitted_at=None if last else start + offset * DAY,
            )
            factor = {
                "accelerating": max(0.4, 0.88**index),
                "steady": rng.uniform(0.9, 1.1),
                "decelerating": 0.6 * 1.13**index,
            }[trend]
            reuse = demo.CROSS_TEMPLATES.get((slug, spec[0]))
            if reuse is None and index >= 3 and rng.random() < 0.35:
                reuse = (slug, catalogue[rng.randrange(0, index - 1)][0])
            plan.template = reuse
            speedup = 0.7 if reuse else 1.0
            plan.durations = {
                "intake": max(3.0, 30 * factor * speedup + rng.uniform(-2, 2)),
                "pilot": max(20.0, 80 * factor * speedup + rng.uniform(-5, 5)),
                "scale": max(30.0, 380 * factor * speedup + rng.uniform(-8, 8)),
            }
            if index == len(catalogue) - 2:
                # The newest submission of each department waits for its G0 decision.
                waited = (now - plan.submitted_at) / DAY
                plan.durations["intake"] = waited + rng.uniform(0.5, 8)
            plan.latency_hours = {
                "accelerating": rng.uniform(8, 40),
                "steady": rng.uniform(30, 70),
                "decelerating": rng.uniform(60, 100) + 15 * index,
            }[trend]
            plans.append(plan)
    return sorted(plans, key=lambda p: (p.submitted_at or now, p.slug, p.index))
