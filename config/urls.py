from django.contrib import admin
from django.urls import include, path

from governance.dashboard import views as dashboard_views

urlpatterns = [
    # The executives' dashboard is the admin's home; the default admin site serves the rest.
    path("admin/", admin.site.admin_view(dashboard_views.dashboard), name="flywheel-dashboard"),
    path("admin/flywheel/", include("governance.dashboard.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("governance.web.urls")),
]
