"""What the soak runs inside Django (`manage.py shell -c`): the seed before the load and the
checks after it. Each prints one JSON line."""

SEED = """
import json, os
from datetime import timedelta
from django.utils import timezone
from core.events import event_types
from integrations.models import WebhookEndpoint
from portfolio.services import use_case_advance
from portfolio.services.velocity import velocity_recompute
from signin.services.tokens import api_token_create
from tests import factories
from tests.support.velocity import Authorisation
department = factories.DepartmentFactory(name="Soak", slug="soak")
head = factories.head_of(department, username="soak-head")
# A subscriber to every event type: the soak's receiver counts what reaches it.
WebhookEndpoint.objects.create(
    name="soak receiver", url=os.environ["SOAK_RECEIVER_URL"], secret="soak",
    event_types=[t.code for t in event_types()],
)
now = timezone.now()
cases = []
# Submitted three months ago, half of them in pilot since (intake durations of 10 to 19
# days, so some are slower than the one before): velocity rows and flags to keep right.
for n in range(8):
    case = factories.submitted(department, head, title=f"Soak {n}", at=now - timedelta(days=90 - n))
    if n % 2 == 0:
        case = use_case_advance(use_case=case, authorisation=Authorisation(), actor=head,
                                at=now - timedelta(days=80 - 4 * n))
    cases.append(case)
velocity_recompute()
print(json.dumps({
    "token": api_token_create(user=head, name="soak")[1],
    "department": department.pk,
    "use_cases": [u.pk for u in cases],
    "metrics": [m.pk for u in cases for m in u.metrics.all()],
}))
"""

CHECK = """
import json
from collections import Counter
from django.db.models import Count
from integrations.models import WebhookDelivery
from portfolio.models import Flag, Notification, UseCase, MetricReading, VelocitySnapshot
from portfolio.services.flags import flags_sweep
from portfolio.services.velocity import velocity_recompute
titles = Counter(UseCase.objects.values_list("title", flat=True))
open_twice = list(Flag.objects.filter(cleared_at=None).values("use_case", "kind")
                  .annotate(n=Count("id")).filter(n__gt=1).values_list("use_case", "kind"))
flags = Counter(Flag.objects.values_list("use_case_id", "kind"))
notes = Counter(Notification.objects.filter(kind="flag_raised")
                .values_list("recipient_id", "use_case_id"))
per_case = Counter()
for (case, kind), n in flags.items():
    per_case[case] += n
too_many = [k for k, n in notes.items() if n > per_case[k[1]]]
before = set(VelocitySnapshot.objects.values_list("scope", "period", "measure", "use_case_id",
                                                  "value", "label"))
recompute = velocity_recompute(force=True)
after = set(VelocitySnapshot.objects.values_list("scope", "period", "measure", "use_case_id",
                                                 "value", "label"))
sweep = flags_sweep()
print(json.dumps({
    "titles": dict(titles),
    "readings": list(MetricReading.objects.values_list("id", flat=True)),
    "deliveries": {status: list(WebhookDelivery.objects.filter(status=status)
                                .values_list("event_id", flat=True))
                   for status in ("delivered", "pending", "failed")},
    "open_twice": open_twice,
    "notifications_beyond_flags": len(too_many),
    "flags": sum(flags.values()),
    "velocity_rows": len(before),
    "velocity_changed_by_recompute": len(before ^ after),
    "recompute_rows_written": recompute.duration_rows,
    "sweep_raised": sum(r.raised for r in sweep.values()),
    "sweep_cleared": sum(r.cleared for r in sweep.values()),
}))
"""
