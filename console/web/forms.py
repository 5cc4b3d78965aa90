"""Forms of the web pages: the full intake with its metrics and data gaps, readings, votes.

Every form takes the bounds of every interface (core.bounds): money, measures, percentages,
text lengths, ASCII digits.

Forms only parse and check shape; the services decide. Errors a service raises as a
``ValidationError`` dict are put back on the form field they name.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import BoundedForm, BoundedModelForm, measure_field
from core.roles import EXECUTIVES_GROUP
from governance.choices import RebaselineKind, Verdict
from portfolio.choices import (
    ArtifactKind,
    ArtifactStatus,
    Cadence,
    Direction,
    LessonCause,
    MetricKind,
    State,
)
from portfolio.custom_forms import YES_NO, PersonField, custom_answers, custom_fields_add, yes_no
from portfolio.intake import INTAKE_FIELDS, PAGE_FIELDS, REQUIRED_FIELDS, SECTIONS, section_fields
from portfolio.models import Department, UseCase
from portfolio.services import LessonInput

RISK_QUESTIONS = (
    "risk_prohibited_practice",
    "risk_annex_iii_area",
    "risk_safety_component",
    "risk_transparency_duty",
)


class IntakeForm(BoundedModelForm):
    """The intake of a use case. "Save draft" needs a title; "submit" needs all of it."""

    department = forms.ModelChoiceField(queryset=Department.objects.none())
    outcome_owner = PersonField(queryset=None, required=False)
    sponsor = PersonField(queryset=None, required=False, help_text=_("An executive."))
    operator_lead = PersonField(queryset=None, required=False)
    template = forms.ModelChoiceField(
        queryset=UseCase.objects.none(),
        required=False,
        help_text=_("The earlier use case this one reuses, if any."),
    )

    class Meta:
        model = UseCase
        # The intake list (portfolio.intake) with the department after the title.
        fields = [PAGE_FIELDS[0], "department", *PAGE_FIELDS[1:]]
        # Every long text of the intake list is a text area.
        widgets = {
            field.name: forms.Textarea(attrs={"rows": 3})
            for field in UseCase._meta.fields
            if isinstance(field, TextField) and field.name in PAGE_FIELDS
        }
        labels = {
            "autonomy_share": "Autonomy share (%)",
            "execution_budget_share": "Execution-layer budget share (%)",
            "build_cost": "One-off build cost",
            "run_cost_yearly": "Yearly run cost",
            "expected_benefit_yearly": "Expected yearly benefit",
            "owner_controls_resources": "Does the owner control the resources needed?",
            "horizon": "How long until the goal is realised?",
            "knowledge": "What does the team have?",
        }

    def __init__(
        self,
        *args,
        departments,
        template_choices,
        people,
        sponsors=None,
        submitting=False,
        custom_fields=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        headed = list(departments[:2])
        if self.instance.pk is None and len(headed) == 1:
            self.initial.setdefault("department", headed[0].pk)
        self.fields["template"].queryset = template_choices
        for name in ("outcome_owner", "operator_lead"):
            self.fields[name].queryset = people
        self.fields["sponsor"].queryset = people if sponsors is None else sponsors
        for name in RISK_QUESTIONS:
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                choices=YES_NO,
                coerce=yes_no,
                empty_value=None,
                required=False,
                label=field.help_text,
            )
            if self.instance.pk is not None:
                value = getattr(self.instance, name)
                self.initial[name] = "" if value is None else str(value).lower()
        if self.instance.pk is not None:
            # The department of an existing use case does not move.
            self.fields["department"].disabled = True
        if submitting:
            for name in REQUIRED_FIELDS:
                if name in self.fields:
                    self.fields[name].required = True
                    self.fields[name].error_messages["required"] = REQUIRED_FIELDS[name]
        self.custom_names = custom_fields_add(
            self, custom_fields, answers=self.instance.custom, submitting=submitting, hidden=True
        )

    def intake(self) -> dict:
        """The cleaned intake fields, as the services take them."""
        return {name: value for name, value in self.cleaned_data.items() if name in INTAKE_FIELDS}

    def custom(self) -> dict:
        """The answers to the organisation's own fields on the form, by key."""
        return custom_answers(self, self.custom_names)

    def sections(self) -> list[dict]:
        """The page's fieldsets, from the intake list's sections (the department with the
        title), then the organisation's own questions."""
        sections = []
        for section in SECTIONS:
            names = list(section_fields(section.key, page=True))
            if section.key == "what":
                names.insert(1, "department")
            if names:
                sections.append(
                    {"key": section.key, "legend": section.legend, "columns": section.columns,
                     "fields": [self[name] for name in names]}
                )  # fmt: skip
        if self.custom_names:
            sections.append(
                {"key": "custom", "legend": _("More about this use case"), "columns": "",
                 "fields": [self[name] for name in self.custom_names]}
            )  # fmt: skip
        return sections


class MetricForm(BoundedForm):
    """One metric row. A technical metric names the business metric (by name) it moves."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=MetricKind.choices, initial=MetricKind.BUSINESS)
    name = forms.CharField(max_length=120)
    unit = forms.CharField(max_length=40)
    direction = forms.ChoiceField(choices=Direction.choices, initial=Direction.HIGHER)
    baseline = measure_field(required=False)
    target = measure_field(required=False)
    cadence = forms.ChoiceField(choices=Cadence.choices, initial=Cadence.MONTHLY)
    pairs_with = forms.CharField(
        max_length=120,
        required=False,
        label=_("Moves business metric"),
        widget=forms.Select(),
    )

    def __init__(self, *args, business_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("pairs_with") or self.data.get(self.add_prefix("pairs_with"))
        names = list(dict.fromkeys([*business_names, *([current] if current else [])]))
        self.fields["pairs_with"].widget.choices = [("", "— choose —")] + [(n, n) for n in names]

    def clean(self):
        data = super().clean()
        if data.get("kind") == MetricKind.BUSINESS:
            for name in ("baseline", "target"):
                if data.get(name) is None and not self.has_error(name):
                    self.add_error(name, _("A business metric needs a baseline and a target."))
            if data.get("pairs_with"):
                self.add_error("pairs_with", _("Only technical metrics name a business metric."))
        elif data.get("kind") == MetricKind.TECHNICAL and not data.get("pairs_with"):
            self.add_error("pairs_with", _("Name the business metric this technical metric moves."))
        return data


class BaseMetricFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self._row_kwargs()}

    def _row_kwargs(self) -> dict:
        """The business metrics' names (posted or initial), for the pairing choices."""
        if "pairs_with" not in self.form.base_fields:
            return {}
        if self.is_bound:
            prefix, names = self.prefix, []
            for key, value in self.data.items():
                if key.startswith(f"{prefix}-") and key.endswith("-kind") and value == "business":
                    name = self.data.get(key[: -len("kind")] + "name", "").strip()
                    names.append(name)
            return {"business_names": [n for n in names if n]}
        rows = self.initial or []
        return {"business_names": [r["name"] for r in rows if r.get("kind") == "business"]}

    def clean(self):
        if any(self.errors):
            return
        names = {}
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            names[form.cleaned_data["name"]] = form.cleaned_data["kind"]
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            wanted = form.cleaned_data.get("pairs_with")
            if wanted and names.get(wanted) != MetricKind.BUSINESS:
                form.add_error(
                    "pairs_with",
                    _("No business metric named '%(wanted)s' in this list.") % {"wanted": wanted},
                )

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]

    def deleted_ids(self) -> list[int]:
        return [
            form.cleaned_data["id"]
            for form in self.forms
            if self._should_delete_form(form) and form.cleaned_data.get("id")
        ]


MetricFormSet = forms.formset_factory(
    MetricForm, formset=BaseMetricFormSet, extra=2, can_delete=True
)


class DataGapForm(BoundedForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(max_length=240, label=_("Gap"))
    closing_work = forms.CharField(max_length=240, required=False, label=_("Work that closes it"))
    work_owner = forms.CharField(max_length=120, required=False, label=_("Owner of that work"))
    owner_committed = forms.BooleanField(required=False, label=_("Owner committed"))
    blocks_production = forms.BooleanField(required=False, label=_("Blocks production"))


class BaseDataGapFormSet(BaseMetricFormSet):
    def clean(self):
        return


DataGapFormSet = forms.formset_factory(
    DataGapForm, formset=BaseDataGapFormSet, extra=1, can_delete=True
)


class ReadingForm(BoundedForm):
    metric = forms.TypedChoiceField(coerce=int, choices=())
    value = measure_field()
    measured_at = forms.DateTimeField(
        required=False,
        help_text=_("When it was measured (blank: now)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(max_length=240, required=False)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.pk, str(m)) for m in metrics]

    def clean_measured_at(self):
        value = self.cleaned_data.get("measured_at")
        return value or timezone.now()


class ReadingCorrectionForm(BoundedForm):
    """A correction: a new reading that supersedes one on the record, with the reason."""

    reading = forms.TypedChoiceField(coerce=int, choices=(), label=_("Reading to correct"))
    value = measure_field(label=_("Right value"))
    reason = forms.CharField(max_length=2000, label=_("Why"))

    def __init__(self, *args, readings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reading"].choices = [
            (r.pk, f"{r.metric.name}: {r.value.normalize()} ({r.measured_at:%Y-%m-%d})")
            for r in readings
        ]


class ReviewRequestForm(BoundedForm):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Anything the board should know (optional)"}
        ),
        help_text=_("Anything the board should know (optional)."),
    )


def people_queryset():
    return get_user_model().objects.filter(is_active=True).order_by("last_name", "username")


def executives_queryset():
    """The sponsor is an executive (PRODUCT.md, intake)."""
    return people_queryset().filter(groups__name=EXECUTIVES_GROUP)


def template_queryset(*, visible):
    return visible.exclude(state=State.DRAFT).order_by("title")


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's per-field errors on the form (unknown fields go to the top)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class VoteForm(BoundedForm):
    """A vote for my own seat, or (``on_behalf_of``) for a member who delegated to me."""

    choice = forms.ChoiceField(choices=Verdict.choices, widget=forms.RadioSelect, label=_("Vote"))
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Every vote carries a comment.")
    )
    on_behalf_of = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RecuseForm(BoundedForm):
    reason = forms.CharField(max_length=240, label=_("Conflict of interest"))


class CloseForm(BoundedForm):
    verdict = forms.ChoiceField(
        choices=[("", "The board's majority"), *Verdict.choices],
        required=False,
        help_text=_("Name it only to break a tie between the most voted verdicts."),
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the decision goes against the recommendation."),
    )
    condition_text = forms.CharField(
        required=False, label=_("Condition (conditional go)"), max_length=400
    )
    condition_due = forms.DateField(
        required=False, label=_("Due"), widget=forms.DateInput(attrs={"type": "date"})
    )

    lesson = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        label=_("Lesson (no-go): what was learned"),
    )
    cause = forms.ChoiceField(
        choices=[("", "—"), *LessonCause.choices], required=False, label=_("Lesson's cause")
    )
    reusable = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        label=_("What can be reused"),
    )

    def lesson_input(self) -> LessonInput:
        data = self.cleaned_data
        return LessonInput(data["lesson"], data["cause"], data["reusable"])

    def conditions(self) -> list[dict]:
        text = self.cleaned_data.get("condition_text", "").strip()
        if not text:
            return []
        return [{"text": text, "due_date": self.cleaned_data.get("condition_due")}]


class ArtifactForm(BoundedForm):
    """The scale memo or the integration plan, as a draft or final."""

    kind = forms.ChoiceField(choices=ArtifactKind.choices)
    status = forms.ChoiceField(choices=ArtifactStatus.choices, initial=ArtifactStatus.DRAFT)
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Scale memo: what made the pilot work, what changes at scale, new investment."),
    )


class RebaselineRequestForm(BoundedForm):
    """A re-baselining request: move one business metric's goalposts (those filled in), add
    a business metric with its goalposts, or retire one; the board's chair decides."""

    kind = forms.ChoiceField(choices=RebaselineKind.choices, label=_("Ask to"))
    metric = forms.TypedChoiceField(
        coerce=int,
        choices=(),
        required=False,
        empty_value=None,
        help_text=_("Not for an addition."),
    )
    name = forms.CharField(max_length=120, required=False)
    unit = forms.CharField(max_length=40, required=False)
    direction = forms.ChoiceField(choices=[("", "—"), *Direction.choices], required=False)
    baseline = measure_field(required=False)
    target = measure_field(required=False)
    cadence = forms.ChoiceField(choices=[("", "—"), *Cadence.choices], required=False)
    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "—"), *((m.pk, str(m)) for m in metrics)]


class RebaselineDecideForm(BoundedForm):
    approve = forms.TypedChoiceField(
        choices=[("yes", "Approve and apply"), ("no", "Reject")],
        coerce=lambda value: value == "yes",
        label=_("Decision"),
    )
    comment = forms.CharField(max_length=5000, required=False)
