"""Sign-in endpoints: group mappings (administrators), API tokens (owners and administrators),
and the password exchange for scripts."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.base import FlywheelViewSet, ReadOnlyFlywheelViewSet
from core.api.errors import ErrorSerializer
from core.api.parsers import BoundedJSONParser
from core.roles import roles_of
from signin import services
from signin.api import serializers as s
from signin.api.filters import ApiTokenFilter, GroupMappingFilter
from signin.models import ApiToken, GroupMapping

REFUSALS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class AdministratorsOnly(BasePermission):
    message = "Only portfolio administrators manage sign-in."

    def has_permission(self, request, view) -> bool:
        return roles_of(request.user).is_admin


class GroupMappingViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, ReadOnlyFlywheelViewSet
):
    """Which provider group gives which role; applied at each person's next sign-in."""

    permission_classes = [IsAuthenticated, AdministratorsOnly]
    queryset = GroupMapping.objects.none()
    output_serializer_class = s.GroupMappingSerializer
    input_serializers = {"create": s.GroupMappingInputSerializer}
    filterset_class = GroupMappingFilter
    ordering_fields = ["id", "group", "role"]

    def get_queryset(self):
        return GroupMapping.objects.select_related("department", "board").order_by("group", "id")

    get_serializer_class = FlywheelViewSet.get_serializer_class

    @extend_schema(
        request=s.GroupMappingInputSerializer,
        responses={201: s.GroupMappingSerializer, 409: ErrorSerializer, **REFUSALS},
    )
    def create(self, request, *args, **kwargs):
        mapping = services.group_mapping_create(**self.parse())
        return self.respond(mapping, status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, **REFUSALS})
    def destroy(self, request, *args, **kwargs):
        services.group_mapping_delete(mapping=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenViewSet(mixins.CreateModelMixin, ReadOnlyFlywheelViewSet):
    """A person's API tokens (administrators see everyone's). The key is shown once, when
    the token is created; a token is created by a signed-in person, never by another token."""

    permission_classes = [IsAuthenticated]
    queryset = ApiToken.objects.none()
    output_serializer_class = s.ApiTokenSerializer
    input_serializers = {"create": s.ApiTokenInputSerializer}
    filterset_class = ApiTokenFilter
    ordering_fields = ["id", "created_at", "expires_at"]

    def get_queryset(self):
        tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
        if roles_of(self.request.user).is_admin:
            return tokens
        return tokens.filter(user=self.request.user)

    get_serializer_class = FlywheelViewSet.get_serializer_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        request=s.ApiTokenInputSerializer,
        responses={201: s.ApiTokenCreatedSerializer, **REFUSALS},
    )
    def create(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            raise PermissionDenied(_("Create tokens when signed in, not with another token."))
        token, key = services.api_token_create(user=request.user, **self.parse())
        token.key = key
        data = s.ApiTokenCreatedSerializer(token, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ApiTokenSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke the token at once (its owner or an administrator)."""
        token = services.api_token_revoke(token=self.get_object(), actor=request.user)
        return self.respond(token)


class AuthTokenView(APIView):
    """Exchange a username and password for an API token that expires (for scripts).

    Failed attempts count towards django-axes' lockout like failed logins on the web; when
    local login is limited to administrators, so is this exchange.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    # Scripts post JSON or a form (curl -d username=... -d password=...).
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.ApiTokenCreatedSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.pop("name")
        # The plain HttpRequest, so that django-axes records the attempt and its lockout.
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with these credentials.")]}
            )
        token, key = services.api_token_create(user=user, name=name)
        token.key = key
        data = s.ApiTokenCreatedSerializer(token, context={"now": timezone.now()}).data
        return Response({"token": key, **data})
