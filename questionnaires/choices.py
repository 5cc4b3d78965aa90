"""Enumerations of the questionnaires app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Answerer(models.TextChoices):
    DEPARTMENT_HEAD = "department_head", _("The department head")
    ROLE = "role", _("A named role of the organisation")
