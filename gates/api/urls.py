from rest_framework.routers import DefaultRouter

from gates.api import views

app_name = "gates-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("criteria-sets", views.CriteriaSetViewSet, basename="criteria-set")
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")

urlpatterns = router.urls
