"""Tables of the compliance app: the regulatory profile of a use case, its Art. 6(3) claims,
the obligations catalogue with its dates of application, the obligations of each use case,
their evidence documents, and the crosswalk to ISO/IEC 42001 and the NIST AI RMF."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compliance.choices import (
    ActRole,
    AttachmentKind,
    ClaimOutcome,
    Condition,
    DueWhen,
    ExemptionCondition,
    Framework,
    ObligationStatus,
)
from core.history import HistoryQuerySet, tracked_history
from core.models import AppendOnlyModel


class RegulatoryProfile(models.Model):
    """The organisation's role under the AI Act for one use case, and what Art. 27 needs."""

    use_case = models.OneToOneField(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="regulatory_profile",
    )
    act_role = models.CharField(verbose_name=_("act role"), max_length=8, choices=ActRole.choices)
    fria_scope = models.BooleanField(
        verbose_name=_("FRIA scope"),
        default=False,
        help_text=_(
            "Art. 27(1): the deployer is a body governed by public law or provides "
            "public services, or the system is an Annex III point 5(b) or 5(c) "
            "system (credit, insurance)."
        ),
    )
    decides_about_people = models.BooleanField(
        verbose_name=_("decides about people"),
        default=True,
        help_text=_(
            "Art. 26(11), Art. 86: the system makes, or assists in making, "
            "decisions related to natural persons."
        ),
    )
    public_authority = models.BooleanField(
        verbose_name=_("public authority"),
        default=False,
        help_text=_(
            "Art. 26(8), Art. 49(3): the deployer is a public authority or an EU "
            "institution, body, office or agency."
        ),
    )
    # The Art. 50 facts, asked one by one: each drives only its own duty.
    interacts_with_people = models.BooleanField(
        verbose_name=_("interacts with people"),
        default=False,
        help_text=_(
            "Art. 50(1): the system is intended to interact directly with natural persons."
        ),
    )
    generates_synthetic_content = models.BooleanField(
        verbose_name=_("generates synthetic content"),
        default=False,
        help_text=_("Art. 50(2): the system generates synthetic audio, image, video or text."),
    )
    emotion_or_biometric = models.BooleanField(
        verbose_name=_("emotion or biometric"),
        default=False,
        help_text=_(
            "Art. 50(3): the system recognises emotions or categorises people biometrically."
        ),
    )
    deep_fake_or_public_text = models.BooleanField(
        verbose_name=_("deep fake or public text"),
        default=False,
        help_text=_(
            "Art. 50(4): the system generates or manipulates deep fakes, or text "
            "published to inform the public on matters of public interest."
        ),
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("regulatory profile")
        verbose_name_plural = _("regulatory profiles")

    def __str__(self) -> str:
        return f"{self.use_case}: {self.get_act_role_display()}"


class ExemptionClaim(AppendOnlyModel):
    """One claim that an Annex III use case is not high risk (Art. 6(3)), and its outcome.

    Never edited: a refusal stays on the record, a withdrawal is a new row. The latest row
    of a use case says whether the exemption stands.
    """

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="exemption_claims",
    )
    condition = models.CharField(
        verbose_name=_("condition"), max_length=1, choices=ExemptionCondition.choices, blank=True
    )
    reasoning = models.TextField(verbose_name=_("reasoning"), blank=True)
    profiles_people = models.BooleanField(
        verbose_name=_("profiles people"),
        help_text=_("Does the system profile natural persons (GDPR Art. 4(4))?"),
    )
    outcome = models.CharField(
        verbose_name=_("outcome"), max_length=10, choices=ClaimOutcome.choices
    )
    outcome_reason = models.TextField(verbose_name=_("outcome reason"), blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(verbose_name=_("claimed at"))

    class Meta:
        ordering = ["use_case_id", "claimed_at", "id"]
        get_latest_by = ["claimed_at", "id"]
        verbose_name = _("exemption claim")
        verbose_name_plural = _("exemption claims")

    def __str__(self) -> str:
        return f"Art. 6(3) claim for {self.use_case_id}: {self.get_outcome_display()}"


class ApplicationDate(models.Model):
    """When a group of provisions applies, with its source; corrected by administrators."""

    key = models.SlugField(verbose_name=_("key"), max_length=40, unique=True)
    provision = models.CharField(verbose_name=_("provision"), max_length=240)
    applies_from = models.DateField(verbose_name=_("applies from"))
    source = models.CharField(verbose_name=_("source"), max_length=240)
    source_url = models.URLField(verbose_name=_("source URL"), blank=True)
    original_date = models.DateField(
        verbose_name=_("original date"),
        null=True,
        blank=True,
        help_text=_("The date in the Regulation as adopted, if amended since."),
    )
    amended_by = models.CharField(
        verbose_name=_("amended by"),
        max_length=300,
        blank=True,
        help_text=_("The amending act that sets this date, if any."),
    )
    amended_by_url = models.URLField(verbose_name=_("amended by URL"), blank=True, max_length=500)
    verification = models.TextField(
        verbose_name=_("verification"),
        blank=True,
        help_text=_("What was verified, against which sources, and what could not be."),
    )
    note = models.TextField(
        verbose_name=_("note"), blank=True, help_text=_("Pending amendments, corrections and why.")
    )
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        ordering = ["applies_from", "key"]
        verbose_name = _("application date")
        verbose_name_plural = _("application dates")

    def __str__(self) -> str:
        return f"{self.applies_from:%d %b %Y}: {self.provision[:60]}"


class ObligationType(models.Model):
    """A duty of the catalogue: the article, for which tiers and roles, from when, and why."""

    code = models.SlugField(verbose_name=_("code"), max_length=40, unique=True)
    article = models.CharField(verbose_name=_("article"), max_length=40)
    title = models.CharField(verbose_name=_("title"), max_length=200)
    description = models.TextField(verbose_name=_("description"), blank=True)
    tiers = models.JSONField(
        verbose_name=_("tiers"), default=list, help_text=_('Risk tiers, e.g. ["high"].')
    )
    roles = models.JSONField(
        verbose_name=_("roles"), default=list, help_text=_('Roles, e.g. ["deployer"].')
    )
    condition = models.CharField(
        verbose_name=_("condition"), max_length=20, choices=Condition.choices, blank=True
    )
    application_date = models.ForeignKey(
        ApplicationDate,
        verbose_name=_("application date"),
        on_delete=models.PROTECT,
        related_name="obligation_types",
    )
    legal_act = models.CharField(
        verbose_name=_("legal act"), max_length=200, default="Regulation (EU) 2024/1689 (AI Act)"
    )
    due_when = models.CharField(
        verbose_name=_("due when"),
        max_length=16,
        choices=DueWhen.choices,
        default=DueWhen.BEFORE_GO_LIVE,
        help_text=_(
            "Before first use: a must-meet at G0; before go-live: at G1 (never overridden)."
        ),
    )
    lead_days = models.PositiveSmallIntegerField(
        verbose_name=_("lead days"),
        default=30,
        help_text=_("Default due date: this many days after the duty is generated."),
    )
    source = models.CharField(verbose_name=_("source"), max_length=240)
    source_url = models.URLField(verbose_name=_("source URL"), blank=True)
    active = models.BooleanField(verbose_name=_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("obligation type")
        verbose_name_plural = _("obligation types")

    def __str__(self) -> str:
        return f"{self.article}: {self.title}"

    @property
    def who(self) -> str:
        return " and ".join(self.roles)


class CatalogueVersion(models.Model):
    """A version of the obligations catalogue brought to this installation, and when the
    law behind it was last reviewed. The latest row is the catalogue in force."""

    version = models.CharField(verbose_name=_("version"), max_length=20, unique=True)
    reviewed_on = models.DateField(
        verbose_name=_("reviewed on"), help_text=_("When the sources were last checked.")
    )
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    applied_at = models.DateTimeField(verbose_name=_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["applied_at", "id"]
        get_latest_by = ["applied_at", "id"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return f"Catalogue {self.version} (reviewed {self.reviewed_on:%d %b %Y})"


class Obligation(models.Model):
    """A duty that applies to one use case: who owns it, its status, evidence and due date."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    obligation_type = models.ForeignKey(
        ObligationType,
        verbose_name=_("obligation type"),
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations_owned",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=16,
        choices=ObligationStatus.choices,
        default=ObligationStatus.OPEN,
    )
    due_date = models.DateField(verbose_name=_("due date"))
    evidence_link = models.URLField(verbose_name=_("evidence link"), blank=True, max_length=500)
    notes = models.TextField(verbose_name=_("notes"), blank=True)
    met_at = models.DateTimeField(verbose_name=_("met at"), null=True, blank=True)
    # When the "obligation due" event was published for it (once; reset when it reopens).
    due_announced_at = models.DateTimeField(
        verbose_name=_("due announced at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = HistoryQuerySet.as_manager()
    history = tracked_history(excluded_fields=("due_announced_at", "updated_at"))

    class Meta:
        ordering = ["use_case_id", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "obligation_type"], name="one_obligation_per_type"
            )
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="obligation_status_due")]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return f"{self.obligation_type.article} for {self.use_case_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the stored path reveals nothing and two uploads never collide.
    return f"compliance/{instance.use_case_id}/{uuid.uuid4().hex}"


class Attachment(AppendOnlyModel):
    """A document kept as evidence. Never changed: a new version supersedes, both are kept."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="compliance_attachments",
    )
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("obligation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=20, choices=AttachmentKind.choices)
    title = models.CharField(verbose_name=_("title"), max_length=200)
    file = models.FileField(verbose_name=_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(verbose_name=_("original name"), max_length=200)
    content_type = models.CharField(verbose_name=_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(verbose_name=_("sha256"), max_length=64)
    version = models.PositiveIntegerField(verbose_name=_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(verbose_name=_("uploaded at"))

    class Meta:
        ordering = ["use_case_id", "-uploaded_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class CrosswalkEntry(models.Model):
    """One line of the crosswalk: a clause, control or subcategory and the Flywheel record
    that evidences it (see compliance.evidence_pack.SOURCES)."""

    framework = models.CharField(
        verbose_name=_("framework"), max_length=12, choices=Framework.choices
    )
    reference = models.CharField(
        verbose_name=_("reference"), max_length=24, help_text=_("E.g. 6.1.2, A.5.2, GOVERN 1.6.")
    )
    title = models.CharField(verbose_name=_("title"), max_length=240)
    evidence = models.CharField(
        verbose_name=_("evidence"),
        max_length=40,
        help_text=_("The Flywheel record (a source key)."),
    )
    explanation = models.CharField(verbose_name=_("explanation"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "reference", "evidence"], name="crosswalk_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(framework__in=Framework.values), name="crosswalk_known_framework"
            ),
        ]
        verbose_name = _("crosswalk entry")
        verbose_name_plural = _("crosswalk entries")

    def __str__(self) -> str:
        return f"{self.get_framework_display()} {self.reference} <- {self.evidence}"
