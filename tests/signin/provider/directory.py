"""The provider's directory, as an administrator of a company provider would change it:
people with their groups, and the registered client. Guarded by a shared secret."""

import json

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import Application


def _allowed(request) -> bool:
    return bool(settings.DIRECTORY_SECRET) and (
        request.headers.get("Authorization") == f"Bearer {settings.DIRECTORY_SECRET}"
    )


@csrf_exempt
def person(request, username):
    """PUT {password, email, first_name, last_name, groups}: create or replace a person."""
    if not _allowed(request) or request.method != "PUT":
        return HttpResponseForbidden()
    data = json.loads(request.body)
    user, _ = User.objects.get_or_create(username=username)
    user.email = data.get("email", "")
    user.first_name = data.get("first_name", "")
    user.last_name = data.get("last_name", "")
    user.set_password(data["password"])
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in data["groups"]])
    return JsonResponse({"sub": str(user.pk), "groups": data["groups"]})


@csrf_exempt
def client(request, client_id):
    """PUT {secret, redirect_uris, post_logout_redirect_uris}: register the relying party."""
    if not _allowed(request) or request.method != "PUT":
        return HttpResponseForbidden()
    data = json.loads(request.body)
    Application.objects.filter(client_id=client_id).delete()
    Application.objects.create(
        name=client_id,
        client_id=client_id,
        client_secret=data["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=" ".join(data["redirect_uris"]),
        post_logout_redirect_uris=" ".join(data.get("post_logout_redirect_uris", [])),
        skip_authorization=True,
    )
    return JsonResponse({"client_id": client_id})
