from rest_framework.routers import DefaultRouter

from components.api import views

app_name = "components-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("components", views.ComponentViewSet, basename="component")
router.register("component-links", views.ComponentLinkViewSet, basename="component-link")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("vendor-questions", views.QuestionViewSet, basename="vendor-question")
router.register("vendor-assessments", views.AssessmentViewSet, basename="vendor-assessment")
router.register("boms", views.BomImportViewSet, basename="bom")

urlpatterns = router.urls
