from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portfolio.choices import DepartmentRole


class Department(models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=120, unique=True)
    slug = models.SlugField(verbose_name=_("slug"), max_length=60, unique=True)
    description = models.TextField(verbose_name=_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in one department (head or member)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(verbose_name=_("role"), max_length=12, choices=DepartmentRole.choices)

    class Meta:
        ordering = ["department__name", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="one_role_per_department"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.department})"


class Profile(models.Model):
    """What a person chooses for themselves: the language of their pages and e-mails (empty:
    the browser's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    language = models.CharField(
        verbose_name=_("language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user}: {self.language or '-'}"
