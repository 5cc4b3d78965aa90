"""A clean register, messed up the ways PMOs' registers are (title rows, other header names,
owners with titles or as 'Last, First', dates and money in other notations, 'N/A' and 'TBD',
an extra comments column, another file format), reads into the same records."""

import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from inventory.dry_run import plan_build
from inventory.files import read_table
from inventory.plan import ImportOptions

# The clean register: reference, title, department, owner (user name), sponsor (user name),
# submitted, pilot (or None), expected benefit per year (whole thousands).
CLEAN = [
    ("P-1", "Claims triage", "Claims", "pnatarajan", "dwhitfield", date(2024, 1, 15),
     date(2024, 3, 14), 75000),
    ("P-2", "Invoice matching", "Finance", "lwei", "mrossi", date(2024, 2, 20), None, 120000),
    ("P-3", "Rota optimiser", "Operations", "jalvarez", "dwhitfield", date(2024, 5, 27),
     date(2024, 7, 19), 30000),
]  # fmt: skip
NAMES = {"pnatarajan": ("Priya", "Natarajan", "priya.natarajan@example.com"),
         "lwei": ("Li", "Wei", "li.wei@example.com"),
         "jalvarez": ("José", "Álvarez", "jose.alvarez@example.com"),
         "dwhitfield": ("Dana", "Whitfield", "dana.whitfield@example.com"),
         "mrossi": ("Marco", "Rossi", "marco.rossi@example.com")}  # fmt: skip
HEADERS = {
    "reference": ["Reference", "Initiative ID", "Ref", "Use case ID", "ID"],
    "title": ["Title", "Initiative Name", "Use case name", "Project"],
    "department": ["Department", "Business Unit", "Dept.", "Division"],
    "owner": ["Outcome owner", "Business Owner", "Owner", "Accountable owner"],
    "sponsor": ["Sponsor", "Exec Sponsor", "Executive sponsor"],
    "submitted": ["Submitted", "Submission Date", "Intake date", "Date submitted"],
    "pilot": ["Pilot", "Pilot Start", "Pilot start date", "Entered pilot"],
    "benefit": ["Expected benefit", "Est. Annual Benefit", "Annual benefit (EUR)", "Benefit"],
}
PERSON = ["username", "email", "name", "name_title", "last_first", "upper_name"]
DATE = ["cell", "iso", "wordy", "dmy"]
MONEY = ["number", "dollars", "spaced_eur", "k"]
EMPTY = ["", "N/A", "TBD", "-"]


def person(username, style, title):
    first, last, email = NAMES[username]
    return {"username": username, "email": email, "name": f"{first} {last}",
            "name_title": f"{first} {last} ({title})", "last_first": f"{last}, {first}",
            "upper_name": f"{first} {last}".upper()}[style]  # fmt: skip


def when(day, style, xlsx):
    if style == "cell" and xlsx:
        return day
    if style == "wordy":
        return f"{day.day} {day:%b} {day.year}"
    if style == "dmy":
        return f"{day:%d/%m/%Y}"
    return day.isoformat()


def money(amount, style):
    return {"number": amount, "dollars": f"${amount:,}", "spaced_eur": f"{amount:,} EUR".replace(
        ",", " "), "k": f"€{amount // 1000}k"}[style]  # fmt: skip


@st.composite
def messy(draw):
    fmt = draw(st.sampled_from(["xlsx", "csv", "cp1252"]))
    xlsx = fmt == "xlsx"
    headers = {key: draw(st.sampled_from(names)) for key, names in HEADERS.items()}
    order = draw(st.permutations(list(HEADERS)))
    comments = draw(st.booleans())
    rows = []
    for ref, title, dept, owner, sponsor, submitted, pilot, benefit in CLEAN:
        values = {
            "reference": ref, "title": title, "department": dept,
            "owner": person(owner, draw(st.sampled_from(PERSON)), "Head of Ops"),
            "sponsor": person(sponsor, draw(st.sampled_from(PERSON)), "COO"),
            "submitted": when(submitted, draw(st.sampled_from(DATE)), xlsx),
            "pilot": when(pilot, draw(st.sampled_from(DATE)), xlsx) if pilot
            else draw(st.sampled_from(EMPTY)),
            "benefit": money(benefit, draw(st.sampled_from(MONEY))),
        }  # fmt: skip
        row = [values[key] for key in order]
        if comments:
            row.append(draw(st.sampled_from(["N/A", "see deck", ""])))
        rows.append(row)
    header = [headers[key] for key in order] + (["Comments"] if comments else [])
    titles = [[draw(st.sampled_from(["AI register", "Last updated 2025-06-30", "Owner: PMO"]))]
              for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    if titles and draw(st.booleans()):
        titles.append([])
    return fmt, [*titles, header, *rows]


def write(fmt, grid) -> tuple[bytes, str]:
    if fmt == "xlsx":
        book = Workbook()
        for row in grid:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue(), "register.xlsx"
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";" if fmt == "cp1252" else ",", lineterminator="\r\n")
    for row in grid:
        writer.writerow(["" if v is None else v for v in row])
    encoding = "cp1252" if fmt == "cp1252" else "utf-8"
    return text.getvalue().encode(encoding), "register.csv"


def records(content: bytes, filename: str) -> list:
    """What the dry run would create: each use case's fields and dated moves."""
    plan = plan_build(
        table=read_table(content, filename), source_file=filename, options=ImportOptions()
    )
    assert [e.message for e in plan.errors] == []
    return [
        (new.reference, new.fields.get("title"), new.department.name,
         new.fields["outcome_owner"].username, new.fields["sponsor"].username,
         new.fields["expected_benefit_yearly"],
         [(m.transition, m.at.date()) for m in new.moves])
        for new in sorted(plan.new_use_cases, key=lambda n: n.reference)
    ]  # fmt: skip


def clean_records() -> list:
    return [
        (ref, title, dept, owner, sponsor, benefit,
         [("submit", submitted)] + ([("advance_to_pilot", pilot)] if pilot else []))
        for ref, title, dept, owner, sponsor, submitted, pilot, benefit in CLEAN
    ]  # fmt: skip


def test_the_clean_register_reads_into_its_records(cast):
    grid = [["Reference", "Title", "Department", "Outcome owner", "Sponsor", "Submitted", "Pilot",
             "Expected benefit"]]  # fmt: skip
    grid += [[ref, t, d, o, s, sub.isoformat(), p.isoformat() if p else "", b]
             for ref, t, d, o, s, sub, p, b in CLEAN]  # fmt: skip
    assert records(*write("csv", grid)) == clean_records()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(register=messy())
def test_a_messed_up_register_reads_into_the_same_records(cast, register):
    fmt, grid = register
    assert records(*write(fmt, grid)) == clean_records()
