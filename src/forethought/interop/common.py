"""What every reader produces and the helpers they share.

A reader turns a file into a stream of :class:`QuestionBundle` (a question with its forecasts and
resolutions) and :class:`ClaimsBundle`, built from the inputs every writer uses
(``NewQuestion``, ``NewForecast``…), never touching storage. Readers stream: they hold one
question (or one chunk of rows) at a time, except where a format forces a whole-file read (a
single JSON document).

Bad input stops the reader with :class:`~forethought.errors.ImportRejected` naming the file, the
line or row, the field and the value; nothing has been written at that point, and the service's
single transaction rolls back anything written for earlier bundles.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic import ValidationError

from forethought.domain.ids import slugify
from forethought.domain.inputs import (
    NewClaim,
    NewClaimGrade,
    NewClaimStatus,
    NewForecast,
    NewQuestion,
    NewResolution,
    NewSource,
    problem,
)
from forethought.errors import ImportRejected

T = TypeVar("T")

MAX_LINE = 64 * 2**20          # a longer line is not a forethought or platform file
MAX_DOCUMENT = 512 * 2**20     # single-document JSON formats are read whole
NOTHING = "nothing was imported"


def new(model: type[T], where: str, **fields: Any) -> T:
    """``model(**fields)`` (a ``NewQuestion``, ``NewForecast``…), refused as an import naming
    ``where``, the field and the value when it does not validate."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise ImportRejected(f"{where}: {problem(exc)}; {NOTHING}") from None


@dataclass
class QuestionBundle:
    """A question with its forecasts and resolutions, as one file states them.

    ``history``: the resolutions are the question's whole history (JSONL, records), so the
    database's history must be a prefix of them; otherwise they are the current state only
    (platforms, CSV), and a resolved question must match the database's latest resolution.
    ``where``: the file and line (or row) that stated the question, for messages.
    ``progress``: how far through its input the reader was after this bundle (units of
    ``Reader.total``). ``extra``: what a format carries beyond the records (a platform's own
    scores, for the comparisons). ``more``: the rest of the forecasts of a question an earlier
    bundle gave (a file that lists them in two places); its question is compared, its
    resolutions were handled with the earlier bundle.
    """

    question: NewQuestion
    forecasts: list[NewForecast] = field(default_factory=list)
    resolutions: list[NewResolution] = field(default_factory=list)
    history: bool = False
    where: str = ""
    progress: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    more: bool = False

    @property
    def id(self) -> str:
        return self.question.id


@dataclass
class ClaimsBundle:
    """A source (or none) with its claims and their grade and status histories, as one file
    states them (a records claims file, a JSONL claims line)."""

    source: NewSource | None
    claims: list[tuple[NewClaim, list[NewClaimGrade], list[NewClaimStatus]]]
    where: str = ""
    progress: int = 0


class Reader:
    """Base of the readers: iterate for bundles; afterwards ``skipped`` (reason → count) says
    what was left out and why, ``notes`` (message → count) what was adjusted on the way in, and
    ``lossy`` what the format cannot carry."""

    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.skipped: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()
        self.lossy: str | None = None
        self.total = 0

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError

    def reject(self, where: str, message: str) -> ImportRejected:
        return ImportRejected(f"{self.path}{where}: {message}; {NOTHING}")


# ---- reading files -------------------------------------------------------------------------

class Lines:
    """The lines of a text file, decoded as UTF-8 one at a time (so a wrong encoding names its
    line), with a byte count for progress and a cap on line length (so 200 MB without a
    newline is refused after reading 64 MB, not loaded)."""

    def __init__(self, path: Path | str, what: str, max_line: int = MAX_LINE,
                 opener: Callable[[], IO[bytes]] | None = None, size: int = 0) -> None:
        """``opener``/``size``: read a member of an archive instead (``path`` names it)."""
        self.path, self.what, self.max_line = path, what, max_line
        self.number = 0
        self.position = 0
        self.opener = opener
        self.total = size
        if opener is None:
            try:
                self.total = Path(path).stat().st_size
            except OSError as exc:
                raise ImportRejected(f"{path}: cannot read it ({exc.strerror})") from None

    def _open(self) -> IO[bytes]:
        return self.opener() if self.opener is not None else Path(self.path).open("rb")

    def __iter__(self) -> Iterator[str]:
        with self._open() as fh:
            while True:
                raw = fh.readline(self.max_line + 1)
                if not raw:
                    return
                self.number += 1
                self.position += len(raw)
                if len(raw) > self.max_line:
                    raise ImportRejected(
                        f"{self.path}, line {self.number}: longer than "
                        f"{self.max_line // 2**20} MB; this is not a {self.what} file; {NOTHING}")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise ImportRejected(
                        f"{self.path}, line {self.number}: not UTF-8 text (byte 0x"
                        f"{raw[exc.start]:02x} at column {exc.start + 1}); save the file as "
                        f"UTF-8 and import it again; {NOTHING}") from None
                if self.number == 1 and text.startswith("\ufeff"):
                    text = text[1:]
                yield text


def load_document(path: Path, what: str) -> Any:
    """A whole-file JSON document (PredictionBook's API answer, ForecastBench's sets), refused
    cheaply when it is too large or does not start like JSON."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ImportRejected(f"{path}: cannot read it ({exc.strerror})") from None
    if not head.startswith((b"{", b"[")):
        raise ImportRejected(f"{path}, line 1: does not start with '{{'; this is not a {what} "
                             f"(JSON) file; {NOTHING}")
    if size > MAX_DOCUMENT:
        raise ImportRejected(f"{path}: {size // 2**20} MB is more than a {what} file can be "
                             f"({MAX_DOCUMENT // 2**20} MB); {NOTHING}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ImportRejected(f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x})"
                             f"; save the file as UTF-8; {NOTHING}") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except DuplicateKey as exc:
        raise ImportRejected(f"{path}, line {duplicate_line(text)}: the object "
                             f"starting here gives the key {exc.key!r} twice; keep one; "
                             f"{NOTHING}") from None
    except RecursionError:
        raise ImportRejected(f"{path}: the JSON is nested too deeply for a {what} file; "
                             f"{NOTHING}") from None
    except json.JSONDecodeError as exc:
        raise ImportRejected(f"{path}, line {exc.lineno}, column {exc.colno}: not valid JSON "
                             f"({exc.msg}); is the file complete? {NOTHING}") from None


class DuplicateKey(ValueError):
    """A JSON object gives ``key`` twice (``json`` would keep the last one silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"the key {key[:80]!r} appears twice in one object")
        self.key = key[:80]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def duplicate_line(text: str) -> int:
    """The line where the first object of ``text`` that gives a key twice starts: found
    again with the pure-Python decoder, which knows where each object starts (run only after
    a refusal, so a good file is read at the C decoder's speed)."""
    from json import decoder, scanner

    found: list[int] = []

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        try:
            return decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
        except DuplicateKey:
            if not found:
                found.append(s_and_end[0].count("\n", 0, s_and_end[1]) + 1)
            raise

    class Locating(json.JSONDecoder):
        def __init__(self) -> None:
            super().__init__(object_pairs_hook=_no_duplicates)
            self.parse_object = parse_object
            self.scan_once = scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    try:
        Locating().decode(text)
    except DuplicateKey:
        pass
    return found[0] if found else 1


# ---- values --------------------------------------------------------------------------------

_TIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?"
    r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)


def parse_time(value: str, where: str, field_name: str) -> datetime:
    """A moment as platforms write it: ISO 8601 with ``T`` or a space, any of hours, minutes and
    seconds without their leading zero (Fatebook writes ``14:07:9``), an optional fraction and
    an optional offset. Without an offset it is UTC."""
    moment = _moment(value.strip())
    if isinstance(moment, datetime):
        return moment
    raise ImportRejected(f"{where}: field {field_name!r}: {moment.format(value=value)}; "
                         f"{NOTHING}")


@functools.lru_cache(maxsize=2**14)
def _moment(text: str) -> datetime | str:
    """``text`` as a UTC moment, or why it is not one (a template with ``{value}``). Cached:
    a platform's file repeats its question times on every row."""
    padded = len(text) >= 19 and text[10] in "T " and text[16] == ":"
    if padded and (text[-1:].isdigit() or text.endswith("Z")):
        try:  # the common, zero-padded forms: no regular expression needed
            out = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            out = out.replace(tzinfo=UTC) if out.tzinfo is None else out.astimezone(UTC)
            return out if out.year >= 1900 else "{value!r} is before 1900"
    m = _TIME.match(text)
    if not m:
        return ("cannot read {value!r} as a date and time; expected YYYY-MM-DD HH:MM:SS (UTC) "
                "or ISO 8601")
    y, mo, d, h, mi, s, frac, tz = m.groups()
    try:
        out = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                       int((frac or "0")[:6].ljust(6, "0")), tzinfo=UTC)
    except ValueError as exc:
        reason = str(exc).replace("{", "{{").replace("}", "}}")
        return "{value!r} is not a real date or time (" + reason + ")"
    if tz and tz.upper() not in ("Z", "UTC"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        out -= timedelta(minutes=sign * (int(digits[:2]) * 60 + int(digits[2:])))
    if out.year < 1900:
        return "{value!r} is before 1900"
    return out


def parse_number(value: Any, where: str, field_name: str, *, top: float = 1.0) -> float:
    """A probability written as a number on a 0–``top`` scale, returned on 0–1."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise ImportRejected(f"{where}: field {field_name!r}: {text!r} is not a number; write "
                             f"it as a number from 0 to {top:g}; {NOTHING}") from None
    if math.isnan(number) or not 0 <= number <= top:
        raise ImportRejected(f"{where}: field {field_name!r}: {text} is outside 0–{top:g}; "
                             f"{NOTHING}")
    return number / top if top != 1 else number


def parse_float(value: Any, where: str, field_name: str) -> float:
    """Any finite number (a score)."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ImportRejected(f"{where}: field {field_name!r}: {text!r} is not a number; "
                             f"{NOTHING}")
    return number


def clean(text: Any) -> str | None:
    """Empty and whitespace-only text is no text."""
    if text is None:
        return None
    text = str(text).strip()
    return text or None


def stable_id(prefix: str, title: str, created: str) -> str:
    """An id for a platform question that has none, stable across exports:
    ``<prefix>-<slug of the title>-<8 hex of sha256(title, created at)>``."""
    digest = hashlib.sha256(f"{title}\n{created}".encode()).hexdigest()[:8]
    return f"{prefix}-{slugify(title, 40)}-{digest}"


def platform_id(prefix: str, raw: Any) -> str:
    """An id from a platform's own id. Ids that are not already slugs (upper case, other
    characters) get a short hash of the original, so distinct ids never collide."""
    text = str(raw).strip()
    slug = slugify(text, 80)
    if slug != text:
        slug = f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"
    return f"{prefix}-{slug}"


def forecaster_name(platform: str, name: str, me: str | None, as_me: str | None) -> str:
    """``<platform>:<name>``, or the workspace's forecaster (``as_me``) for the user who said
    ``--me name``."""
    if me is not None and as_me is not None and name == me:
        return as_me
    return f"{platform}:{name}"


class CsvRows:
    """The rows of a CSV file with a header, streamed: ``(line, {column: value})``.

    Platforms change their exports without notice, so a file is read as it is, and what was
    tolerated is written to ``notes`` (the reader's, message → count):

    * columns may come in any order; ``aliases`` maps a column's earlier name to the current
      one (Fatebook's ``Question resolution`` → ``Resolution``);
    * the header must hold every column in ``required``; ``used`` are columns read when present
      (absent ones read as empty, noted); ``known`` are documented columns forethought does not
      read; any other column is new to forethought, noted and not read;
    * a row may end before the header does (Metaculus writes 18 fields under a 19-column header
      when a question is unresolved) if the columns it leaves out are ones forethought does not
      read; a row that leaves out a column forethought reads is refused, since reading it as
      empty would invent a value;
    * a row may carry empty fields past the header's end (a trailing comma); extra fields that
      hold values belong to no column (a comma inside an unquoted value?) and are refused.

    ``position`` is the bytes read so far (for progress).
    """

    def __init__(self, path: Path | str, what: str, required: Sequence[str],
                 opener: Callable[[], IO[bytes]] | None = None, size: int = 0, *,
                 used: Sequence[str] = (), known: Sequence[str] = (),
                 aliases: dict[str, str] | None = None,
                 notes: Counter[str] | None = None, unprotect: bool = False) -> None:
        """``unprotect``: undo forethought's spreadsheet protection on every cell (see
        :func:`from_spreadsheet`), for the formats its exports write."""
        self.path, self.what, self.required = path, what, tuple(required)
        self.used, self.known = tuple(used), tuple(known)
        self.aliases = aliases or {}
        self.notes: Counter[str] = notes if notes is not None else Counter()
        self.unprotect = unprotect
        self.lines = Lines(path, what, opener=opener, size=size)
        self.total = self.lines.total
        self.header: list[str] = []
        self.file = re.split(r"[/\\:]", str(path))[-1]  # "export.zip:a/forecast_data.csv"

    @property
    def position(self) -> int:
        return self.lines.position

    def _read_header(self, header: list[str]) -> list[str]:
        path, wanted = self.path, (*self.required, *self.used)
        names = [h.strip() for h in header]
        renamed = []
        for i, name in enumerate(names):
            current = self.aliases.get(name)
            if current is not None and current not in names:
                names[i] = current
                renamed.append(f"{name!r} as {current!r}")
        if renamed:
            self.notes[f"{self.file}: read column {', '.join(renamed)}"] += 1
        for column in self.required:
            if column not in names:
                shown = ", ".join(repr(h) for h in names[:20])
                raise ImportRejected(
                    f"{path}, line 1: column {column!r} is missing (the header has {shown}); "
                    f"is this a {self.what} file? {NOTHING}")
        twice = sorted({n for n in names if names.count(n) > 1 and n in wanted})
        if twice:
            raise ImportRejected(f"{path}, line 1: column {twice[0]!r} appears twice in the "
                                 f"header, so its values are ambiguous; {NOTHING}")
        absent = [c for c in self.used if c not in names]
        if absent:
            self.notes[f"{self.file} has no column {', '.join(map(repr, absent))} (an older "
                       "export?): read as empty"] += 1
        new_columns = [n for n in dict.fromkeys(names) if n and n not in wanted
                       and n not in self.known]
        if new_columns:
            self.notes[f"{self.file}: column(s) {', '.join(map(repr, new_columns))} are new "
                       "to forethought and were not read"] += 1
        return names

    def _fit(self, row: list[str], line: int) -> list[str]:
        """``row`` as long as the header, or refused (see the class docstring)."""
        width = len(self.header)
        if len(row) > width:
            extra = [v for v in row[width:] if v.strip()]
            if extra:
                raise ImportRejected(
                    f"{self.path}, line {line}: {len(row)} fields where the header has "
                    f"{width}; the extra value {extra[0][:40]!r} belongs to no column (a comma "
                    f"inside a value that is not quoted?); {NOTHING}")
            self.notes[f"rows of {self.file} with empty fields past the header's last "
                        "column (ignored)"] += 1
            return row[:width]
        missing = self.header[len(row):]
        read = [c for c in missing if c in self.required or c in self.used]
        if read:
            raise ImportRejected(
                f"{self.path}, line {line}: {len(row)} fields where the header has {width}; "
                f"the row ends before column {read[0]!r}, which forethought reads, so reading "
                f"it as empty would invent a value; is the file complete? {NOTHING}")
        self.notes[f"rows of {self.file} end before the header's last column(s) "
                    f"{', '.join(map(repr, missing))}, which forethought does not read "
                    f"({len(row)} of {width} fields)"] += 1
        return row + [""] * len(missing)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(self.lines)
        path = self.path
        try:
            header = next(reader)
        except StopIteration:
            raise ImportRejected(f"{path}: the file is empty; {NOTHING}") from None
        except csv.Error as exc:
            raise ImportRejected(f"{path}, line 1: not a CSV header ({exc}); {NOTHING}") from None
        self.header = header = self._read_header(header)
        width = len(header)
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportRejected(f"{path}, line {reader.line_num}: not valid CSV ({exc}); "
                                     f"{NOTHING}") from None
            line, start = start, reader.line_num + 1
            if not row or row == [""]:
                continue
            if len(row) != width:
                row = self._fit(row, line)
            if self.unprotect:
                row = [from_spreadsheet(cell) for cell in row]
            yield line, dict(zip(header, row, strict=True))


def csv_text(value: Any, for_spreadsheet: bool = True) -> str:
    """A value as a CSV cell: empty for None, repr for floats (exact), text as is — made
    formula-safe (:func:`spreadsheet_safe`) unless ``for_spreadsheet`` is False."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return spreadsheet_safe(str(value)) if for_spreadsheet else str(value)


# A cell a spreadsheet opens as a formula (or a DDE command) starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _quoted(text: str) -> bool:
    """``text`` is a protected cell: a ``'`` before a formula start or another ``'``."""
    return text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'"))


def spreadsheet_safe(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: a leading ``'`` when it starts like a
    formula (``=``, ``+``, ``-``, ``@``, tab, carriage return), or when it would otherwise read
    as a protected cell itself (``'=``, ``''``), which keeps the protection reversible.

    >>> spreadsheet_safe("=1+1"), spreadsheet_safe("'=1+1"), spreadsheet_safe("'Tis")
    ("'=1+1", "''=1+1", "'Tis")
    """
    return "'" + text if text.startswith(FORMULA_STARTS) or _quoted(text) else text


def from_spreadsheet(text: str) -> str:
    """The inverse of :func:`spreadsheet_safe`: the leading ``'`` of a protected cell dropped
    (``'Tis`` stays as it is)."""
    return text[1:] if _quoted(text) else text
