from rest_framework.routers import DefaultRouter

from questionnaires.api import views

app_name = "questionnaires-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("questionnaires", views.QuestionnaireViewSet, basename="questionnaire")
router.register("questionnaire-answers", views.AnswerViewSet, basename="questionnaire-answer")

urlpatterns = router.urls
