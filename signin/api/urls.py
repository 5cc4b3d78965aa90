from django.urls import path
from rest_framework.routers import DefaultRouter

from signin.api import views

app_name = "signin-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("group-mappings", views.GroupMappingViewSet, basename="group-mapping")
router.register("auth/tokens", views.ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("auth/token/", views.AuthTokenView.as_view(), name="token-exchange"),
    *router.urls,
]
