"""The resolve-by dates of open questions as an iCalendar file (RFC 5545), for reminders.

One all-day ``VEVENT`` per open question on its resolve-by date: ``UID`` ``<id>@forethought``
(stable, so a calendar re-importing the file updates instead of duplicating), ``SUMMARY``
"Resolve: <title>", ``DESCRIPTION`` the criteria and the command that resolves it,
``CATEGORIES`` its tags, ``DTSTAMP`` when the question was recorded (so the file is
deterministic). Lines end in CRLF and are folded at 75 octets.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from datetime import UTC, timedelta

from forethought.domain.records import Question

PRODID = "-//forethought//forethought//EN"


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Split ``line`` into CRLF-joined pieces of at most 75 octets, never inside a character."""
    out: list[str] = []
    piece: list[str] = []
    size, limit = 0, 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append("".join(piece))
            piece, size, limit = [" "], 1, 75
        piece.append(ch)
        size += n
    out.append("".join(piece))
    return "\r\n".join(out) + "\r\n"


def _event(q: Question) -> list[str]:
    start = q.resolve_by
    stamp = q.recorded_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    # quoted as a shell needs them: an option "New York" is one argument, and no "|"
    outcomes = ", ".join(shlex.quote(o) for o in q.outcomes)
    description = "\n\n".join(x for x in (
        q.criteria, f"Resolve it with: forethought resolve {shlex.quote(q.id)} OUTCOME, where "
                    f"OUTCOME is one of: {outcomes}") if x)
    lines = ["BEGIN:VEVENT", f"UID:{q.id}@forethought", f"DTSTAMP:{stamp}",
             f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
             f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}",
             f"SUMMARY:{_escape('Resolve: ' + q.title)}",
             f"DESCRIPTION:{_escape(description)}"]
    if q.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(t) for t in sorted(q.tags)))
    lines.append("TRANSP:TRANSPARENT")
    lines.append("END:VEVENT")
    return lines


def calendar(questions: Iterable[Question]) -> str:
    """The calendar text for ``questions`` (the caller passes the open ones), sorted by date."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:forethought: questions to resolve"]
    for q in sorted(questions, key=lambda q: (q.resolve_by, q.id)):
        lines += _event(q)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) for line in lines)
