"""Portfolio serializers: output serializers render, input serializers only parse shape.

Related objects in input are looked up in what the requesting person may see, so an invisible
row answers exactly like a missing one ("does not exist"), and nothing leaks through errors.
"""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from core.api.fast import FastRepresentationMixin
from core.api.strict import StrictModelSerializer, StrictSerializer
from core.bounds import MONEY_BOUNDS
from core.roles import roles_of
from portfolio.api.fields import (
    ActiveUserField,
    CustomAnswersField,
    PublishedUseCaseField,
    _request_user,
)
from portfolio.choices import Playbook, RiskTier
from portfolio.intake import INTAKE, INTAKE_FIELDS, LIVING_FIELDS
from portfolio.models import Department, Membership, TransitionRecord, UseCase
from portfolio.services import available_transitions

User = get_user_model()

# Bounds on numbers a person could not have meant (core.bounds, shared with the web forms,
# the admin and the model fields).
MONEY_FIELDS = (
    "build_cost",
    "run_cost_yearly",
    "expected_benefit_yearly",
    "realised_benefit_yearly",
)


# --- people ---------------------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "slug", "description"]


class DepartmentInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MembershipSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "department", "department_name", "role"]


class MembershipInputSerializer(StrictSerializer):
    user = ActiveUserField()
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    role = serializers.ChoiceField(choices=Membership._meta.get_field("role").choices)


class PersonMembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["department", "role"]


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    memberships = PersonMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "full_name", "memberships"]


# --- use cases ------------------------------------------------------------------------------

# The intake list (portfolio.intake) with what is read beside it: the department after the
# problem statement, the figures after the money, the sign-offs after the definition of
# success, the derived playbook and risk tier after their answers; then the lifecycle.
_READ_BESIDE = {
    "problem_statement": ("department", "department_name"),
    "realised_benefit_yearly": ("expected_roi", "realised_roi", "payback_months"),
    "success_definition": ("sponsor_signed_off_at", "operator_signed_off_at"),
    "knowledge": ("playbook",),
    "risk_transparency_duty": ("risk_tier",),
}
USE_CASE_OUTPUT_FIELDS = [
    "id",
    *(name for field in INTAKE for name in (field.name, *_READ_BESIDE.get(field.name, ()))),
    "state",
    "state_before_hold",
    "submitted_at",
    "state_changed_at",
    "metrics_locked_at",
    "created_at",
    "updated_at",
    "available_transitions",
    "custom",
]


class UseCaseSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """A use case as read; ``available_transitions`` are those the requester may do now."""

    department_name = serializers.CharField(source="department.name", read_only=True)
    expected_roi = serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True
    )
    realised_roi = serializers.DecimalField(
        max_digits=20, decimal_places=4, read_only=True, allow_null=True
    )
    payback_months = serializers.DecimalField(
        max_digits=20, decimal_places=2, read_only=True, allow_null=True
    )
    available_transitions = serializers.SerializerMethodField()
    # Derived in the database: empty until both answers are given.
    playbook = serializers.ChoiceField(choices=Playbook.choices, allow_blank=True, read_only=True)
    risk_tier = serializers.ChoiceField(choices=RiskTier.choices, read_only=True)
    custom = CustomAnswersField(read_only=True)

    # Output only (writes go through the input serializers), so the fields keep the model's
    # blank/null facts and the schema tells clients what can be empty.
    class Meta:
        model = UseCase
        fields = USE_CASE_OUTPUT_FIELDS

    def get_available_transitions(self, use_case) -> list[str]:
        user = _request_user(self)
        if user is None:
            return []
        # What a person may do depends on the state and on whether they may manage the use
        # case's department (the lifecycle's one permission, portfolio.rules: administrators
        # everywhere, heads in their own departments): a page of a list asks once per pair
        # (the context is shared by the rows of one response), at most twice per state.
        roles = roles_of(user)
        key = (use_case.state, roles.is_admin or use_case.department_id in roles.heads)
        known = self.context.setdefault("_available_transitions", {})
        if key not in known:
            if not isinstance(use_case, UseCase):  # a row of a list page
                use_case = use_case.model_instance()
            known[key] = available_transitions(use_case=use_case, user=user)
        return list(known[key])


class UseCaseUpdateSerializer(StrictModelSerializer):
    """Intake edits (while draft) and the living fields (after submission)."""

    outcome_owner = ActiveUserField(required=False, allow_null=True)
    sponsor = ActiveUserField(required=False, allow_null=True)
    operator_lead = ActiveUserField(required=False, allow_null=True)
    template = PublishedUseCaseField(required=False, allow_null=True)
    custom = CustomAnswersField()

    class Meta:
        model = UseCase
        fields = [*sorted(INTAKE_FIELDS | LIVING_FIELDS), "custom"]
        extra_kwargs = {name: MONEY_BOUNDS for name in MONEY_FIELDS}


class UseCaseCreateSerializer(UseCaseUpdateSerializer):
    """The intake a draft starts with: a department and a title, anything else optional."""

    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())

    class Meta:
        model = UseCase
        fields = ["department", *sorted(INTAKE_FIELDS), "custom"]
        extra_kwargs = UseCaseUpdateSerializer.Meta.extra_kwargs


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SignOffSerializer(StrictSerializer):
    party = serializers.CharField(
        max_length=40,
        help_text="sponsor, operator, or the key of a role the use case's stage needs.",
    )


class TransitionRecordSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(
        source="actor.username", read_only=True, default=None, allow_null=True
    )
    authorisation_type = serializers.CharField(
        source="authorisation_type.model", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = TransitionRecord
        fields = [
            "id",
            "use_case",
            "transition",
            "from_state",
            "to_state",
            "at",
            "actor",
            "actor_name",
            "reason",
            "authorisation_type",
            "authorisation_id",
            "kind",
            "source_file",
        ]
