"""Board packs as downloads: the web (session) and the API (token) answer the same rule."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.filtering import query_parameters_check
from core.errors import NotFoundError
from gates.models import GateReview
from reports import packs
from reports.rules import may_read_portfolio, may_read_review

PDF = "application/pdf"


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def review_pack_response(user, pk: int) -> HttpResponse:
    review = get_object_or_404(
        GateReview.objects.select_related(
            "use_case", "use_case__department", "requested_by", "criteria_set"
        ),
        pk=pk,
    )
    if not may_read_review(user, review):
        raise PermissionDenied(
            _("Only the deciding board, the department's head and executives read this review.")
        )
    return _pdf(packs.review_pack(review), f"review-{review.pk}-{review.gate}.pdf")


def portfolio_pack_response(user, month: str | None) -> HttpResponse:
    if not may_read_portfolio(user):
        raise PermissionDenied(_("The portfolio pack is for executives and administrators."))
    month = packs.month_checked(month)
    return _pdf(packs.portfolio_pack(month), f"portfolio-{month}.pdf")


@login_required
def review_pack(request, pk: int):
    """The board pack of one review (web, logged in)."""
    return review_pack_response(request.user, pk)


@login_required
def portfolio_pack(request, month: str | None = None):
    """The monthly portfolio pack (web, logged in); a month it cannot print is refused on the
    error page, with the reason (400 malformed or not begun, 404 no figures kept)."""
    try:
        return portfolio_pack_response(request.user, month)
    except ValidationError as error:
        return render(request, "400.html", {"reason": " ".join(error.messages)}, status=400)
    except NotFoundError as error:
        return render(request, "404.html", {"reason": error.message}, status=404)


class ReviewPackView(APIView):
    """GET the board pack of a review as PDF (whoever may read the review)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="A review's board pack (PDF)", responses={(200, PDF): OpenApiTypes.BINARY}
    )
    def get(self, request, pk: int):
        return review_pack_response(request.user, pk)


class PortfolioPackView(APIView):
    """GET the monthly portfolio pack as PDF (executives and administrators)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="The monthly portfolio pack (PDF)",
        parameters=[
            OpenApiParameter(
                "month",
                str,
                required=False,
                pattern=packs.MONTH.pattern,
                description=(
                    "YYYY-MM; this month (live) when left out. A past month prints the "
                    "figures kept by the snapshot job's last run in it (404 if it never ran "
                    "then); a month not yet begun is refused (400)."
                ),
            )
        ],
        responses={
            (200, PDF): OpenApiTypes.BINARY,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request):
        query_parameters_check(request.query_params, ["month"])
        return portfolio_pack_response(request.user, request.query_params.get("month"))
