from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import health
from console.dashboard import views as dashboard_views
from core.api.actions import MyActionsView
from core.metrics import metrics
from signin import urls as signin_urls
from signin.web import LogoutView

admin.site.site_header = "Flywheel"
admin.site.site_title = "Flywheel"
admin.site.index_title = _("Portfolio")

urlpatterns = [
    # The executives' dashboard is the admin's home; the default admin site serves the rest.
    path("admin/", admin.site.admin_view(dashboard_views.dashboard), name="flywheel-dashboard"),
    path("admin/flywheel/", include("console.dashboard.urls")),
    # Logging out of the admin ends the provider's session too, like the pages' logout.
    path("admin/logout/", LogoutView.as_view()),
    path("admin/", admin.site.urls),
    path("accounts/", include(signin_urls.account_urlpatterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("oidc/", include(signin_urls.provider_urlpatterns)),
    path("signin/", include("signin.urls")),
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/", include("signin.api.urls")),
    path("api/", include("portfolio.api.urls")),
    path("api/", include("gates.api.urls")),
    path("api/", include("governance.api.urls")),
    path("api/", include("inventory.api.urls")),
    path("api/", include("integrations.api.urls")),
    path("api/my-actions/", MyActionsView.as_view(), name="my-actions-api"),
    path("api/compliance/", include("compliance.api.urls")),
    path("api/", include("components.api.urls")),
    path("api/", include("questionnaires.api.urls")),
    path("compliance/", include("compliance.web.urls")),
    path("api/", include("reports.api.urls")),
    path("reports/", include("reports.urls")),
    path("", include("console.web.urls")),
]
handler404 = "core.api.errors.not_found"
handler500 = "core.unavailable.server_error_or_unavailable"
