"""The lesson a kill or a retirement records, checked the same way on every way in (the API,
the pages, the admin, a board's no-go, the inventory import)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError

from portfolio.choices import LessonCause
from portfolio.models import Lesson, UseCase

MAX_LENGTH = 5000


@dataclass(frozen=True)
class LessonInput:
    """What was learned, the cause (LessonCause), and what can be reused (may be blank)."""

    learned: str = ""
    cause: str = ""
    reusable: str = ""


def lesson_problems(lesson: LessonInput | None, *, stop: str) -> dict[str, list[str]]:
    """The lesson's fields that are missing or wrong, by field name (empty when it is
    complete). ``stop`` is the move in words ("kill", "retirement")."""
    lesson = lesson or LessonInput()
    problems: dict[str, list[str]] = {}
    learned = (lesson.learned or "").strip()
    if not learned:
        problems["lesson"] = [f"A {stop} records a lesson: say what was learned."]
    elif len(learned) > MAX_LENGTH:
        problems["lesson"] = [f"At most {MAX_LENGTH} characters."]
    if lesson.cause not in LessonCause.values:
        problems["cause"] = [
            f"A {stop} names the lesson's cause: one of {', '.join(LessonCause.values)}."
        ]
    if len(lesson.reusable or "") > MAX_LENGTH:
        problems["reusable"] = [f"At most {MAX_LENGTH} characters."]
    return problems


def lesson_check(lesson: LessonInput | None, *, stop: str) -> LessonInput:
    """The lesson, or a 400 naming each field that is missing or wrong."""
    problems = lesson_problems(lesson, stop=stop)
    if problems:
        raise ValidationError(problems)
    return lesson


def lesson_record(
    *, use_case: UseCase, transition: str, lesson: LessonInput, actor, at: datetime
) -> Lesson:
    """Store the lesson of a stop; called inside the stop's transaction."""
    return Lesson.objects.create(
        use_case=use_case,
        transition=transition,
        learned=lesson.learned.strip(),
        cause=lesson.cause,
        reusable=(lesson.reusable or "").strip(),
        recorded_at=at,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
