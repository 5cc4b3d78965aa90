"""The executives' admin pages, wrapped in the default admin site's login and staff check."""

from django.contrib import admin
from django.urls import path

from console.dashboard import views

app_name = "flywheel-admin"

urlpatterns = [
    path("use-cases/<int:pk>/", admin.site.admin_view(views.use_case), name="use-case"),
]
