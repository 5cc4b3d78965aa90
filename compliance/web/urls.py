from django.urls import path

from compliance.web import views

app_name = "compliance"

urlpatterns = [
    path("use-cases/<int:pk>/", views.use_case_compliance, name="use-case"),
    path("use-cases/<int:pk>/profile/", views.profile_save, name="profile-save"),
    path("use-cases/<int:pk>/claims/", views.claim_save, name="claim-save"),
    path("use-cases/<int:pk>/attachments/", views.attachment_save, name="attachment-save"),
    path(
        "use-cases/<int:pk>/evidence-packs/<str:framework>/",
        views.evidence_pack_page,
        name="evidence-pack",
    ),
    path("obligations/<int:pk>/", views.obligation_save, name="obligation-save"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment-download"),
    path("crosswalk/", views.crosswalk_page, name="crosswalk"),
]
