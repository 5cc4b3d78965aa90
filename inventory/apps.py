from django.apps import AppConfig


class InventoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inventory"
    verbose_name = "Inventory import"

    def ready(self):
        from inventory import tasks
        from inventory.services import IMPORT_JOB

        IMPORT_JOB.fill(tasks.inventory_import_job)
