from django.urls import path

from inventory.api import views

app_name = "inventory-api"

urlpatterns = [
    path("inventory/imports/", views.ImportListView.as_view(), name="import-list"),
    path("inventory/imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("inventory/imports/<int:pk>/apply/", views.ImportApplyView.as_view(), name="import-apply"),
    path(
        "inventory/imports/<int:pk>/mapping/",
        views.ImportMappingView.as_view(),
        name="import-mapping",
    ),
    path("inventory/mappings/", views.SavedMappingListView.as_view(), name="mapping-list"),
    path("inventory/export/", views.ExportView.as_view(), name="export"),
    path("inventory/template/", views.TemplateView.as_view(), name="template"),
]
