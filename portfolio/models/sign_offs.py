"""Who signs what, per stage: the organisation's roles, the sign-off steps of each stage and
the signatures given by a role's holders (the sponsor and the operator lead sign on the use
case itself, in its two sign-off fields)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.choices import State

# The stages a step can name: every stage after the draft.
SIGN_OFF_STAGES = [
    (State.SUBMITTED.value, State.SUBMITTED.label),
    (State.PILOT.value, State.PILOT.label),
    (State.SCALE.value, State.SCALE.label),
    (State.EXTEND.value, State.EXTEND.label),
]


class OrganisationRole(models.Model):
    """A role the organisation defines (a data protection officer, a works council), held by
    the people in its group: named one by one, or mapped from an identity-provider group."""

    key = models.SlugField(
        verbose_name=_("key"),
        max_length=40,
        unique=True,
        help_text=_("Short name used in the API and the sign-off."),
    )
    name = models.CharField(verbose_name=_("name"), max_length=120)
    group = models.OneToOneField(
        Group,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="organisation_role",
        help_text=_("The people who hold the role are the members of this group."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation role")
        verbose_name_plural = _("organisation roles")

    def __str__(self) -> str:
        return self.name


class Party(models.TextChoices):
    SPONSOR = "sponsor", _("Sponsor")
    OPERATOR = "operator", _("Operator lead")
    ROLE = "role", _("A role of the organisation")


class SignOffStep(models.Model):
    """One signature a stage needs. A stage without steps needs the sponsor and the operator
    lead (the default, as before steps could be configured)."""

    stage = models.CharField(verbose_name=_("stage"), max_length=12, choices=SIGN_OFF_STAGES)
    party = models.CharField(verbose_name=_("party"), max_length=10, choices=Party.choices)
    role = models.ForeignKey(
        OrganisationRole,
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        ordering = ["stage", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="sign_off_step_role_for_role_party",
                condition=Q(party="role", role__isnull=False) | (~Q(party="role") & Q(role=None)),
            ),
            models.UniqueConstraint(
                fields=["stage", "party", "role"], name="sign_off_step_once_per_stage"
            ),
            models.UniqueConstraint(
                fields=["stage", "party"],
                condition=~Q(party="role"),
                name="sign_off_step_person_once_per_stage",
            ),
        ]
        verbose_name = _("sign-off step")
        verbose_name_plural = _("sign-off steps")

    def __str__(self) -> str:
        who = self.role.name if self.role_id else self.get_party_display()
        return f"{self.get_stage_display()}: {who}"


class SignOff(models.Model):
    """A role holder's signature of the use case's definition of success. Withdrawn (kept,
    with the time) when the definition changes: they signed a different text."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="role_sign_offs",
    )
    role = models.ForeignKey(
        OrganisationRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="sign_offs"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(verbose_name=_("signed at"))
    withdrawn_at = models.DateTimeField(verbose_name=_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["use_case_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "role"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_standing_sign_off_per_role",
            )
        ]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self) -> str:
        return f"{self.role} signed {self.use_case_id} at {self.signed_at:%Y-%m-%d}"
