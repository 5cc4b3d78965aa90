"""The lessons the demo's killed and retired use cases record (every stop records one)."""

from portfolio.choices import LessonCause as Cause
from portfolio.services import LessonInput

DEMO_LESSONS = {
    "Interview emotion analysis": LessonInput(
        "Emotion recognition in the workplace is prohibited by Art. 5 of the AI Act; screen "
        "the idea against the prohibited practices before any pilot is planned.",
        Cause.REGULATION,
        "The candidate-experience survey and its consent wording.",
    ),
    "Copy generation": LessonInput(
        "Nobody owned the brand outcome: marketing wanted volume, legal wanted review, and the "
        "drafts sat in both queues.",
        Cause.OWNERSHIP,
        "The prompt library and the tone-of-voice checklist.",
    ),
    "Reserve estimation": LessonInput(
        "The claim history before 2019 lives in the old system with no common key; the model "
        "could not be trained on the data the plan assumed.",
        Cause.DATA,
        "The mapping of claim codes between the old and the new claims system.",
    ),
    "Brand safety checks": LessonInput(
        "The vendor's classifier missed the cases that mattered and could not be tuned to ours.",
        Cause.TECHNOLOGY,
        "The labelled set of 4,000 reviewed placements.",
    ),
    "Cat exposure summary": LessonInput(
        "Underwriters kept their spreadsheets: the summary arrived after they had decided.",
        Cause.ADOPTION,
        "The exposure feed from the catastrophe model.",
    ),
    "Quality review sampling": LessonInput(
        "The vendor's platform now samples for quality review itself; our model added nothing.",
        Cause.VALUE,
        "The sampling rules, documented for the vendor's configuration.",
    ),
    "Tax code suggestion": LessonInput(
        "The ERP's built-in suggestion reached the same accuracy at no run cost.",
        Cause.VALUE,
        "The evaluation harness that compared the two.",
    ),
}
FALLBACK = LessonInput(
    "The case did not hold at the gate.", Cause.OTHER, "The intake, as a template to rework."
)


def demo_lesson(title: str) -> LessonInput:
    """The lesson a demo use case records when it stops."""
    return DEMO_LESSONS.get(title, FALLBACK)
