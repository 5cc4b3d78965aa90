from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import health
from console.dashboard import views as dashboard_views
from portfolio.api.views import AuthTokenView

admin.site.site_header = "Flywheel"
admin.site.site_title = "Flywheel"
admin.site.index_title = "Portfolio"

urlpatterns = [
    # The executives' dashboard is the admin's home; the default admin site serves the rest.
    path("admin/", admin.site.admin_view(dashboard_views.dashboard), name="flywheel-dashboard"),
    path("admin/flywheel/", include("console.dashboard.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("health/", health, name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/auth/token/", AuthTokenView.as_view(), name="api-token"),
    path("api/", include("portfolio.api.urls")),
    path("api/", include("gates.api.urls")),
    path("api/", include("governance.api.urls")),
    path("api/", include("inventory.api.urls")),
    path("api/compliance/", include("compliance.api.urls")),
    path("compliance/", include("compliance.web.urls")),
    path("api/", include("reports.api.urls")),
    path("reports/", include("reports.urls")),
    path("", include("console.web.urls")),
]
handler404 = "core.api.errors.not_found"
