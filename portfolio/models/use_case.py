from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_fsm import (
    RETURN_VALUE,
    ConcurrentTransitionMixin,
    FSMField,
    FSMFieldMixin,
    transition,
)

from core.bounds import MONEY_VALIDATORS, PERCENT_VALIDATORS
from core.errors import UnauthorisedForwardMove
from core.history import tracked_history
from portfolio import economics
from portfolio.choices import (
    ACTIVE_STATES,
    ARTIFACT_STATES,
    LIVE_STATES,
    Horizon,
    Knowledge,
    Origin,
    Playbook,
    ResourceControl,
    RiskTier,
    State,
)
from portfolio.gate_contract import GateAuthorisation, may_manage_lifecycle, nobody
from portfolio.models.use_case_parts import UseCaseQuerySet

PERCENT = PERCENT_VALIDATORS
MONEY = {
    "max_digits": 14,
    "decimal_places": 2,
    "null": True,
    "blank": True,
    "validators": MONEY_VALIDATORS,
}


class UseCase(ConcurrentTransitionMixin, models.Model):
    """An AI initiative: its intake, its lifecycle state, and the evidence gates judge."""

    # What and where.
    title = models.CharField(verbose_name=_("title"), max_length=200)
    # The key of the use case in the organisation's own inventory (matched by the importer).
    external_reference = models.CharField(
        verbose_name=_("external reference"), max_length=64, unique=True, null=True, blank=True
    )
    problem_statement = models.TextField(verbose_name=_("problem statement"), blank=True)
    department = models.ForeignKey(
        "portfolio.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="use_cases",
    )
    origin = models.CharField(
        verbose_name=_("origin"), max_length=12, choices=Origin.choices, blank=True
    )

    # Outcome ownership: one named person, and what they do and do not control.
    outcome_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_use_cases",
    )
    owner_controls_resources = models.CharField(
        verbose_name=_("owner controls resources"),
        max_length=8,
        choices=ResourceControl.choices,
        blank=True,
    )
    owner_dependencies = models.TextField(
        verbose_name=_("owner dependencies"),
        blank=True,
        help_text=_("Dependencies the outcome owner does not control."),
    )

    # Data and infrastructure reality: what the plan assumes versus what exists today.
    data_assumed = models.TextField(verbose_name=_("data assumed"), blank=True)
    data_existing = models.TextField(verbose_name=_("data existing"), blank=True)

    # Money. ROI and payback are computed from these (see portfolio.economics).
    build_cost = models.DecimalField(
        verbose_name=_("build cost"), **MONEY, help_text=_("One-off build cost.")
    )
    run_cost_yearly = models.DecimalField(verbose_name=_("run cost yearly"), **MONEY)
    expected_benefit_yearly = models.DecimalField(
        verbose_name=_("expected benefit yearly"), **MONEY
    )
    realised_benefit_yearly = models.DecimalField(
        verbose_name=_("realised benefit yearly"),
        **MONEY,
        help_text=_("Measured yearly benefit once live."),
    )

    # Autonomy: share of actions on the AI's output that run without a person, and the share
    # of the budget that goes to that execution layer (percent).
    autonomy_share = models.DecimalField(
        verbose_name=_("autonomy share"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    execution_budget_share = models.DecimalField(
        verbose_name=_("execution budget share"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )

    # Sponsor-operator alignment.
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_use_cases",
    )
    operator_team = models.CharField(verbose_name=_("operator team"), max_length=160, blank=True)
    operator_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operated_use_cases",
    )
    success_definition = models.TextField(verbose_name=_("success definition"), blank=True)
    sponsor_signed_off_at = models.DateTimeField(
        verbose_name=_("sponsor signed off at"), null=True, blank=True
    )
    operator_signed_off_at = models.DateTimeField(
        verbose_name=_("operator signed off at"), null=True, blank=True
    )

    # Playbook from two answers; derived in the database, never stored twice.
    horizon = models.CharField(
        verbose_name=_("horizon"), max_length=8, choices=Horizon.choices, blank=True
    )
    knowledge = models.CharField(
        verbose_name=_("knowledge"), max_length=12, choices=Knowledge.choices, blank=True
    )
    playbook = models.GeneratedField(
        expression=Case(
            When(Q(horizon=Horizon.SHORT, knowledge=Knowledge.FACTS), then=Value(Playbook.GO_NOW)),
            When(
                Q(horizon=Horizon.SHORT, knowledge=Knowledge.HYPOTHESES),
                then=Value(Playbook.DISCOVERY),
            ),
            When(
                Q(horizon=Horizon.LONG, knowledge=Knowledge.FACTS),
                then=Value(Playbook.PREDICTABLE),
            ),
            When(
                Q(horizon=Horizon.LONG, knowledge=Knowledge.HYPOTHESES),
                then=Value(Playbook.RESILIENT),
            ),
            default=Value(""),
        ),
        output_field=models.CharField(max_length=12, choices=Playbook.choices, blank=True),
        db_persist=True,
    )
    scenarios = models.TextField(
        verbose_name=_("scenarios"), blank=True, help_text=_("Resilient Strategy: the scenarios.")
    )
    warning_signs = models.TextField(
        verbose_name=_("warning signs"),
        blank=True,
        help_text=_("Resilient Strategy: early warnings."),
    )

    template = models.ForeignKey(
        "self",
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived_use_cases",
        help_text=_("The earlier use case this one reuses."),
    )

    # EU AI Act: the answers, and the tier they lead to (derived in the database).
    risk_prohibited_practice = models.BooleanField(
        verbose_name=_("risk prohibited practice"),
        null=True,
        blank=True,
        help_text=_("Art. 5 practice (social scoring, manipulation, ...)?"),
    )
    risk_annex_iii_area = models.BooleanField(
        verbose_name=_("risk Annex III area"),
        null=True,
        blank=True,
        help_text=_("Annex III area (employment, credit, education, ...)?"),
    )
    risk_safety_component = models.BooleanField(
        verbose_name=_("risk safety component"),
        null=True,
        blank=True,
        help_text=_("Safety component of a regulated product?"),
    )
    risk_transparency_duty = models.BooleanField(
        verbose_name=_("risk transparency duty"),
        null=True,
        blank=True,
        help_text=_("Talks to people or generates content they see?"),
    )
    risk_tier = models.GeneratedField(
        expression=Case(
            When(risk_prohibited_practice=True, then=Value(RiskTier.UNACCEPTABLE)),
            When(
                Q(risk_annex_iii_area=True) | Q(risk_safety_component=True),
                then=Value(RiskTier.HIGH),
            ),
            When(risk_transparency_duty=True, then=Value(RiskTier.LIMITED)),
            default=Value(RiskTier.MINIMAL),
        ),
        output_field=models.CharField(max_length=12, choices=RiskTier.choices),
        db_persist=True,
    )
    human_oversight = models.TextField(
        verbose_name=_("human oversight"),
        blank=True,
        help_text=_("How people oversee the system (required for high risk)."),
    )

    pilot_time_box_days = models.PositiveSmallIntegerField(
        verbose_name=_("pilot time box days"), default=settings.FLYWHEEL_PILOT_TIME_BOX_DAYS
    )
    # The answers to the organisation's own intake fields (portfolio.models.CustomField), by
    # key: read with the row, recorded in the history with the rest of the intake.
    custom = models.JSONField(
        verbose_name=_("custom"), default=dict, db_default={}, blank=True, encoder=DjangoJSONEncoder
    )

    # Lifecycle. Protected: only transitions change it.
    state = FSMField(
        verbose_name=_("state"),
        default=State.DRAFT,
        choices=State.choices,
        protected=True,
        db_index=True,
    )
    state_before_hold = models.CharField(
        verbose_name=_("state before hold"), max_length=12, choices=State.choices, blank=True
    )
    submitted_at = models.DateTimeField(
        verbose_name=_("submitted at"), null=True, blank=True, db_index=True
    )
    state_changed_at = models.DateTimeField(
        verbose_name=_("state changed at"), null=True, blank=True
    )
    metrics_locked_at = models.DateTimeField(
        verbose_name=_("metrics locked at"), null=True, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = UseCaseQuerySet.as_manager()
    # The intake's history: the lifecycle has its own record (TransitionRecord), and derived
    # fields are derived again, so neither is copied.
    history = tracked_history(
        excluded_fields=(
            "state",
            "state_before_hold",
            "state_changed_at",
            "playbook",
            "risk_tier",
            "updated_at",
        )
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "submitted_at"], name="use_case_dept_sequence"),
            models.Index(fields=["state", "department"], name="use_case_state_dept"),
            # The default order of every list: a page is an index range, not a sort.
            models.Index(fields=["-created_at", "-id"], name="use_case_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(build_cost__gte=0) | Q(build_cost__isnull=True),
                name="build_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(run_cost_yearly__gte=0) | Q(run_cost_yearly__isnull=True),
                name="run_cost_not_negative",
            ),
        ]
        verbose_name = _("use case")
        verbose_name_plural = _("use cases")

    def __str__(self) -> str:
        return self.title

    @property
    def state_fields(self):
        """The FSM fields, found once per class: django-fsm scans every field of the model
        on every instance's __init__ (60 fields x 50 rows of a list page), for one answer."""
        found = type(self).__dict__.get("_state_fields")
        if found is None:
            found = tuple(f for f in self._meta.fields if isinstance(f, FSMFieldMixin))
            type(self)._state_fields = found
        return found

    @property
    def is_draft(self) -> bool:
        """Not submitted yet: its intake is edited and it may be discarded, but it is no
        template for another use case."""
        return self.state == State.DRAFT

    @property
    def writes_artifacts(self) -> bool:
        """From pilot on, the scale memo and the integration plan are written."""
        return self.state in ARTIFACT_STATES

    def validate(self) -> None:
        """Field validation (400 per field); the protected state is not re-assigned by it."""
        self.full_clean(exclude=["state"])

    # --- money, computed (portfolio.economics) ---------------------------------------------

    @property
    def expected_roi(self):
        return economics.roi(
            benefit_yearly=self.expected_benefit_yearly,
            build_cost=self.build_cost,
            run_cost_yearly=self.run_cost_yearly,
        )

    @property
    def realised_roi(self):
        return economics.roi(
            benefit_yearly=self.realised_benefit_yearly,
            build_cost=self.build_cost,
            run_cost_yearly=self.run_cost_yearly,
        )

    @property
    def payback_months(self):
        return economics.payback_months(
            benefit_yearly=self.expected_benefit_yearly,
            build_cost=self.build_cost,
            run_cost_yearly=self.run_cost_yearly,
        )

    # --- lifecycle -------------------------------------------------------------------------

    @transition(
        field=state, source=State.DRAFT, target=State.SUBMITTED, permission=may_manage_lifecycle
    )
    def submit(self) -> None:
        """Draft to submitted; the service checks the intake first."""

    @transition(field=state, source=State.SUBMITTED, target=State.PILOT, permission=nobody)
    def advance_to_pilot(self, *, authorisation: GateAuthorisation) -> None:
        """G0: only a gate decision that authorises it moves a use case into pilot."""
        self._require_authorisation(authorisation)

    @transition(field=state, source=State.PILOT, target=State.SCALE, permission=nobody)
    def advance_to_scale(self, *, authorisation: GateAuthorisation) -> None:
        """G1: pilot to scale, on a gate decision."""
        self._require_authorisation(authorisation)

    @transition(field=state, source=State.SCALE, target=State.EXTEND, permission=nobody)
    def advance_to_extend(self, *, authorisation: GateAuthorisation) -> None:
        """G2: scale to extend, on a gate decision."""
        self._require_authorisation(authorisation)

    @transition(
        field=state,
        source=list(ACTIVE_STATES),
        target=State.ON_HOLD,
        permission=may_manage_lifecycle,
    )
    def hold(self) -> None:
        """Pause; remember the stage to resume to."""
        self.state_before_hold = self.state

    @transition(
        field=state,
        source=State.ON_HOLD,
        target=RETURN_VALUE(*ACTIVE_STATES),
        permission=may_manage_lifecycle,
    )
    def resume(self) -> str:
        """Back to the stage the use case left when it was held."""
        target, self.state_before_hold = self.state_before_hold, ""
        return target

    @transition(
        field=state,
        source=[*ACTIVE_STATES, State.ON_HOLD],
        target=State.KILLED,
        permission=may_manage_lifecycle,
    )
    def kill(self) -> None:
        """Terminal; the service requires a reason."""

    @transition(
        field=state, source=list(LIVE_STATES), target=State.RETIRED, permission=may_manage_lifecycle
    )
    def retire(self) -> None:
        """A live use case is taken out of service."""

    @transition(field=state, source="*", target=RETURN_VALUE(*State.values), permission=nobody)
    def record_imported_history(self, *, to_state: str) -> str:
        """The state an imported history reaches; only portfolio.services.transition_import
        calls it, and the moves it stands for are on the record as imported, never as gates."""
        return to_state

    def _require_authorisation(self, authorisation: GateAuthorisation | None) -> None:
        if (
            authorisation is None
            or getattr(authorisation, "pk", None) is None
            or not authorisation.authorises_forward_move(use_case=self)
        ):
            raise UnauthorisedForwardMove(state=self.state)
