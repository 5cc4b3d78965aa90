"""Sign-in records: group mappings, people's identities at the provider, API tokens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signin.choices import DEPARTMENT_ROLES, MappedRole


class GroupMapping(models.Model):
    """A provider group gives a Flywheel role to everyone in it, at every sign-in."""

    group = models.CharField(
        verbose_name=_("group"),
        max_length=255,
        help_text=_(
            "The group exactly as the provider sends it in the groups claim (a "
            "name, or an object id for Entra ID)."
        ),
    )
    role = models.CharField(verbose_name=_("role"), max_length=20, choices=MappedRole.choices)
    department = models.ForeignKey(
        "portfolio.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_mappings",
        help_text=_("For department heads and members."),
    )
    board = models.ForeignKey(
        "governance.Board",
        verbose_name=_("board"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_mappings",
        help_text=_("For board members."),
    )
    organisation_role = models.ForeignKey(
        "portfolio.OrganisationRole",
        verbose_name=_("organisation role"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="group_mappings",
        help_text=_("For a role of the organisation (a data protection officer)."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "role"]
        constraints = [
            models.CheckConstraint(
                name="mapping_names_what_its_role_needs",
                condition=(
                    Q(role__in=DEPARTMENT_ROLES, department__isnull=False, board__isnull=True)
                    | Q(role=MappedRole.BOARD_MEMBER, board__isnull=False, department__isnull=True)
                    | Q(
                        role__in=(MappedRole.EXECUTIVE, MappedRole.ADMINISTRATOR),
                        department__isnull=True,
                        board__isnull=True,
                    )
                    | Q(
                        role=MappedRole.ORGANISATION_ROLE,
                        department__isnull=True,
                        board__isnull=True,
                    )
                )
                & (
                    Q(role=MappedRole.ORGANISATION_ROLE, organisation_role__isnull=False)
                    | (~Q(role=MappedRole.ORGANISATION_ROLE) & Q(organisation_role__isnull=True))
                ),
            ),
            models.UniqueConstraint(
                fields=["group", "role", "department"],
                condition=Q(department__isnull=False),
                name="one_mapping_per_group_department_role",
            ),
            models.UniqueConstraint(
                fields=["group", "board"],
                condition=Q(board__isnull=False),
                name="one_mapping_per_group_board",
            ),
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=Q(
                    department__isnull=True, board__isnull=True, organisation_role__isnull=True
                ),
                name="one_mapping_per_group_role",
            ),
            models.UniqueConstraint(
                fields=["group", "organisation_role"],
                condition=Q(organisation_role__isnull=False),
                name="one_mapping_per_group_organisation_role",
            ),
        ]
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")

    def __str__(self) -> str:
        target = self.department or self.board or self.organisation_role
        role = self.get_role_display()
        return f"{self.group} → {role}" + (f" ({target})" if target else "")


class Identity(models.Model):
    """A person as the provider knows them: the issuer and the stable subject (``sub``).

    People are matched on this pair only, never on an e-mail address.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="identities",
    )
    issuer = models.CharField(verbose_name=_("issuer"), max_length=255)
    subject = models.CharField(verbose_name=_("subject"), max_length=255)
    groups = models.JSONField(
        verbose_name=_("groups"),
        default=list,
        blank=True,
        help_text=_("Groups at the last sign-in."),
    )
    granted = models.JSONField(
        verbose_name=_("granted"),
        default=list,
        blank=True,
        help_text=_(
            "Roles that sign-in granted through a mapping (taken away again when "
            "the mapping no longer grants them)."
        ),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(verbose_name=_("last sign-in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_person_per_subject"),
        ]
        verbose_name = _("identity")

    def __str__(self) -> str:
        return f"{self.user} ({self.subject} at {self.issuer})"


class ApiToken(models.Model):
    """A key a script sends as ``Authorization: Token <key>``; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(verbose_name=_("name"), max_length=80)
    prefix = models.CharField(
        verbose_name=_("prefix"), max_length=8, help_text=_("The first characters of the key.")
    )
    digest = models.CharField(verbose_name=_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    last_used_at = models.DateTimeField(verbose_name=_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API token")
        ordering = ["-created_at"]
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.user})"

    def refusal(self, *, at) -> str | None:
        """Why the token is refused at ``at`` ("token_revoked", "token_expired"), or None.
        A token is usable up to, not including, its expiry."""
        if self.revoked_at is not None:
            return "token_revoked"
        if at >= self.expires_at:
            return "token_expired"
        return None

    def is_usable(self, *, at) -> bool:
        return self.refusal(at=at) is None
