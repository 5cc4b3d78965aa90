"""Writes the .xlsx and .csv registers of this folder (run: python make_registers.py).

The files are shaped like the registers PMOs keep (see NOTES.md); the records each one must
give are written by hand in expected.json, not by running the importer.
"""

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def _sheet(book, title, rows, *, first=True):
    sheet = book.active if first else book.create_sheet(title)
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return sheet


def title_rows():
    book = Workbook()
    sheet = _sheet(book, "Register", [
        ["Acme Insurance - AI Initiative Register FY2025"],
        ["Owner: PMO. Last updated 30 June 2025"],
        [],
        ["Initiative ID", "Initiative Name", "Business Unit", "Business Owner", "Exec Sponsor",
         "Submission Date", "Pilot Start", "Go-Live", "Status", "Est. Annual Benefit",
         "Build Cost"],
        ["AI-001", "Claims triage assistant", "Claims", "Priya Natarajan (Head of Claims Ops)",
         "Dana Whitfield (COO)", "2024-01-15", "2024-03-01", "2024-09-02", "Live", "$75,000",
         "$40,000"],
        ["AI-002", "Invoice matching", "Finance", "priya.natarajan@example.com",
         "Marco Rossi (CFO)", "2024-02-05", "2024-04-15", "N/A", "Pilot", "$120,000",
         "$55,000"],
        ["AI-003", "Email routing", "Operations", "Li Wei", "Dana Whitfield (COO)",
         "2024-05-20", "TBD", None, "Submitted", "TBD", "$12,500"],
    ])  # fmt: skip
    sheet.merge_cells("A1:K1")
    book.save(HERE / "01-title-rows.xlsx")


def several_tabs():
    book = Workbook()
    _sheet(book, "Read me", [
        ["How to use this register"],
        ["One row per initiative. Keep the IDs stable."],
        ["Ask the PMO before adding columns."],
    ])  # fmt: skip
    headers = ["Ref", "Use case", "Department", "Owner", "Sponsor", "Submitted", "Pilot",
               "Production"]  # fmt: skip
    _sheet(book, "Register", [
        headers,
        ["UC-10", "Fraud signals", "Claims", "Priya Natarajan", "Dana Whitfield",
         "2024-06-03", "2024-07-01", "2024-12-02"],
        ["UC-11", "Cash forecast", "Finance", "Li Wei", "Marco Rossi", "2024-06-10", None,
         None],
    ], first=False)  # fmt: skip
    _sheet(book, "Lists", [["Department", "Status"], ["Claims", "Live"], ["Finance", "Pilot"]],
           first=False)  # fmt: skip
    archive = _sheet(book, "Archive 2023", [
        headers,
        ["UC-01", "Old chatbot", "Claims", "Li Wei", "Dana Whitfield", "2023-01-09", None, None],
    ], first=False)  # fmt: skip
    archive.sheet_state = "hidden"
    book.active = 0  # saved with the instructions open
    book.save(HERE / "02-several-tabs.xlsx")


def merged_kpi():
    book = Workbook()
    sheet = _sheet(book, "Initiatives", [
        ["Initiative", None, None, None, None, "KPI", None, None, None, None, None, None,
         None],
        ["ID", "Name", "Business Unit", "Owner", "Sponsor", "Name", "Unit", "Baseline",
         "Target", "Latest", "As of", "Submitted", "Pilot start"],
        ["K-01", "Claims triage", "Claims", "Priya Natarajan", "Dana Whitfield",
         "Handling time", "min", 42, 30, 36.5, date(2025, 3, 31), "2024-01-15", "2024-03-01"],
        ["K-02", "Collections nudges", "Finance", "Li Wei", "Marco Rossi", "Recovered cash",
         "EUR", "€1.2m", "€1.5m", "€1.31m", "2025-02-28", "2024-02-01", None],
        ["K-03", "Document OCR", "Operations", "José Álvarez", "Dana Whitfield", None, None,
         None, None, None, None, "2024-04-01", None],
    ])  # fmt: skip
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("F1:K1")
    book.save(HERE / "03-merged-kpi.xlsx")


def hidden_and_formulas():
    book = Workbook()
    sheet = _sheet(book, "Portfolio", [
        ["Reference", "Title", "Department", "Owner", "Sponsor", "Submitted", "Build cost",
         "Run cost / yr", "Expected benefit", "Net benefit", "Internal score", "Autonomy %",
         "Comments"],
        ["H-1", "Claims chatbot", "Claims", "Li Wei", "Dana Whitfield", "2024-03-04", 30000,
         5000, 90000, "=I2-G2-H2", 7, 0.3, "N/A"],
        ["H-2", "Spend analytics", "Finance", "Priya Natarajan", "Marco Rossi", "2024-04-08",
         "45,000", "TBD", "60 000 EUR", "=I3-G3-H3", 4, "45%", "Waiting for data"],
        ["H-3", "Shift planner", "Operations", "José Álvarez", "Dana Whitfield", "N/A", 15000,
         2000, 30000, "=I4-G4-H4", 9, "-", None],
    ])  # fmt: skip
    sheet["L2"].number_format = "0%"
    sheet.column_dimensions["K"].hidden = True
    sheet.row_dimensions[3].hidden = True
    book.save(HERE / "04-hidden-formulas.xlsx")


def date_formats():
    book = Workbook()
    _sheet(book, "Pipeline", [
        ["ID", "Title", "Dept", "Owner", "Sponsor", "Date submitted", "Pilot date",
         "Scaled on", "Killed", "Kill reason", "Lessons learned", "Root cause"],
        ["D-1", "Quote assistant", "Claims", "Li Wei", "Dana Whitfield", datetime(2024, 2, 12),
         "2024-04-02", "3 Sep 2024", None, None, None, None],
        ["D-2", "Payment fraud model", "Finance", "Priya Natarajan", "Marco Rossi",
         "15/03/2024", date(2024, 5, 6), None, "28/10/2024", "No adoption",
         "Analysts kept their own rules; plan the switch-over before the pilot.", "Adoption"],
        ["D-3", "Rota optimiser", "Operations", "José Álvarez", "Dana Whitfield", "3 Jun 2024",
         "19/07/2024", None, None, None, None, None],
    ])  # fmt: skip
    book.save(HERE / "05-date-formats.xlsx")


def cp1252_semicolons():
    lines = [
        "Registre IA - export du 1er juillet 2025;;;;;;;;",
        "Reference;Use case;Department;Owner;Sponsor;Submitted;Expected benefit;Build cost;Notes",
        "CP-1;Prévision de trésorerie;Finance;José Álvarez;Marco Rossi (CFO);12/02/2024;€1.2m;"
        "75 000 EUR;Café budget",
        "CP-2;Contrôle qualité;Operations;Zoe Bronte;Dana Whitfield (COO);26/03/2024;€250k;"
        "€ 80.000;",
    ]
    (HERE / "06-cp1252-semicolons.csv").write_bytes("\r\n".join(lines).encode("cp1252"))


def ambiguous_dates():
    lines = [
        "Reference,Title,Department,Owner,Sponsor,Submitted,Pilot",
        "AM-1,Contract review,Finance,Li Wei,Marco Rossi,03/04/2025,05/06/2025",
        "AM-2,Call summaries,Operations,Li Wei,Dana Whitfield,02/01/2025,",
    ]
    (HERE / "07-ambiguous-dates.csv").write_bytes("\r\n".join(lines).encode("utf-8"))


def people_and_rules():
    book = Workbook()
    _sheet(book, "Register", [
        ["Reference", "Title", "Department", "Owner", "Sponsor", "Submitted",
         "Prohibited practice"],
        ["PR-1", "Badge analytics", "Operations", "Whitfield, Dana", "Li Wei (Analyst)",
         "2024-05-02", "no"],
        ["PR-2", "Emotion scoring of staff", "Operations", "li.wei@example.com",
         "Dana Whitfield - COO", "2024-06-03", "yes"],
        ["PR-3", "Vendor Q&A", "Finance", "Sam Okafor (Procurement)", "Marco Rossi",
         "2024-07-01", "no"],
    ])  # fmt: skip
    book.save(HERE / "08-people-and-rules.xlsx")


if __name__ == "__main__":
    for make in (title_rows, several_tabs, merged_kpi, hidden_and_formulas, date_formats,
                 cp1252_semicolons, ambiguous_dates, people_and_rules):  # fmt: skip
        make()
