"""Gates endpoints: versioned criteria sets (administrators write) and the frozen evidence."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from core.api.base import AdministratorsWrite, FlywheelViewSet
from gates import services
from gates.api import filters
from gates.api import serializers as s
from gates.models import CriteriaSet, Criterion, EvidenceSnapshot
from portfolio.selectors import use_case_visible_to


class CriteriaSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """The criteria each gate is judged by. A change is a new version (``revise``); the
    reviews judged by an old version keep it."""

    permission_classes = [IsAuthenticated, AdministratorsWrite]
    queryset = CriteriaSet.objects.none()
    output_serializer_class = s.CriteriaSetSerializer
    input_serializers = {
        "create": s.CriteriaSetInputSerializer,
        "revise": s.CriteriaSetReviseSerializer,
    }
    filterset_class = filters.CriteriaSetFilter
    ordering_fields = ["gate", "version", "created_at", "id"]

    def get_queryset(self):
        criteria = Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id"))
        return self.role_holders_only(CriteriaSet.objects.prefetch_related(criteria))

    def create(self, request):
        criteria_set = services.criteria_set_create(actor=request.user, **self.parse())
        return self.respond(criteria_set, status.HTTP_201_CREATED)

    @extend_schema(request=s.CriteriaSetReviseSerializer, responses={201: s.CriteriaSetSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        criteria_set = services.criteria_set_revise(
            criteria_set=self.get_object(), actor=request.user, **self.parse()
        )
        return self.respond(criteria_set, status.HTTP_201_CREATED)


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """The evidence every review was judged on, frozen: the scorecards, oldest first."""

    queryset = EvidenceSnapshot.objects.none()
    output_serializer_class = s.EvidenceSnapshotSerializer
    filterset_class = filters.SnapshotFilter
    ordering_fields = ["taken_at", "id"]

    def get_queryset(self):
        visible = use_case_visible_to(user=self.request.user)
        return EvidenceSnapshot.objects.filter(review__use_case__in=visible)
