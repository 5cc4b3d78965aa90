"""The import report in words, for the command line and the admin's messages."""

from inventory.template import RECORDS


def finding_line(finding: dict) -> str:
    """One error or refusal as "row N, column C: message"."""
    where = f"row {finding['row']}" if finding["row"] else "file"
    column = f", column '{finding['column']}'" if finding["column"] else ""
    return f"{where}{column}: {finding['message']}"


def report_lines(report: dict) -> list[str]:
    """The report as lines a person reads: mapping, counts, errors, refusals, outcome."""
    lines = [
        f"File: {report['file']} ({report.get('format', '?')}, {report.get('encoding') or '-'})"
    ]
    if report.get("mapping"):
        lines.append("Columns:")
        for match in report["mapping"]:
            target = match["template_column"] or "(ignored)"
            lines.append(f"  {match['column'] or '(blank)'} -> {target}")
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
