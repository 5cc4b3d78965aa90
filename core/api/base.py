"""What every Flywheel viewset shares: role-scoped reads, read-only executives, CSV lists,
separate input and output serializers."""

from django.db import connection
from django.utils.translation import gettext_lazy
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api.csv import CSVRenderer, serialized_rows, streamed_csv
from core.api.filtering import NOT_FILTERS
from core.roles import roles_of


class ExecutivesReadOnly(BasePermission):
    """Executives read the whole portfolio and change nothing. A person who also holds a
    writing role (administrator, department head, board seat) keeps what that role allows;
    the services check the rest."""

    message = gettext_lazy("Executives read the portfolio; they change nothing.")
    code = "executives_read_only"

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        # Personal acts (a sponsor signing the definition of success) are not portfolio edits.
        if getattr(view, "action", None) in getattr(view, "personal_actions", ()):
            return True
        roles = roles_of(request.user)
        writes = roles.is_admin or roles.is_department_head or roles.is_board_member
        return not roles.is_executive or writes


class AdministratorsWrite(BasePermission):
    """Configuration (departments, roles, criteria, boards): administrators write, all read."""

    message = gettext_lazy("Only portfolio administrators manage configuration.")

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or roles_of(request.user).is_admin


class FlywheelViewSet(viewsets.GenericViewSet):
    """Thin viewset: the queryset comes from a role-scoped selector, writes call a service.

    ``input_serializers`` maps an action to the serializer that parses its body;
    ``output_serializer_class`` renders every answer.
    """

    permission_classes = [IsAuthenticated, ExecutivesReadOnly]
    renderer_classes = [JSONRenderer, CSVRenderer]
    input_serializers: dict = {}
    output_serializer_class = None
    # Set per action (votes, decisions) with ScopedRateThrottle; None means unthrottled.
    throttle_scope: str | None = None
    # A hot list's page read as values (core.api.fast.ValueRows), not model instances.
    list_rows = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        return self.input_serializers.get(self.action) or self.output_serializer_class

    def role_holders_only(self, queryset):
        """Configuration and people are read by anyone with a role in Flywheel, nobody else."""
        return queryset if roles_of(self.request.user).reads_published else queryset.none()

    def parse(self, action: str | None = None, *, partial: bool = False) -> dict:
        """Validate the body with the action's input serializer; 400 per field otherwise."""
        serializer = self.input_serializers[action or self.action](
            data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        data = self.output_serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are always JSON in the one error format, even when CSV was asked for.
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and renderer is not None and renderer.format == "csv":
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def paginate_queryset(self, queryset):
        # A CSV export holds the whole filtered list, not one page of it.
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            return None
        if self.list_rows is not None and self.action == "list":
            queryset = self.list_rows.of(queryset, key=self.list_shape())
        return super().paginate_queryset(queryset)

    def list_shape(self):
        """What a list page's SQL depends on, when its statements may be kept and run again
        (core.api.statements): the view, the person's roles and the ordering, for a request
        without filters. A view whose queryset depends on more than the roles (the person
        themselves, stored settings) returns None."""
        if not (NOT_FILTERS | {"page_size"}).issuperset(self.request.query_params):
            return None
        ordering = self.request.query_params.get("ordering")
        return (type(self), roles_of(self.request.user), ordering, connection.vendor)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A list asked for as CSV is streamed (whatever the viewset's list mixin): the
        # handler for this request becomes csv_list once negotiation has chosen CSV.
        renderer = getattr(request, "accepted_renderer", None)
        if self.action == "list" and renderer is not None and renderer.format == "csv":
            setattr(self, request.method.lower(), self.csv_list)

    def csv_list(self, request, *args, **kwargs):
        """The whole filtered list as a streamed CSV file, in the list's order."""
        header, rows, *kinds = self.csv_rows(self.filter_queryset(self.get_queryset()))
        return streamed_csv(
            filename=self.basename or "export",
            header=header,
            rows=rows,
            kinds=kinds[0] if kinds else None,
        )

    def csv_rows(self, queryset) -> tuple:
        """Header and rows of the CSV export (and, optionally, each column's kind: "text",
        "time" or "plain"). By default the output serializer renders a batch at a time; a
        hot list overrides this to read ``.values()`` instead."""
        return serialized_rows(
            queryset, self.output_serializer_class, self.get_serializer_context()
        )


class ReadOnlyFlywheelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, FlywheelViewSet):
    """Lists and details rendered with the output serializer."""

    def get_serializer_class(self):
        return self.output_serializer_class
