"""Evidence documents: size and type limits, stored through the storage API, append-only
versions, and served only to people who may read the use case (API and direct URLs)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from compliance.models import Attachment
from core.models import AppendOnlyError
from tests import factories
from tests.support.compliance import PDF, use_case_with


def pdf(name="model-card.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def web_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(head, other_head, executive, admin_user):
    return {
        "head": head,
        "other_head": other_head,
        "executive": executive,
        "admin": admin_user,
        "nobody": factories.UserFactory(username="no-role"),
        "anonymous": None,
    }


def upload(user, use_case, **fields):
    data = {"use_case": use_case.pk, "kind": "model_card", "file": pdf(), **fields}
    return api_as(user).post("/api/compliance/attachments/", data, format="multipart")


@pytest.fixture
def draft_document(department, head):
    use_case = use_case_with(department, head, submit=False)
    response = upload(head, use_case)
    assert response.status_code == 201, response.json()
    return Attachment.objects.get(pk=response.json()["id"])


@pytest.fixture
def submitted_document(department, head):
    use_case = use_case_with(department, head)
    response = upload(head, use_case)
    assert response.status_code == 201, response.json()
    return Attachment.objects.get(pk=response.json()["id"])


# Who may read a draft's document: its department, executives and administrators.
DRAFT = {"head": 200, "other_head": 404, "executive": 200, "admin": 200, "nobody": 404}
# A submitted use case is read by every role holder; a person with no role sees nothing.
SUBMITTED = {**DRAFT, "other_head": 200}


@pytest.mark.parametrize("role", sorted(DRAFT))
def test_a_drafts_document_through_the_api_and_the_direct_url(role, people, draft_document, client):
    api = api_as(people[role])
    direct = web_as(client, people[role])
    api_url = f"/api/compliance/attachments/{draft_document.pk}/download/"
    web_url = reverse("compliance:attachment-download", args=[draft_document.pk])

    api_response, web_response = api.get(api_url), direct.get(web_url)

    assert (api_response.status_code, web_response.status_code) == (DRAFT[role], DRAFT[role])
    if DRAFT[role] == 200:
        assert b"".join(api_response.streaming_content) == PDF
        assert b"".join(web_response.streaming_content) == PDF
        assert web_response["Content-Type"] == "application/pdf"
        assert web_response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in web_response["Content-Disposition"]
    assert api.get(f"/api/compliance/attachments/{draft_document.pk}/").status_code == DRAFT[role]


@pytest.mark.parametrize("role", sorted(SUBMITTED))
def test_a_submitted_use_cases_document_by_role(role, people, submitted_document, client):
    url = reverse("compliance:attachment-download", args=[submitted_document.pk])

    response = web_as(client, people[role]).get(url)

    assert response.status_code == SUBMITTED[role]


def test_anonymous_people_get_nothing(draft_document, client):
    api = api_as(None).get(f"/api/compliance/attachments/{draft_document.pk}/download/")
    web = client.get(reverse("compliance:attachment-download", args=[draft_document.pk]))

    assert api.status_code == 401
    assert web.status_code == 302 and "/accounts/login/" in web["Location"]


def test_lists_hold_only_what_the_person_may_read(people, draft_document, submitted_document):
    listed = {
        role: {
            row["id"]
            for row in api_as(people[role]).get("/api/compliance/attachments/").json()["results"]
        }
        for role in ("head", "other_head", "nobody")
    }

    assert listed == {
        "head": {draft_document.pk, submitted_document.pk},
        "other_head": {submitted_document.pk},
        "nobody": set(),
    }


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("other_head", 403, "permission_denied"),
        ("executive", 403, "executives_read_only"),
        ("nobody", 400, "invalid"),
    ],
)
def test_only_the_departments_people_upload(role, status, code, people, department, head):
    use_case = use_case_with(department, head)

    response = upload(people[role], use_case)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not Attachment.objects.exists()


def test_size_and_type_limits(settings, department, head):
    use_case = use_case_with(department, head)
    settings.FLYWHEEL_ATTACHMENT_MAX_BYTES = len(PDF)

    too_big = upload(head, use_case, file=pdf(content=PDF + b"x"))
    exactly = upload(head, use_case, file=pdf(content=PDF))
    program = upload(head, use_case, file=SimpleUploadedFile("tool.exe", b"MZ\x90\x00"))
    disguised = upload(head, use_case, file=SimpleUploadedFile("card.pdf", b"MZ\x90\x00 not a pdf"))

    assert too_big.status_code == 400 and "limit" in too_big.json()["fields"]["file"][0]
    assert exactly.status_code == 201
    assert program.status_code == 400 and list(program.json()["fields"]) == ["file"]
    assert disguised.status_code == 400 and list(disguised.json()["fields"]) == ["file"]


def test_stored_through_the_storage_api_under_a_random_name(draft_document, media_root):
    stored = media_root / draft_document.file.name

    assert stored.read_bytes() == PDF
    assert "model-card" not in draft_document.file.name
    assert draft_document.original_name == "model-card.pdf"
    assert draft_document.size == len(PDF)


def test_a_new_version_supersedes_and_both_are_kept(head, draft_document):
    second = upload(
        head,
        draft_document.use_case,
        kind="",
        supersedes=draft_document.pk,
        file=pdf(content=PDF + b"% v2\n"),
    )
    again = upload(head, draft_document.use_case, supersedes=draft_document.pk)

    assert second.status_code == 201
    assert (second.json()["version"], second.json()["kind"]) == (2, "model_card")
    assert again.status_code == 409 and again.json()["code"] == "already_superseded"
    first = api_as(head).get(f"/api/compliance/attachments/{draft_document.pk}/").json()
    assert first["superseded_by"] == second.json()["id"]
    assert Attachment.objects.count() == 2
    current = api_as(head).get("/api/compliance/attachments/?current=true").json()["results"]
    assert [row["id"] for row in current] == [second.json()["id"]]


def test_a_document_is_never_changed_or_deleted(draft_document):
    draft_document.title = "Changed"
    with pytest.raises(AppendOnlyError):
        draft_document.save()
    with pytest.raises(AppendOnlyError):
        Attachment.objects.filter(pk=draft_document.pk).delete()


def test_the_storage_path_is_not_served(draft_document, people, client):
    client.force_login(people["admin"])

    response = client.get(f"/media/{draft_document.file.name}")

    assert response.status_code == 404
