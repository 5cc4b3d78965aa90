from django.urls import path
from rest_framework.routers import DefaultRouter

from compliance.api import views

app_name = "compliance-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("profiles", views.RegulatoryProfileViewSet, basename="regulatory-profile")
router.register("exemption-claims", views.ExemptionClaimViewSet, basename="exemption-claim")
router.register("obligations", views.ObligationViewSet, basename="obligation")
router.register("attachments", views.AttachmentViewSet, basename="attachment")
router.register("obligation-types", views.ObligationTypeViewSet, basename="obligation-type")
router.register("application-dates", views.ApplicationDateViewSet, basename="application-date")
router.register("crosswalk", views.CrosswalkViewSet, basename="crosswalk")

urlpatterns = [
    path(
        "use-cases/<int:use_case_id>/evidence-packs/<str:framework>/",
        views.EvidencePackView.as_view(),
        name="evidence-pack",
    ),
    path(
        "use-cases/<int:use_case_id>/oscal/",
        views.OscalResultsView.as_view(),
        name="oscal-assessment-results",
    ),
    path("posture/", views.PostureView.as_view(), name="posture"),
    *router.urls,
]
