"""Every write of the portfolio app. Keyword-only, typed, one transaction each."""

from portfolio.services.custom_fields import (
    custom_field_create,
    custom_field_retire,
    custom_field_update,
)
from portfolio.services.intake import (
    artifact_save,
    data_gap_create,
    data_gap_delete,
    data_gap_update,
    use_case_create,
    use_case_delete_draft,
    use_case_update,
)
from portfolio.services.intake_save import Rows, use_case_intake_save
from portfolio.services.lessons import LessonInput, lesson_check, lesson_problems
from portfolio.services.lifecycle import (
    available_transitions,
    use_case_advance,
    use_case_hold,
    use_case_kill,
    use_case_resume,
    use_case_retire,
    use_case_submit,
)
from portfolio.services.metrics import (
    metric_add_approved,
    metric_create,
    metric_delete,
    metric_rebaseline,
    metric_require_active,
    metric_retire,
    metric_retire_check,
    metric_update,
    metrics_lock,
    reading_add,
    reading_correct,
)
from portfolio.services.notifications import notification_mark_read, notification_send
from portfolio.services.people import (
    department_create,
    department_update,
    membership_remove,
    membership_set,
)
from portfolio.services.sign_offs import use_case_sign_off
from portfolio.services.transition_import import (
    ImportedHistory,
    ImportedMove,
    history_replay,
    transition_import,
)

__all__ = [
    "ImportedHistory",
    "ImportedMove",
    "LessonInput",
    "Rows",
    "artifact_save",
    "available_transitions",
    "custom_field_create",
    "custom_field_retire",
    "custom_field_update",
    "data_gap_create",
    "data_gap_delete",
    "data_gap_update",
    "department_create",
    "department_update",
    "history_replay",
    "lesson_check",
    "lesson_problems",
    "membership_remove",
    "membership_set",
    "metric_add_approved",
    "metric_create",
    "metric_delete",
    "metric_rebaseline",
    "metric_require_active",
    "metric_retire",
    "metric_retire_check",
    "metric_update",
    "metrics_lock",
    "notification_mark_read",
    "notification_send",
    "reading_add",
    "reading_correct",
    "transition_import",
    "use_case_advance",
    "use_case_create",
    "use_case_delete_draft",
    "use_case_hold",
    "use_case_intake_save",
    "use_case_kill",
    "use_case_resume",
    "use_case_retire",
    "use_case_sign_off",
    "use_case_submit",
    "use_case_update",
]
