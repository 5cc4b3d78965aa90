"""Sign-in API shapes: input and output serializers kept apart."""

from rest_framework import serializers

from core.api.strict import StrictSerializer
from governance.models import Board
from portfolio.models import Department, OrganisationRole
from signin.choices import DEPARTMENT_ROLES, MappedRole
from signin.models import ApiToken, GroupMapping


class GroupMappingSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", default=None)
    board_name = serializers.CharField(source="board.name", default=None)

    class Meta:
        model = GroupMapping
        fields = [
            "id",
            "group",
            "role",
            "department",
            "department_name",
            "board",
            "board_name",
            "organisation_role",
            "created_at",
        ]
        read_only_fields = fields


class GroupMappingInputSerializer(StrictSerializer):
    group = serializers.CharField(max_length=255)
    role = serializers.ChoiceField(choices=MappedRole.choices)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    board = serializers.PrimaryKeyRelatedField(
        queryset=Board.objects.all(), required=False, allow_null=True
    )
    organisation_role = serializers.PrimaryKeyRelatedField(
        queryset=OrganisationRole.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        role, department, board = attrs["role"], attrs.get("department"), attrs.get("board")
        errors = {}
        if role in DEPARTMENT_ROLES:
            if department is None:
                errors["department"] = ["Name the department for a department role."]
            if board is not None:
                errors["board"] = ["A department role names no board."]
        elif role == MappedRole.BOARD_MEMBER:
            if board is None:
                errors["board"] = ["Name the board for a board seat."]
            if department is not None:
                errors["department"] = ["A board seat names no department."]
        elif role == MappedRole.ORGANISATION_ROLE and attrs.get("organisation_role") is None:
            errors["organisation_role"] = ["Name the role of the organisation."]
        if role != MappedRole.ORGANISATION_ROLE and attrs.get("organisation_role") is not None:
            errors["organisation_role"] = [f"The {role} role names no role of the organisation."]
        if role not in (*DEPARTMENT_ROLES, MappedRole.BOARD_MEMBER):
            for name in ("department", "board"):
                if attrs.get(name) is not None:
                    errors[name] = [f"The {role} role names no {name}."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "user",
            "username",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields

    def get_active(self, token) -> bool:
        return token.is_usable(at=self.context["now"])


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(help_text="Shown once: store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80)
    expires_in_days = serializers.IntegerField(required=False, min_value=1, max_value=3650)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    name = serializers.CharField(max_length=80, required=False, default="Password exchange")
