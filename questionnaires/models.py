"""Questionnaires (a risk or privacy screening): questions of typed values, scores per
choice, attached to a stage, and the answers given for each use case, kept as written."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel
from core.typed_values import ValueType, choices_check
from portfolio.models.sign_offs import SIGN_OFF_STAGES
from questionnaires.choices import Answerer


class Questionnaire(models.Model):
    """A set of questions a use case answers once it reaches ``stage``."""

    key = models.SlugField(
        verbose_name=_("key"),
        max_length=40,
        unique=True,
        help_text=_("Names the questionnaire in a gate criterion (e.g. risk_screening)."),
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    description = models.TextField(verbose_name=_("description"), blank=True)
    stage = models.CharField(
        verbose_name=_("stage"),
        max_length=12,
        choices=SIGN_OFF_STAGES,
        help_text=_("Due when the use case is here."),
    )
    answered_by = models.CharField(
        verbose_name=_("answered by"),
        max_length=16,
        choices=Answerer.choices,
        default=Answerer.DEPARTMENT_HEAD,
    )
    role = models.ForeignKey(
        "portfolio.OrganisationRole",
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text=_("Who answers, when a named role does."),
    )
    retired_at = models.DateTimeField(verbose_name=_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["stage", "name"]
        constraints = [
            models.CheckConstraint(
                name="questionnaire_role_when_answered_by_role",
                condition=Q(answered_by="role", role__isnull=False)
                | (~Q(answered_by="role") & Q(role=None)),
            )
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    key = models.SlugField(
        verbose_name=_("key"), max_length=40, help_text=_("Names the answer in a gate criterion.")
    )
    label = models.CharField(verbose_name=_("label"), max_length=200)
    help = models.TextField(verbose_name=_("help"), blank=True)
    value_type = models.CharField(
        verbose_name=_("value type"), max_length=8, choices=ValueType.choices
    )
    choices = models.JSONField(
        verbose_name=_("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For a choice: [{"value": "high", "label": "High", "score": 5}, ...]; '
            'yes/no may score "yes" and "no" the same way.'
        ),
    )
    required = models.BooleanField(verbose_name=_("required"), default=True)
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        ordering = ["questionnaire_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="question_key_unique")
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    def clean(self):
        try:
            choices_check(self.value_type, self.choices)
        except ValidationError as exc:
            raise ValidationError({"choices": exc.messages}) from exc


class Answer(AppendOnlyModel):
    """A questionnaire answered for a use case: the values, the score, who and when. A new
    answer supersedes the one it replaces; none is edited. Only one answer is ever the
    first, and only one replaces a given answer (a second at the same moment gets a 409)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="questionnaire_answers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(verbose_name=_("answered at"), db_index=True)
    stage = models.CharField(verbose_name=_("stage"), max_length=12)
    values = models.JSONField(verbose_name=_("values"), default=dict)
    score = models.DecimalField(verbose_name=_("score"), max_digits=18, decimal_places=4)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    class Meta:
        ordering = ["use_case_id", "questionnaire_id", "answered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "use_case"],
                condition=Q(supersedes__isnull=True),
                name="questionnaire_first_answer_once",
            )
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.questionnaire} for {self.use_case_id} ({self.score})"
