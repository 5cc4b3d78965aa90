"""An evidence pack as CSV (safe to open in a spreadsheet), HTML and PDF (WeasyPrint, from
the same template as the page)."""

import csv
import io

from django.template.loader import render_to_string

from compliance.evidence_pack import Pack
from core.api.csv import csv_safe

COLUMNS = [
    "framework",
    "reference",
    "title",
    "evidenced_by",
    "evidence",
    "links",
    "dates",
    "evidence_itself",
    "gap",
]


def safe_cell(value) -> str:
    """A cell that would start a formula in a spreadsheet is neutralised with a quote (core's
    csv_safe, the one rule of every export)."""
    return csv_safe("" if value is None else str(value))


def pack_csv(pack: Pack) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in pack.rows:
        writer.writerow(
            safe_cell(value)
            for value in (
                pack.framework_label,
                row.reference,
                row.title,
                row.evidence_label,
                " | ".join(item.label for item in row.items),
                " | ".join(item.link for item in row.items if item.link),
                " | ".join(f"{item.at:%Y-%m-%d}" for item in row.items if item.at),
                " | ".join(line for item in row.items for line in item.evidence),
                row.gap,
            )
        )
    return buffer.getvalue()


def pack_filename(pack: Pack, extension: str) -> str:
    return f"evidence-pack-{pack.framework}-use-case-{pack.use_case_id}.{extension}"


def pack_html(pack: Pack, *, standalone: bool = False, request=None) -> str:
    return render_to_string(
        "compliance/evidence_pack_document.html",
        {"pack": pack, "standalone": standalone},
        request=request,
    )


def pack_pdf(pack: Pack, *, base_url: str = "") -> bytes:
    from weasyprint import HTML  # imported late: Pango loads only when a PDF is asked for

    return HTML(string=pack_html(pack, standalone=True), base_url=base_url or None).write_pdf()
