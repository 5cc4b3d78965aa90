"""My actions and my notification preferences: every person's own pages."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from console.web.common import render, report
from core.actions import KIND_LABELS, actions_for
from portfolio.models import Delivery
from portfolio.selectors import notification_inbox
from portfolio.services.notifications import (
    notification_preference_set,
    notification_preferences,
)


@login_required
def inbox(request):
    """Everything that waits for me, by kind, and my latest notifications."""
    actions = sorted(actions_for(request.user), key=lambda a: list(KIND_LABELS).index(a.kind))
    groups = [
        (KIND_LABELS.get(kind, kind), list(items))
        for kind, items in groupby(actions, key=lambda a: a.kind)
    ]
    return render(
        request,
        "flywheel/inbox.html",
        {
            "groups": groups,
            "action_total": len(actions),
            "notifications": list(notification_inbox(user=request.user)[:20]),
        },
    )


@login_required
def preferences(request):
    """Per kind of notification: e-mail at once, in a daily digest, or not at all."""
    rows = notification_preferences(user=request.user)
    if request.method == "POST":
        try:
            for row in rows:
                chosen = request.POST.get(row["kind"])
                if chosen is not None and chosen != row["delivery"]:
                    notification_preference_set(
                        user=request.user, kind=row["kind"], delivery=chosen
                    )
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notification-preferences")
    return render(
        request,
        "flywheel/notification_preferences.html",
        {"rows": rows, "choices": Delivery.choices},
    )
