"""The inventory template: its columns, what each holds, and the headers people really use.

One sheet, one row per record. The ``Record`` column says what a row is: a use case, one of
its metrics, a reading of a metric, or a data gap; every row names its use case by
``Reference``. A sheet without a ``Record`` column is a list of use cases (the usual
spreadsheet). Headers are matched ignoring case, spaces and punctuation, and through the
synonyms below; the dry run shows the mapping it made.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

USE_CASE, METRIC, READING, DATA_GAP = "use case", "metric", "reading", "data gap"
RECORDS = (USE_CASE, METRIC, READING, DATA_GAP)
RECORD_SYNONYMS = {
    USE_CASE: ("use case", "usecase", "initiative", "project", "case", "uc"),
    METRIC: ("metric", "kpi", "measure"),
    READING: ("reading", "measurement", "value", "observation"),
    DATA_GAP: ("data gap", "gap", "datagap"),
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    records: tuple[str, ...]
    help: str
    synonyms: tuple[str, ...] = ()


_UC, _M, _R, _G = (USE_CASE,), (METRIC,), (READING,), (DATA_GAP,)
_DATES = "a date (2024-03-31, 31/03/2024, 31 Mar 2024 or an Excel date)"

COLUMNS = (
    Column("record", "Record", RECORDS, "use case, metric, reading or data gap",
           ("record type", "row type", "type", "kind of row")),
    Column("reference", "Reference", RECORDS, "your key of the use case; matched on import",
           ("ref", "external reference", "external ref", "ext ref", "id", "use case id",
            "use case ref", "use case reference", "key", "inventory id")),
    Column("title", "Title", _UC, "required for a new use case",
           ("name", "use case", "use case name", "initiative", "project")),
    Column("department", "Department", _UC, "name or short name of an existing department",
           ("dept", "business unit", "division", "department name")),
    Column("problem_statement", "Problem statement", _UC, "text",
           ("problem", "description", "problem description")),
    Column("origin", "Origin", _UC, "bottom-up or top-down", ("idea origin", "source")),
    Column("outcome_owner", "Outcome owner", _UC, "user name or e-mail of one person",
           ("owner", "business owner", "accountable owner", "accountable")),
    Column("owner_controls_resources", "Owner controls resources", _UC, "yes, partly or no",
           ("controls resources", "owner control")),
    Column("owner_dependencies", "Owner dependencies", _UC, "text", ("dependencies",)),
    Column("data_assumed", "Data assumed", _UC, "text", ("data assumptions", "assumed data")),
    Column("data_existing", "Data existing", _UC, "text",
           ("existing data", "data available", "available data")),
    Column("build_cost", "Build cost", _UC, "amount", ("one off cost", "capex", "cost")),
    Column("run_cost_yearly", "Run cost per year", _UC, "amount",
           ("run cost", "yearly run cost", "annual run cost", "opex")),
    Column("expected_benefit_yearly", "Expected benefit per year", _UC, "amount",
           ("expected benefit", "benefit", "annual benefit", "yearly benefit")),
    Column("realised_benefit_yearly", "Realised benefit per year", _UC, "amount",
           ("realised benefit", "realized benefit", "actual benefit",
            "realized benefit per year")),
    Column("autonomy_share", "Autonomy %", _UC, "0 to 100", ("autonomy", "autonomy share")),
    Column("execution_budget_share", "Execution budget %", _UC, "0 to 100",
           ("execution budget", "execution budget share")),
    Column("sponsor", "Sponsor", _UC, "user name or e-mail", ("executive sponsor",)),
    Column("operator_team", "Operator team", _UC, "text", ("operator", "operating team")),
    Column("operator_lead", "Operator lead", _UC, "user name or e-mail",
           ("operator owner", "ops lead")),
    Column("success_definition", "Success definition", _UC, "text",
           ("definition of success", "success criteria")),
    Column("horizon", "Horizon", _UC, "short or long", ("time horizon",)),
    Column("knowledge", "Knowledge", _UC, "facts or hypotheses", ("evidence",)),
    Column("scenarios", "Scenarios", _UC, "text"),
    Column("warning_signs", "Warning signs", _UC, "text", ("early warning signs",)),
    Column("risk_prohibited_practice", "Prohibited practice", _UC, "yes or no",
           ("art 5 practice", "prohibited")),
    Column("risk_annex_iii_area", "Annex III area", _UC, "yes or no", ("annex iii", "annex 3")),
    Column("risk_safety_component", "Safety component", _UC, "yes or no"),
    Column("risk_transparency_duty", "Transparency duty", _UC, "yes or no", ("transparency",)),
    Column("human_oversight", "Human oversight", _UC, "text", ("oversight",)),
    Column("template", "Template", _UC, "reference of the earlier use case this one reuses",
           ("template reference", "based on", "reuses", "template use case")),
    Column("submitted", "Submitted", _UC, _DATES,
           ("submitted on", "submission date", "date submitted", "intake date", "submitted at")),
    Column("pilot", "Pilot", _UC, _DATES,
           ("pilot start", "pilot date", "pilot started", "entered pilot", "g0")),
    Column("scale", "Scale", _UC, _DATES,
           ("production", "in production", "go live", "go live date", "scaled", "g1")),
    Column("extend", "Extend", _UC, _DATES, ("extended", "extension", "g2")),
    Column("held", "Held", _UC, "dates, separated by ;", ("on hold", "paused", "hold date")),
    Column("resumed", "Resumed", _UC, "dates, separated by ;", ("restarted", "resume date")),
    Column("killed", "Killed", _UC, _DATES, ("stopped", "cancelled", "canceled", "no go")),
    Column("retired", "Retired", _UC, _DATES, ("decommissioned", "switched off")),
    Column("kill_reason", "Kill reason", _UC, "required with Killed",
           ("reason stopped", "why killed", "reason")),
    Column("lesson", "Lesson", _UC, "required with Killed or Retired: what was learned",
           ("lesson learned", "lessons learned", "what we learned", "learnings")),
    Column("lesson_cause", "Lesson cause", _UC,
           "required with Killed or Retired: data, ownership, value, adoption, technology, "
           "regulation or other", ("cause", "root cause", "failure cause")),
    Column("lesson_reusable", "Reusable", _UC, "what can be reused",
           ("what can be reused", "reusable assets")),
    Column("metric", "Metric", (*_M, *_R), "the metric's name within the use case",
           ("metric name", "kpi", "kpi name")),
    Column("metric_kind", "Metric kind", _M, "business or technical", ("metric type",)),
    Column("unit", "Unit", _M, "text", ("units", "unit of measure")),
    Column("direction", "Direction", _M, "higher or lower (is better)", ("better when",)),
    Column("baseline", "Baseline", _M, "number"),
    Column("target", "Target", _M, "number", ("goal",)),
    Column("cadence", "Cadence", _M, "daily, weekly, fortnightly, monthly, quarterly, yearly",
           ("frequency", "measurement cadence", "measured every")),
    Column("paired_with", "Paired with", _M, "technical metric: the business metric it moves",
           ("moves", "business metric", "pairs with")),
    Column("value", "Value", _R, "number", ("reading value", "measured value", "actual",
           "latest", "latest value", "current value", "actual value", "latest reading")),
    Column("measured", "Measured on", _R, _DATES,
           ("measured", "measured at", "reading date", "date", "measurement date")),
    Column("note", "Note", _R, "text", ("comment", "notes")),
    Column("correction", "Correction", _R,
           "written by the export: this reading corrects an earlier one (its value, and why); "
           "not read on import", ("corrects", "corrected")),
    Column("gap", "Data gap", _G, "what the plan assumes that does not exist",
           ("gap", "gap description")),
    Column("closing_work", "Closing work", _G, "the named work that closes it",
           ("work", "fix", "remediation")),
    Column("work_owner", "Work owner", _G, "text", ("gap owner",)),
    Column("owner_committed", "Owner committed", _G, "yes or no", ("committed",)),
    Column("blocks_production", "Blocks production", _G, "yes or no",
           ("blocking", "blocks", "blocker")),
)  # fmt: skip
# Columns of a PMO's own register that the template does not have: the stage it is in now
# (checked against its stage dates), and one KPI written as columns beside the use case.
REGISTER_COLUMNS = (
    Column("status", "Status", _UC, "the stage it is in now; checked against the stage dates",
           ("stage", "current stage", "state", "phase", "lifecycle stage", "current status")),
    Column("kpi", "KPI", _UC, "the name of the use case's business metric",
           ("kpi name", "key metric", "success metric", "primary kpi")),
    Column("kpi_unit", "KPI unit", _UC, "the KPI's unit", ("kpi units",)),
    Column("kpi_direction", "KPI direction", _UC, "higher or lower (is better)"),
    Column("kpi_baseline", "KPI baseline", _UC, "number"),
    Column("kpi_target", "KPI target", _UC, "number", ("kpi goal",)),
    Column("kpi_latest", "KPI latest value", _UC, "number: becomes a reading",
           ("kpi actual", "kpi current", "kpi latest", "kpi value")),
    Column("kpi_as_of", "KPI measured on", _UC, _DATES, ("kpi date", "kpi as of")),
)  # fmt: skip
# Read in a register without a Record column (one row per use case): the metric columns
# describe the use case's KPI.
WIDE = {"metric": "kpi", "unit": "kpi_unit", "direction": "kpi_direction",
        "baseline": "kpi_baseline", "target": "kpi_target", "value": "kpi_latest",
        "measured": "kpi_as_of"}  # fmt: skip
BY_KEY = {column.key: column for column in (*COLUMNS, *REGISTER_COLUMNS)}
HEADERS = tuple(column.header for column in COLUMNS)


@lru_cache(maxsize=65536)
def normalise(text) -> str:
    """Lower case, accents dropped, punctuation and runs of spaces folded to one space:
    'Build-cost (EUR)' -> 'build cost eur', 'Référence' -> 'reference'."""
    bare = str(text or "")
    if not bare.isascii():
        bare = unicodedata.normalize("NFKD", bare)
        bare = "".join(ch for ch in bare if not unicodedata.combining(ch))
    return _PUNCTUATION.sub(" ", bare.lower()).strip()


_PUNCTUATION = re.compile(r"[^a-z0-9]+")


_LOOKUP: dict[str, str] = {}
for _column in (*COLUMNS, *REGISTER_COLUMNS):
    for _name in (_column.key, _column.header, *_column.synonyms):
        _LOOKUP.setdefault(normalise(_name), _column.key)
# Units and currencies people add to headers: "Build cost (EUR)", "Autonomy (%)".
_SUFFIXES = re.compile(r"\s+(eur|usd|gbp|chf|in eur|in usd|k|pct|percent|days)$")


# Words that qualify a header without changing what it holds: "Initiative ID" is an ID,
# "Pilot start date" a pilot date.
_TRAILING = re.compile(
    r"\s+(date|on|at|dt|no|nr|number|eur|usd|gbp|chf|k|m|amount|value|yr|pa|p a|per year"
    r"|per annum|yearly|annual|annually)$"
)
_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
SIMILAR = 0.86


@lru_cache(maxsize=4096)
def name_key(header) -> tuple[str | None, str]:
    """The template column a header names, and how it was found: ``"name"`` (a header or
    synonym, ignoring case, punctuation, brackets and a leading qualifier), ``"similar"`` (a
    near spelling), or ``(None, "")``."""
    from difflib import get_close_matches

    name = normalise(header)
    if not name:
        return None, ""
    candidates = [name, _SUFFIXES.sub("", name), normalise(_BRACKETS.sub(" ", str(header)))]
    candidates.append(_TRAILING.sub("", candidates[-1]))
    for candidate in candidates:
        if candidate in _LOOKUP:
            return _LOOKUP[candidate], "name"
    words = candidates[-1].split()
    for start in range(1, len(words)):
        tail = " ".join(words[start:])
        if tail in _LOOKUP and len(tail) > 1:
            return _LOOKUP[tail], "name"
    close = get_close_matches(candidates[-1], list(_LOOKUP), n=1, cutoff=SIMILAR)
    if close:
        return _LOOKUP[close[0]], "similar"
    return None, ""


@dataclass(frozen=True)
class HeaderMatch:
    position: int
    header: str
    key: str | None


def match_headers(headers) -> list[HeaderMatch]:
    """Map each header of the file to a template column (``None``: ignored)."""
    matches, taken = [], set()
    for position, header in enumerate(headers):
        name = normalise(header)
        key = _LOOKUP.get(name) or _LOOKUP.get(_SUFFIXES.sub("", name))
        if key in taken:
            key = None
        elif key:
            taken.add(key)
        matches.append(HeaderMatch(position, "" if header is None else str(header), key))
    return matches


def duplicate_headers(headers) -> list[tuple[str, str]]:
    """Pairs of headers that name the same template column (the second would be ignored)."""
    seen, clashes = {}, []
    for header in headers:
        name = normalise(header)
        key = _LOOKUP.get(name) or _LOOKUP.get(_SUFFIXES.sub("", name))
        if key is None:
            continue
        if key in seen:
            clashes.append((seen[key], str(header)))
        else:
            seen[key] = str(header)
    return clashes


def record_of(value) -> str | None:
    """The record a ``Record`` cell names, tolerant of case and synonyms; blank: a use case."""
    name = normalise(value)
    if not name:
        return USE_CASE
    for record, names in RECORD_SYNONYMS.items():
        if name in names or name.rstrip("s") in names:
            return record
    return None
