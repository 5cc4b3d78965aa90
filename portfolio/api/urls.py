from django.urls import path
from rest_framework.routers import DefaultRouter

from portfolio.api import forecasts, lessons, preferences, readings, velocity, views

app_name = "portfolio-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("use-cases", views.UseCaseViewSet, basename="use-case")
router.register("transitions", views.TransitionViewSet, basename="transition")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("readings", readings.ReadingViewSet, basename="reading")
router.register("data-gaps", views.DataGapViewSet, basename="data-gap")
router.register("artifacts", views.ArtifactViewSet, basename="artifact")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("flags", velocity.FlagViewSet, basename="flag")
router.register("velocity", velocity.VelocityViewSet, basename="velocity")
router.register("forecasts", forecasts.ForecastViewSet, basename="forecast")
router.register("lessons", lessons.LessonViewSet, basename="lesson")

urlpatterns = [
    path(
        "notification-preferences/",
        preferences.NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
