"""OpenAPI generation: every operation declares the errors it can answer with.

drf-spectacular documents only the success codes by itself; clients and the fuzz tests rely
on the error statuses too, so they are added here once for every operation, all with the
one error body (core.api.errors.ErrorSerializer).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from core.api.errors import ErrorSerializer

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: the messages per field.",
    "401": "Not authenticated.",
    "403": "Authenticated, but this role may not do this.",
    "404": "Unknown, or not visible to this person.",
    "409": "Illegal transition or conflict; names the transitions allowed now.",
    "415": "The body is not JSON.",
    "429": "Throttled; see the Retry-After header.",
    "503": "The database is not answering; retry after the Retry-After header's seconds.",
}


class FlywheelAutoSchema(AutoSchema):
    """AutoSchema that uses a view's input/output serializers and declares its errors."""

    def get_request_serializer(self):
        inputs = getattr(self.view, "input_serializers", {})
        action = getattr(self.view, "action", None)
        if action in inputs:
            return inputs[action]
        return super().get_request_serializer()

    def get_response_serializers(self):
        output = getattr(self.view, "output_serializer_class", None)
        if output is not None and getattr(self.view, "action", None) in {
            "list",
            "retrieve",
            "create",
            "partial_update",
            "update",
        }:
            return output
        return super().get_response_serializers()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_list_view() and self.method == "GET":
            parameters.append(
                OpenApiParameter(
                    "format",
                    str,
                    enum=["json", "csv"],
                    description="csv: the whole filtered list as a CSV file (no pagination).",
                )
            )
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["400", "404", "503"]
        public = any(isinstance(p, AllowAny) for p in getattr(self.view, "get_permissions", list)())
        if not public:
            codes += ["401", "403"]
        if self.method not in {"GET", "HEAD", "OPTIONS"}:
            codes += ["409", "415"]
        if getattr(self.view, "throttle_scope", None) or getattr(
            self.view, "throttle_classes", None
        ):
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(
                    ErrorSerializer, code, media_types=["application/json"], direction=direction
                )
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses
