"""Enumerations of sign-in: the Flywheel roles a provider group can be mapped to."""

from django.db import models


class MappedRole(models.TextChoices):
    DEPARTMENT_HEAD = "department_head", "Department head"
    DEPARTMENT_MEMBER = "department_member", "Department member"
    BOARD_MEMBER = "board_member", "Board member"
    EXECUTIVE = "executive", "Executive"
    ADMINISTRATOR = "administrator", "Administrator"
    ORGANISATION_ROLE = "organisation_role", "A role of the organisation (e.g. a DPO)"


DEPARTMENT_ROLES = (MappedRole.DEPARTMENT_HEAD, MappedRole.DEPARTMENT_MEMBER)
