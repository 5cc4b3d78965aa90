"""The import report in words, for the command line and the admin's messages."""

from inventory.template import RECORDS


def finding_line(finding: dict) -> str:
    """One error or refusal as "sheet S, row N, column C: message"."""
    where = f"row {finding['row']}" if finding["row"] else "file"
    if finding.get("sheet") and finding["sheet"] != "CSV":
        where = f"sheet '{finding['sheet']}', {where}"
    column = f", column '{finding['column']}'" if finding["column"] else ""
    return f"{where}{column}: {finding['message']}"


def report_lines(report: dict) -> list[str]:
    """The report as lines a person reads: mapping, counts, errors, refusals, outcome."""
    lines = [
        f"File: {report['file']} ({report.get('format', '?')}, {report.get('encoding') or '-'})"
    ]
    if report.get("sheet"):
        lines.append(
            f"Sheet: {report['sheet']} ({report.get('sheet_how', '')}), headers on row "
            f"{report.get('header_row')}"
        )
        for skipped in report.get("rows_above_header", []):
            lines.append(f"  skipped row {skipped['row']}: {skipped['text']}")
        for sheet in report.get("sheets", []):
            if not sheet["chosen"]:
                lines.append(f"  not read: sheet '{sheet['name']}' ({sheet['cells']} cells)")
    if report.get("mapping"):
        lines.append("Columns:")
        for match in report["mapping"]:
            target = match["template_column"] or "(ignored)"
            samples = ", ".join(match.get("samples", [])[:2])
            how = f" [{match['how']}]" if match.get("how") else ""
            lines.append(
                f"  {match.get('letter', '')} {match['column'] or '(blank)'} -> {target}{how}"
                + (f"   e.g. {samples}" if samples else "")
            )
    for ignored in report.get("ignored", []):
        lines.append(
            f"Ignored: column {ignored['letter']} '{ignored['column']}', "
            f"{ignored['cells']} cell(s) ({ignored['why']})"
        )
    for person in report.get("unmatched_people", []):
        lines.append(f"No such person: {person['name']} (rows {person['rows']})")
    for record in RECORDS:
        counts = report.get("counts", {}).get(record)
        if counts and any(counts.values()):
            lines.append(
                f"{record}: {counts['created']} created, {counts['changed']} changed, "
                f"{counts['unchanged']} unchanged, {counts['error']} with errors"
            )
    for name in ("new_departments", "new_people"):
        if report.get(name):
            lines.append(f"{name.replace('_', ' ').capitalize()}: {', '.join(report[name])}")
    for finding in report["errors"]:
        lines.append(f"ERROR {finding_line(finding)}")
    for finding in report["refused"]:
        lines.append(f"NOT CHANGED {finding_line(finding)}")
    if report["applied"]:
        lines.append("Imported.")
    elif report["errors"]:
        lines.append("Nothing was imported: fix the errors and run again.")
    else:
        lines.append("Dry run: nothing was written. Run without --dry-run to import.")
    return lines
