"""Reads of the sign-off steps: what each stage needs, who has signed (see
portfolio.services.sign_offs for the writes)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portfolio.choices import TERMINAL_STATES, State
from portfolio.models import SignOff, SignOffStep, UseCase
from portfolio.models.sign_offs import SIGN_OFF_STAGES, Party

# party -> (label, person field, signature field) for the two who sign on the use case.
PERSONAL = {
    Party.SPONSOR: (_("Sponsor"), "sponsor", "sponsor_signed_off_at"),
    Party.OPERATOR: (_("Operator lead"), "operator_lead", "operator_signed_off_at"),
}
# Whole sentences about one step, per party (None: a role of the organisation, named by
# ``{role}`` as the organisation wrote it): a translated name is never lower-cased into a
# sentence of another language's grammar.
SENTENCES = {
    "request": {
        Party.SPONSOR: _(
            "As the sponsor, sign the definition of success of '{title}': {definition}"
        ),
        Party.OPERATOR: _(
            "As the operator lead, sign the definition of success of '{title}': {definition}"
        ),
        None: _(
            "As a holder of the role {role}, sign the definition of success of '{title}': "
            "{definition}"
        ),
    },
    "asked": {
        Party.SPONSOR: _("The sponsor is asked to sign the definition of success."),
        Party.OPERATOR: _("The operator lead is asked to sign the definition of success."),
        None: _("The role {role} is asked to sign the definition of success."),
    },
    "pending": {
        Party.SPONSOR: _("As the sponsor, you have not yet signed the definition of success:"),
        Party.OPERATOR: _(
            "As the operator lead, you have not yet signed the definition of success:"
        ),
        None: _(
            "As a holder of the role {role}, you have not yet signed the definition of success:"
        ),
    },
    "button": {
        Party.SPONSOR: _("Sign off as sponsor"),
        Party.OPERATOR: _("Sign off as operator lead"),
        None: _("Sign off for the role {role}"),
    },
    "signed": {
        Party.SPONSOR: _("Signed by the sponsor."),
        Party.OPERATOR: _("Signed by the operator lead."),
        None: _("Signed for the role {role}."),
    },
    "only": {
        Party.SPONSOR: _("Only the named sponsor signs for the sponsor."),
        Party.OPERATOR: _("Only the named operator lead signs for the operator lead."),
        None: _("Only a holder of the role {role} signs for it."),
    },
}


def sign_off_sentence(kind: str, party: str, label="", **values):
    """One of SENTENCES for a step, in the language of whoever reads it (lazy): ``label``
    is a role's name, ``values`` fill the rest (title, definition)."""
    sentences = SENTENCES[kind]
    sentence = sentences.get(party) if party in PERSONAL else sentences[None]
    return format_lazy(sentence, role=label, **values)


# How the diagnostic names them ("only the sponsor signed off ...").
DIAGNOSTIC_NAMES = {Party.SPONSOR: _("sponsor"), Party.OPERATOR: _("operator")}


@dataclass(frozen=True)
class Step:
    """One signature a stage needs: "sponsor", "operator" or a role's key."""

    party: str
    label: str
    role_id: int | None = None

    @property
    def diagnostic_name(self) -> str:
        return DIAGNOSTIC_NAMES.get(self.party, self.label)


DEFAULT_STEPS = tuple(Step(party, PERSONAL[party][0]) for party in (Party.SPONSOR, Party.OPERATOR))


def sign_off_steps() -> dict[str, tuple[Step, ...]]:
    """The steps of every stage after the draft (1 query)."""
    configured: dict[str, list[Step]] = {}
    for stage, party, role_id, key, name in SignOffStep.objects.order_by(
        "stage", "position", "id"
    ).values_list("stage", "party", "role_id", "role__key", "role__name"):
        step = Step(key, name, role_id) if role_id else Step(party, PERSONAL[party][0])
        configured.setdefault(stage, []).append(step)
    return {stage: tuple(configured.get(stage, DEFAULT_STEPS)) for stage, _ in SIGN_OFF_STAGES}


def stage_of(state: str, state_before_hold: str = "") -> str | None:
    """The stage whose steps apply: a held use case keeps the steps of the stage it left."""
    stage = state_before_hold if state == State.ON_HOLD else state
    return None if stage in (State.DRAFT, "", *TERMINAL_STATES) else stage


def steps_of(state: str, state_before_hold: str = "", *, steps=None) -> tuple[Step, ...]:
    """The steps a use case in this state needs (the default before submission)."""
    steps = sign_off_steps() if steps is None else steps
    return steps.get(stage_of(state, state_before_hold), DEFAULT_STEPS)


def standing_role_sign_offs(use_case_ids: Iterable[int]) -> dict[tuple[int, int], SignOff]:
    """(use case, role) -> the standing signature, for many use cases (1 query)."""
    return {
        (s.use_case_id, s.role_id): s
        for s in SignOff.objects.filter(
            use_case_id__in=use_case_ids, withdrawn_at__isnull=True
        ).select_related("signed_by")
    }


def sign_off_status(*, use_case: UseCase, steps=None) -> list[dict]:
    """Who signs the definition of success at the use case's stage, and who has signed
    (1 query, 2 when a step names a role; the sponsor and the lead are read from the use
    case, select_related by the caller or fetched once each)."""
    needed = steps_of(use_case.state, use_case.state_before_hold, steps=steps)
    standing = standing_role_sign_offs([use_case.pk]) if any(s.role_id for s in needed) else {}
    status = []
    for step in needed:
        if step.role_id:
            signature = standing.get((use_case.pk, step.role_id))
            person = signature.signed_by if signature else None
            signed_at = signature.signed_at if signature else None
        else:
            _label, person_field, signed_field = PERSONAL[step.party]
            person, signed_at = getattr(use_case, person_field), getattr(use_case, signed_field)
        status.append(
            {
                "party": step.party,
                "label": step.label,
                "role_id": step.role_id,
                "person": person,
                "signed_at": signed_at,
                "pending": signed_at is None,
                "pending_text": sign_off_sentence("pending", step.party, step.label),
                "button_text": sign_off_sentence("button", step.party, step.label),
            }
        )
    return status


def parties_signed(
    *, row: Mapping, steps: Mapping, standing: Mapping[tuple[int, int], object]
) -> tuple[tuple[str, bool], ...]:
    """(name, signed) per step of the use case's stage, for the diagnostic's alignment line;
    ``row`` holds id, state, state_before_hold and the two signature fields."""
    result = []
    for step in steps_of(row["state"], row.get("state_before_hold", ""), steps=steps):
        if step.role_id:
            signed = (row["id"], step.role_id) in standing
        else:
            signed = row[PERSONAL[step.party][2]] is not None
        result.append((step.diagnostic_name, signed))
    return tuple(result)


def use_case_parties_signed(use_case: UseCase) -> tuple[tuple[str, bool], ...]:
    """(name, signed) per step of one use case's stage (1 query, 2 when a step names a role)."""
    return tuple(
        (DIAGNOSTIC_NAMES.get(s["party"], s["label"]), not s["pending"])
        for s in sign_off_status(use_case=use_case)
    )


def signed_by_everyone(stage: str, *, steps=None) -> Q:
    """A filter on use cases: every sign-off ``stage`` needs is given (no extra query)."""
    steps = sign_off_steps() if steps is None else steps
    condition = Q()
    for step in steps.get(stage, DEFAULT_STEPS):
        if step.role_id:
            condition &= Exists(
                SignOff.objects.filter(
                    use_case=OuterRef("pk"), role_id=step.role_id, withdrawn_at__isnull=True
                )
            )
        else:
            condition &= Q(**{f"{PERSONAL[step.party][2]}__isnull": False})
    return condition
