"""forethought's lossless interchange: JSON Lines, one object per line.

* A **question line** is exactly a records question document (`interop.records.question_parts`:
  ``format_version``, id, title, type, options, criteria, fine_print, condition, opened_at,
  resolve_by, recorded_at, tags, source, span, claims, ``forecasts`` and ``resolutions``), so
  anything the YAML records hold survives.
* A **claims line** is a records claims document (`interop.records.claims_parts`:
  ``format_version``, ``source``, ``claims`` with their grades and status history). Exports
  write every claims line before the first question line, so the claims a question cites exist
  when it is read.

Writing is deterministic: questions sorted by id, forecasts by (made_at, forecaster,
recorded_at), keys in a fixed order, times as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, no spaces, UTF-8
(DEL, the C1 controls and U+2028/U+2029 written as ``\\uXXXX``, so no line holds a character any
tool reads as a line break).
Reading builds every line into the inputs all writers use (see ``records.py``), so an unknown
field, a key given twice or a wrong type stops the import with the file, the line, the field and
the value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from forethought.domain.records import Claim, Forecast, Question, Resolution, Source
from forethought.interop import records as fmt
from forethought.interop.common import ClaimsBundle, Lines, QuestionBundle, Reader

FORMAT_VERSION = fmt.FORMAT_VERSION


# JSON escapes the C0 controls itself; these it writes raw, and line-oriented tools (Python's
# str.splitlines among them) read them as line breaks, so they are written as \uXXXX
_LINE_BREAKS = {c: f"\\u{c:04x}" for c in (*range(0x7f, 0xa0), 0x2028, 0x2029)}


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).translate(_LINE_BREAKS)


def question_line(q: Question, forecasts: list[Forecast], resolutions: list[Resolution]) -> str:
    return dumps(fmt.question_document(q, forecasts, resolutions)) + "\n"


def claims_line(source: Source | None, claims: list[Claim]) -> str:
    return dumps(fmt.claims_document(source, claims)) + "\n"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


class JsonlReader(Reader):
    """Question and claims lines of a forethought JSONL file, streamed."""

    name = "forethought JSONL"

    def __iter__(self) -> Iterator[QuestionBundle | ClaimsBundle]:
        lines = Lines(self.path, self.name)
        self.total = lines.total
        for text in lines:
            if not text.strip():
                continue
            where = f", line {lines.number}"
            try:
                doc = json.loads(text, object_pairs_hook=_no_duplicates)
            except json.JSONDecodeError as exc:
                raise self.reject(where, f"not valid JSON ({exc.msg} at column {exc.colno})"
                                  ) from None
            except ValueError as exc:
                raise self.reject(where, str(exc)) from None
            except RecursionError:
                raise self.reject(where, "the JSON is nested too deeply") from None
            try:
                if fmt.is_claims_document(doc):
                    source, claims = fmt.claims_parts(doc)
                    yield ClaimsBundle(source, claims, f"{self.path}{where}", lines.position)
                    continue
                question, forecasts, resolutions = fmt.question_parts(doc)
            except fmt.Refused as exc:
                raise self.reject(where, str(exc)) from None
            yield QuestionBundle(question, forecasts, resolutions, history=True,
                                 where=f"{self.path}{where}", progress=lines.position)
