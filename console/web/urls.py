"""The web pages, mounted at the site root (names unprefixed: "home" is LOGIN_REDIRECT_URL)."""

from django.urls import path

from console.web import (
    board_views,
    bom_views,
    browse_views,
    component_views,
    evidence_views,
    home_views,
    inbox_views,
    language_views,
    lessons_views,
    questionnaire_views,
    rebaseline_views,
    sign_off_views,
    use_case_views,
    views,
)

urlpatterns = [
    path("", home_views.home, name="home"),
    path("department/", home_views.my_department, name="my-department"),
    path("use-cases/", browse_views.use_case_browse, name="use-case-browse"),
    path("inbox/", inbox_views.inbox, name="my-actions"),
    path("language/", language_views.language_choose, name="language-choose"),
    path("inbox/preferences/", inbox_views.preferences, name="notification-preferences"),
    path("inbox/read/", inbox_views.notifications_read, name="notifications-read"),
    path("inbox/notifications/<int:pk>/", inbox_views.notification_open, name="notification-open"),
    path("use-cases/new/", views.use_case_form, name="use-case-new"),
    path("use-cases/<int:pk>/", use_case_views.use_case_page, name="use-case-detail"),
    path("use-cases/<int:pk>/edit/", views.use_case_form, name="use-case-edit"),
    path(
        "use-cases/<int:pk>/questionnaires/<int:questionnaire_pk>/",
        questionnaire_views.questionnaire_answer,
        name="questionnaire-answer",
    ),
    path("use-cases/<int:pk>/readings/", use_case_views.reading_add, name="reading-add"),
    path(
        "use-cases/<int:pk>/readings/correct/",
        evidence_views.reading_correct,
        name="reading-correct",
    ),
    path(
        "use-cases/<int:pk>/rebaseline/",
        rebaseline_views.rebaseline_request,
        name="rebaseline-request",
    ),
    path(
        "use-cases/<int:pk>/rebaseline/<int:request_pk>/decide/",
        rebaseline_views.rebaseline_decide,
        name="rebaseline-decide",
    ),
    path("use-cases/<int:pk>/submit/", use_case_views.use_case_submit, name="use-case-submit"),
    path("use-cases/<int:pk>/review/", use_case_views.review_request, name="review-request"),
    path("use-cases/<int:pk>/artifacts/", use_case_views.artifact_save, name="artifact-save"),
    path("use-cases/<int:pk>/sign-off/", sign_off_views.sign_off, name="sign-off"),
    path("use-cases/<int:pk>/discard/", browse_views.use_case_discard, name="use-case-discard"),
    path("use-cases/<int:pk>/incidents/", component_views.incident_report, name="incident-report"),
    path(
        "use-cases/<int:pk>/incidents/<int:incident_pk>/done/",
        component_views.incident_clock_done,
        name="incident-clock-done",
    ),
    path("use-cases/<int:pk>/import-bom/", bom_views.bom_upload, name="bom-upload"),
    path("boms/<int:pk>/", bom_views.bom_job_page, name="bom-job"),
    path("boms/<int:pk>/import/", bom_views.bom_job_import, name="bom-job-import"),
    path("lessons/", lessons_views.lessons_page, name="lessons"),
    path("components/", component_views.component_list, name="component-list"),
    path("components/<int:pk>/", component_views.component_page, name="component-detail"),
    path("components/<int:pk>/assess/", component_views.vendor_assess, name="vendor-assess"),
]

urlpatterns += [
    path("reviews/", board_views.review_queue, name="review-queue"),
    path("boards/", board_views.board_objectives_page, name="board-objectives"),
    path("boards/<int:pk>/", board_views.board_objectives_page, name="board-objective"),
    path("reviews/<int:pk>/", board_views.review_page, name="review-detail"),
    path("reviews/<int:pk>/vote/", board_views.review_vote, name="review-vote"),
    path("reviews/<int:pk>/recuse/", board_views.review_recuse, name="review-recuse"),
    path("reviews/<int:pk>/close/", board_views.review_close, name="review-close"),
    path(
        "departments/<int:pk>/velocity/",
        browse_views.department_velocity,
        name="department-velocity",
    ),
]

urlpatterns += [
    path("favicon.ico", home_views.favicon, name="favicon"),
]
