"""The lines `forethought verify` prints for a verification report, for the integrity page (and
any other front door that shows a report to a person)."""

from __future__ import annotations

from forethought.store.verify import Report


def verify_lines(report: Report) -> list[str]:
    """What was checked, the head, who wrote the entries, the published heads found, every
    mismatch, and the verdict."""
    kinds = ", ".join(f"{name.replace('_', ' ')}: {n}"
                      for name, n in report.rows_by_table.items() if n)
    lines = [f"Checked {report.entries} ledger entries and {report.rows} records"
             + (f" ({kinds})" if kinds else "") + ".",
             f"Head: {report.head_seq} {report.head_hash}"]
    if report.by_author:
        local = report.entries - sum(report.by_author.values())
        lines.append("Written by: " + ", ".join(
            f"{name} {n}" for name, n in sorted(report.by_author.items()))
            + (f"; from the command line {local}" if local else "") + ".")
    for check in report.heads:
        if check.ok:
            lines.append(f"In the chain at entry {check.found_at}: {check.head.label} "
                         f"({check.head}).")
    lines += [f"MISMATCH {p.describe()}" for p in report.problems]
    if report.ok:
        lines.append("OK: every record matches the ledger and the chain is unbroken.")
    else:
        n = len(report.problems)
        lines.append(f"Error: verification failed: {n} problem{'s' if n != 1 else ''}; the "
                     f"first is {report.problems[0].describe()}")
    return lines
