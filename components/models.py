"""Tables of components and incidents: the models, datasets, vendors and agents behind the
use cases, their links to use cases (with the link's role), vendor assessments, and the
incident register (append-only, corrected by superseding rows)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from components.choices import (
    AssessmentStatus,
    Autonomy,
    BomJobStatus,
    ComponentKind,
    LinkRole,
    OrganisationRole,
)
from core.history import HistoryQuerySet, tracked_history
from core.models import AppendOnlyModel, AppendOnlyQuerySet


class Component(models.Model):
    """A model, dataset, vendor or agent; the fields that do not belong to its kind stay empty.

    One table, because the board's questions cross kinds ("which use cases share this
    vendor": its own links and those of the models and datasets it supplies).
    """

    kind = models.CharField(verbose_name=_("kind"), max_length=8, choices=ComponentKind.choices)
    name = models.CharField(verbose_name=_("name"), max_length=200)
    version = models.CharField(verbose_name=_("version"), max_length=60, blank=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="components_owned",
    )
    licence = models.CharField(verbose_name=_("licence"), max_length=120, blank=True)
    # Models, datasets and agents: who supplies them.
    vendor = models.ForeignKey(
        "self",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplies",
        limit_choices_to={"kind": ComponentKind.VENDOR},
    )
    # Models: the model card (CycloneDX modelCard, or what a person wrote) and a link to one.
    model_card = models.JSONField(verbose_name=_("model card"), default=dict, blank=True)
    model_card_url = models.URLField(verbose_name=_("model card URL"), blank=True, max_length=500)
    # Datasets.
    source = models.CharField(verbose_name=_("source"), max_length=300, blank=True)
    personal_data = models.BooleanField(
        verbose_name=_("personal data"),
        null=True,
        blank=True,
        help_text=_("Does the dataset hold personal data (GDPR Art. 4(1))?"),
    )
    # Vendors.
    country = models.CharField(
        verbose_name=_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2.")
    )
    contract = models.CharField(verbose_name=_("contract"), max_length=300, blank=True)
    dpa_signed = models.BooleanField(
        verbose_name=_("DPA signed"),
        null=True,
        blank=True,
        help_text=_("Is a data processing agreement (GDPR Art. 28) signed?"),
    )
    assessment_status = models.CharField(
        verbose_name=_("assessment status"),
        max_length=14,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.NOT_ASSESSED,
    )
    # Agents.
    tools = models.JSONField(
        verbose_name=_("tools"), default=list, blank=True, help_text=_("The tools it may call.")
    )
    autonomy = models.CharField(
        verbose_name=_("autonomy"), max_length=20, choices=Autonomy.choices, blank=True
    )
    # Brought in from a CycloneDX BOM: the BOM's serial number and the component's bom-ref.
    bom_serial = models.CharField(verbose_name=_("BOM serial"), max_length=100, blank=True)
    bom_ref = models.CharField(verbose_name=_("BOM ref"), max_length=300, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    objects = HistoryQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["kind", "name", "version", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ComponentKind.values), name="component_known_kind"
            ),
            models.UniqueConstraint(
                fields=["bom_serial", "bom_ref"],
                condition=~Q(bom_ref=""),
                name="component_one_per_bom_ref",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="component_kind_name")]
        verbose_name = _("component")
        verbose_name_plural = _("components")

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class ComponentLink(models.Model):
    """One component used by one use case, in one role."""

    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.CASCADE,
        related_name="component_links",
    )
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.CASCADE, related_name="links"
    )
    role = models.CharField(verbose_name=_("role"), max_length=20, choices=LinkRole.choices)
    note = models.CharField(verbose_name=_("note"), max_length=240, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    objects = HistoryQuerySet.as_manager()
    history = tracked_history()

    class Meta:
        ordering = ["use_case_id", "role", "component_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["use_case", "component", "role"], name="component_link_once_per_role"
            )
        ]
        indexes = [models.Index(fields=["component", "use_case"], name="component_link_rev")]
        verbose_name = _("component link")
        verbose_name_plural = _("component links")

    def __str__(self) -> str:
        return f"{self.component} as {self.get_role_display()} of {self.use_case_id}"


class IncidentQuerySet(AppendOnlyQuerySet):
    def current(self):
        """The incidents as they stand: rows no later correction superseded."""
        return self.filter(superseded_by__isnull=True)


class Incident(AppendOnlyModel):
    """Something that went wrong with a use case's AI, as reported; never edited or deleted.

    A correction (a fact learnt later, the report sent to the authority, the provider
    informed) is a new row that ``supersedes`` the previous one, with a reason; ``number``
    stays the incident's identity across its corrections.
    """

    number = models.PositiveIntegerField(verbose_name=_("number"), db_index=True, editable=False)
    use_case = models.ForeignKey(
        "portfolio.UseCase",
        verbose_name=_("use case"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    title = models.CharField(verbose_name=_("title"), max_length=200)
    description = models.TextField(verbose_name=_("description"), blank=True)
    occurred_at = models.DateTimeField(verbose_name=_("occurred at"))
    aware_at = models.DateTimeField(
        verbose_name=_("aware at"), help_text=_("When the organisation became aware of it.")
    )
    serious = models.BooleanField(
        verbose_name=_("serious"),
        default=False,
        help_text=_("A serious incident under Art. 3(49) of the AI Act."),
    )
    death = models.BooleanField(
        verbose_name=_("death"),
        default=False,
        help_text=_("A person's death may have been caused (Art. 73(4))."),
    )
    widespread = models.BooleanField(
        verbose_name=_("widespread"),
        default=False,
        help_text=_(
            "A widespread infringement, or a serious and irreversible disruption "
            "of critical infrastructure (Art. 3(49)(b); Art. 73(3))."
        ),
    )
    organisation_role = models.CharField(
        verbose_name=_("organisation role"),
        max_length=8,
        choices=OrganisationRole.choices,
        default=OrganisationRole.DEPLOYER,
    )
    authority_reported_at = models.DateTimeField(
        verbose_name=_("authority reported at"), null=True, blank=True
    )
    provider_informed_at = models.DateTimeField(
        verbose_name=_("provider informed at"), null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(verbose_name=_("recorded at"))
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("The earlier row this one corrects."),
    )
    correction_reason = models.TextField(verbose_name=_("correction reason"), blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-aware_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="an_incident_correction_says_why",
            ),
            models.CheckConstraint(
                condition=Q(aware_at__gte=models.F("occurred_at")),
                name="incident_aware_after_occurrence",
            ),
        ]
        indexes = [models.Index(fields=["use_case", "number"], name="incident_use_case_number")]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"Incident {self.number}: {self.title}"


class AssessmentQuestion(models.Model):
    """A question of the vendor assessment questionnaire, defined by administrators."""

    text = models.CharField(verbose_name=_("text"), max_length=300)
    help_text = models.CharField(verbose_name=_("help text"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(verbose_name=_("weight"), default=1)
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    active = models.BooleanField(verbose_name=_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("assessment question")
        verbose_name_plural = _("assessment questions")

    def __str__(self) -> str:
        return self.text


class VendorAssessment(AppendOnlyModel):
    """One completed assessment of a vendor: the answers, the score and whether it passed.

    Kept as written; the next year's assessment is a new row. It expires
    ``FLYWHEEL_VENDOR_ASSESSMENT_MONTHS`` after ``assessed_at``.
    """

    vendor = models.ForeignKey(
        Component, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="assessments"
    )
    answers = models.JSONField(
        verbose_name=_("answers"), help_text=_("Question id -> yes (true) or no (false).")
    )
    score = models.DecimalField(
        verbose_name=_("score"), max_digits=5, decimal_places=2, help_text=_("Percent.")
    )
    passed = models.BooleanField(verbose_name=_("passed"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessed_at = models.DateTimeField(verbose_name=_("assessed at"))
    note = models.TextField(verbose_name=_("note"), blank=True)

    class Meta:
        ordering = ["vendor_id", "-assessed_at", "-id"]
        get_latest_by = ["assessed_at", "id"]
        verbose_name = _("vendor assessment")
        verbose_name_plural = _("vendor assessments")

    def __str__(self) -> str:
        return f"{self.vendor}: {self.score}% on {self.assessed_at:%Y-%m-%d}"


class MlflowLink(models.Model):
    """A model's registered version in an MLflow tracking server, and what was last fetched."""

    component = models.OneToOneField(
        Component, verbose_name=_("component"), on_delete=models.CASCADE, related_name="mlflow_link"
    )
    tracking_url = models.URLField(verbose_name=_("tracking URL"), max_length=300)
    model_name = models.CharField(verbose_name=_("model name"), max_length=200)
    version = models.CharField(verbose_name=_("version"), max_length=20, blank=True)
    alias = models.CharField(verbose_name=_("alias"), max_length=100, blank=True)
    # What the last fetch brought: the version resolved, its run, the run's metrics.
    resolved_version = models.CharField(
        verbose_name=_("resolved version"), max_length=20, blank=True
    )
    run_id = models.CharField(verbose_name=_("run id"), max_length=64, blank=True)
    metrics = models.JSONField(verbose_name=_("metrics"), default=dict, blank=True)
    fetched_at = models.DateTimeField(verbose_name=_("fetched at"), null=True, blank=True)
    fetch_error = models.TextField(verbose_name=_("fetch error"), blank=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(version="") & ~Q(alias="")) | (~Q(version="") & Q(alias="")),
                name="mlflow_link_version_or_alias",
            )
        ]
        verbose_name = _("MLflow link")
        verbose_name_plural = _("MLflow links")

    def __str__(self) -> str:
        return f"{self.model_name}@{self.version or self.alias}"


class BomImportJob(models.Model):
    """One uploaded CycloneDX ML-BOM: its check (the schema validation), its dry run or
    import, run by a job that writes its progress, the validator's error or the report here;
    the API and the page read it (components.bom_jobs)."""

    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    use_case = models.ForeignKey(
        "portfolio.UseCase", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=BomJobStatus.choices, default=BomJobStatus.QUEUED
    )
    stage = models.CharField(max_length=60, blank=True)
    step = models.PositiveSmallIntegerField(default=0)
    # The validator's message and JSON path (status invalid), or the failure's reason.
    error = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The uploader's profile language: the run writes its messages in it ("": the site's).
    language = models.CharField(max_length=8, blank=True)
    # A run holds the job until then (renewed at each step); a dead worker's hold lapses and
    # the resume job queues the job again. Each run counts itself in ``attempt``, and writes
    # only while the job is still its own.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (BomJobStatus.DONE, BomJobStatus.INVALID, BomJobStatus.FAILED)
