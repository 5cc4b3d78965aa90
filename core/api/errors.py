"""The API's single exception handler: one error format for every refusal.

Every error body is ``{"code": ..., "message": ..., **extra}``; invalid input adds
``"fields": {name: [messages]}``. Nothing the database refuses becomes a 500.
"""

import logging

from axes.helpers import get_cool_off, get_lockout_message
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError
from core.models import AppendOnlyError
from core.unavailable import MESSAGE as UNAVAILABLE_MESSAGE
from core.unavailable import RETRY_AFTER_SECONDS, UNAVAILABLE

logger = logging.getLogger(__name__)


class ErrorSerializer(serializers.Serializer):
    """The shape of every error response (documented on every operation)."""

    code = serializers.CharField(help_text="Stable machine-readable code.")
    message = serializers.CharField(help_text="What went wrong, for a person.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Invalid input: the messages per field.",
    )
    allowed_transitions = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Illegal transition: the transitions allowed now.",
    )
    state = serializers.CharField(required=False)


def _fields(detail) -> dict:
    """DRF's error detail (dict, list or string) as {field: [messages]}."""
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
            for name, msgs in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def _invalid(fields: dict, message: str = "") -> Response:
    return Response(
        {"code": "invalid", "message": message or _("The input is not valid."), "fields": fields},
        status=status.HTTP_400_BAD_REQUEST,
    )


def exception_handler(exc, context):
    """Translate domain, Django and DRF errors into the one error format."""
    if isinstance(exc, ApplicationError):
        return Response(
            {"code": exc.code, "message": exc.message, **exc.extra}, status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        return _invalid(_fields(as_serializer_error(exc)))
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    if isinstance(exc, (ConcurrentTransition, AppendOnlyError, TransitionNotAllowed)):
        return Response(
            {"code": "conflict", "message": _("The record changed or cannot change; reload it.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError):
        # A constraint the serializers did not anticipate: a conflict, never a 500.
        logger.warning("integrity error reached the API: %s", exc)
        return Response(
            {"code": "conflict", "message": _("The change conflicts with existing records.")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, UNAVAILABLE):
        logger.error("database unavailable: %s", exc)
        return Response(
            {
                "code": "database_unavailable",
                "message": UNAVAILABLE_MESSAGE,
                "retry_after": RETRY_AFTER_SECONDS,
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, SuspiciousOperation):
        # RequestDataTooBig (DATA_UPLOAD_MAX_MEMORY_SIZE), too many fields, and the like.
        return Response(
            {"code": "request_too_large", "message": str(exc) or _("The request is refused.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, (DataError, OverflowError)):
        logger.warning("data error reached the API: %s", exc)
        return _invalid({}, _("A value is out of the range the database stores."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return _invalid(_fields(exc.detail))
    if isinstance(exc, (Http404, exceptions.NotFound)):
        code, message = "not_found", _("Not found.")
    elif isinstance(exc, (PermissionDenied, exceptions.PermissionDenied)):
        # A permission class may name its refusal (executives_read_only); else the generic code.
        codes = exc.get_codes() if isinstance(exc, exceptions.PermissionDenied) else None
        code = codes if isinstance(codes, str) else "permission_denied"
        message = str(getattr(exc, "detail", "") or exc) or _("You may not do this.")
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else str(exc)
    else:
        code, message = "error", str(exc)
    body = {"code": code, "message": message}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = int(exc.wait) + 1
    response.data = body
    return response


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: 429 in the one error format on the API,
    with Retry-After; the plain message elsewhere (the web login page)."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    if not request.path.startswith("/api/"):
        return HttpResponse(get_lockout_message(), status=settings.AXES_HTTP_RESPONSE_CODE)
    response = JsonResponse(
        {"code": "locked_out", "message": get_lockout_message(), "retry_after": seconds},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def not_found(request, exception=None):
    """handler404: an unmatched URL under /api/ answers in the one error format too."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return page_not_found(request, exception)
