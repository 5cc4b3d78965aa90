"""Enumerations of sign-in: the Flywheel roles a provider group can be mapped to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MappedRole(models.TextChoices):
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPARTMENT_MEMBER = "department_member", _("Department member")
    BOARD_MEMBER = "board_member", _("Board member")
    EXECUTIVE = "executive", _("Executive")
    ADMINISTRATOR = "administrator", _("Administrator")
    ORGANISATION_ROLE = "organisation_role", _("A role of the organisation (e.g. a DPO)")


DEPARTMENT_ROLES = (MappedRole.DEPARTMENT_HEAD, MappedRole.DEPARTMENT_MEMBER)
