"""The portfolio admin: read-mostly, lifecycle moves only as actions that call the services.

Executives (staff in the "Executives" group) read everything and change nothing. The state
of a use case is never a form field; forward moves happen only through gate decisions, so
no action offers them. The transition record can be read, never added, changed or deleted.
"""

from core.admin import executives_read
from portfolio.admin import custom_fields, lessons, profiles, records, sign_offs, use_cases

executives_read("portfolio")

__all__ = ["custom_fields", "lessons", "profiles", "records", "sign_offs", "use_cases"]
