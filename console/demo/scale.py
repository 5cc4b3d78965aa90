"""Synthetic portfolios of any size for benchmarks, written with bulk inserts.

The rows are generated data, not user actions: the use cases and their transition records
are inserted directly (no gate reviews), which is what the velocity jobs read.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from portfolio.choices import Origin, State, Transition
from portfolio.models import Department, TransitionRecord, UseCase

BATCH = 5000
STAGES = (
    (Transition.SUBMIT, State.DRAFT, State.SUBMITTED, "intake"),
    (Transition.ADVANCE_TO_PILOT, State.SUBMITTED, State.PILOT, "intake"),
    (Transition.ADVANCE_TO_SCALE, State.PILOT, State.SCALE, "pilot"),
    (Transition.ADVANCE_TO_EXTEND, State.SCALE, State.EXTEND, "scale"),
)


def _departments(count: int) -> list[Department]:
    existing = {d.slug: d for d in Department.objects.filter(slug__startswith="synthetic-")}
    missing = [
        Department(name=f"Synthetic {n:02d}", slug=f"synthetic-{n:02d}")
        for n in range(1, count + 1)
        if f"synthetic-{n:02d}" not in existing
    ]
    Department.objects.bulk_create(missing)
    return list(Department.objects.filter(slug__startswith="synthetic-").order_by("slug"))


def generate_synthetic(*, count: int, departments: int = 25, seed: int = 7, progress=True) -> int:
    """Insert ``count`` use cases spread over departments, with their transition records."""
    rng = random.Random(seed)
    now = timezone.now()
    start = now - timedelta(days=1500)
    depts = _departments(departments)
    made = 0
    bar = tqdm(total=count, desc="synthetic use cases", unit="uc", disable=not progress)
    while made < count:
        size = min(BATCH, count - made)
        plans = []
        for n in range(size):
            submitted = start + timedelta(days=1400 * (made + n) / count + rng.random())
            durations = {
                "intake": rng.uniform(3, 60),
                "pilot": rng.uniform(20, 200),
                "scale": rng.uniform(30, 250),
            }
            steps, moment = [], submitted
            for transition, source, target, measure in STAGES:
                if transition != Transition.SUBMIT:
                    moment += timedelta(days=durations[measure])
                if moment > now or (steps and rng.random() < 0.15):
                    break
                steps.append((transition, source, target, moment))
            plans.append((submitted, steps))
        with transaction.atomic():
            use_cases = UseCase.objects.bulk_create(
                UseCase(
                    title=f"Synthetic use case {made + n + 1}",
                    department=depts[(made + n) % len(depts)],
                    origin=Origin.BOTTOM_UP if rng.random() < 0.5 else Origin.TOP_DOWN,
                    state=steps[-1][2] if steps else State.DRAFT,
                    submitted_at=submitted if steps else None,
                    state_changed_at=steps[-1][3] if steps else None,
                )
                for n, (submitted, steps) in enumerate(plans)
            )
            TransitionRecord.objects.bulk_create(
                TransitionRecord(
                    use_case=use_case,
                    transition=transition,
                    from_state=source,
                    to_state=target,
                    at=moment,
                    reason="synthetic",
                )
                for use_case, (_submitted, steps) in zip(use_cases, plans, strict=True)
                for transition, source, target, moment in steps
            )
        made += size
        bar.update(size)
    bar.close()
    return made
