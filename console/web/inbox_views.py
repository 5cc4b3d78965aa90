"""My actions and my notification preferences: every person's own pages."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.actions import KIND_LABELS, actions_for
from core.web.actions import report
from portfolio.models import Delivery
from portfolio.selectors import notification_inbox
from portfolio.services.notifications import (
    notification_kinds,
    notification_mark_read,
    notification_preference_set,
    notification_preferences,
    notifications_mark_all_read,
)

NOTIFICATIONS_SHOWN = 20

# What each kind of notification is about, beside its name on the preferences page.
KIND_HELP = {
    "flag_raised": gettext_lazy(
        "A use case of yours is flagged: stale metrics, a pilot past its time box, "
        "an overdue obligation, slower than the one before."
    ),
    "sign_off_requested": gettext_lazy("You are asked to sign a use case's definition of success."),
    "review_requested": gettext_lazy("A gate review waits for your board's votes."),
    "decision_made": gettext_lazy("A board decided a gate review of a use case of yours."),
    "webhook_disabled": gettext_lazy(
        "An outbound webhook stopped after repeated failed deliveries."
    ),
}


@login_required
def inbox(request):
    """Everything that waits for me, by kind, and my latest notifications (unread marked)."""
    actions = sorted(actions_for(request.user), key=lambda a: list(KIND_LABELS).index(a.kind))
    groups = [
        (KIND_LABELS.get(kind, kind), list(items))
        for kind, items in groupby(actions, key=lambda a: a.kind)
    ]
    received = notification_inbox(user=request.user)
    counts = received.aggregate(total=Count("id"), unread=Count("id", filter=Q(read_at=None)))
    pages = Paginator(received, NOTIFICATIONS_SHOWN)
    pages.count = counts["total"]  # counted with the unread ones, in the same query
    notifications = pages.get_page(request.GET.get("page"))
    labels = dict(notification_kinds())
    for notification in notifications:
        notification.kind_label = labels.get(notification.kind, notification.kind)
    return render(
        request,
        "flywheel/inbox.html",
        {
            "groups": groups,
            "action_total": len(actions),
            # The navigation's count too, so the actions are not gathered a second time.
            "my_actions_count": len(actions),
            "notifications": notifications,
            "unread": counts["unread"],
            "today": timezone.localdate(),
        },
    )


@login_required
def notification_open(request, pk: int):
    """Open the page a notification of mine is about, marking it read."""
    notification = get_object_or_404(notification_inbox(user=request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("my-actions")


@login_required
@require_POST
def notifications_read(request):
    """Mark all my notifications read."""
    count = notifications_mark_all_read(actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect("my-actions")


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
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notification-preferences")
    for row in rows:
        row["help"] = KIND_HELP.get(row["kind"], "")
    return render(
        request,
        "flywheel/notification_preferences.html",
        {"rows": rows, "choices": Delivery.choices},
    )
