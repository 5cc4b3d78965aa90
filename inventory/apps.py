from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inventory"
    verbose_name = _("Inventory import")

    def ready(self) -> None:
        from core.columns import column_set_register, column_sets_follow
        from inventory import tasks
        from inventory.custom_columns import CUSTOM_COLUMNS
        from inventory.extra_columns import columns_add
        from inventory.services import IMPORT_JOB

        IMPORT_JOB.fill(tasks.inventory_import_job)
        column_sets_follow(columns_add)  # other apps' use case columns (core.columns)
        column_set_register(CUSTOM_COLUMNS)  # the organisation's own intake fields
