"""Ingest from the browser: a document uploaded or pasted, its candidates reviewed, edited and
some or all of them accepted — what `forethought ingest --edit --accept` does, through
:mod:`forethought.services.ingest`.

The document travels with the review form (its bytes, base64-encoded) rather than being kept on
the server between the two steps, so nothing is stored until the candidates are accepted and a
review abandoned leaves nothing behind. Its sha256 is of the bytes as uploaded (a pasted text:
as UTF-8 with its line ends as typed), so ingesting the same file from the command line later
finds it already there.
"""

from __future__ import annotations

import base64
import binascii
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from forethought.domain.ids import slugify
from forethought.errors import InvalidInput
from forethought.services import ingest
from forethought.services.permissions import require
from forethought.store import repository as repo
from forethought.store.engine import Store

#: what a reviewer may change, per kind of candidate (as `ingest --edit`)
EDITABLE = {"forecast": ("title_suggestion", "criteria_suggestion", "p", "resolve_by",
                         "said_by"),
            "claim": ("said_by", "event_date")}


@dataclass(frozen=True)
class Document:
    """A document in transit: its name (for the title and whether it is Markdown) and bytes."""

    name: str
    data: bytes

    @property
    def encoded(self) -> str:
        return base64.b64encode(self.data).decode("ascii")

    @classmethod
    def decode(cls, name: str, encoded: str) -> Document:
        try:
            return cls(name, base64.b64decode(encoded.encode("ascii"), validate=True))
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise InvalidInput("the document sent with the review is damaged; upload it "
                               "again") from None

    @classmethod
    def pasted(cls, text: str, title: str | None = None) -> Document:
        body = text.replace("\r\n", "\n")  # a browser sends a textarea's line ends as CRLF
        return cls(f"{(title or '').strip() or 'pasted document'}.txt", body.encode("utf-8"))

    @property
    def title(self) -> str:
        stem = Path(self.name).stem if "." in self.name else self.name
        return stem.replace("-", " ").replace("_", " ").strip() or "document"


@dataclass
class Review:
    document: Document
    candidates: list[Any]  # language.Candidate
    sha256: str
    published: date
    already: Any = None    # the Source, when this file was ingested before


def _staged(doc: Document, folder: str) -> Path:
    """The document as a file ingest can read: the suffix says Markdown or text."""
    suffix = ".md" if re.search(r"\.(md|markdown)$", doc.name, re.IGNORECASE) else ".txt"
    path = Path(folder) / f"{slugify(doc.title)[:60]}{suffix}"
    path.write_bytes(doc.data)
    return path


def review(store: Store, doc: Document, *, published: str | date | None = None,
           as_name: str | None = None, scale: str = "icd203") -> Review:
    """The candidates ingest proposes for ``doc``; nothing is written."""
    require(store, "forecaster", "ingest documents")
    with tempfile.TemporaryDirectory(prefix="forethought-ingest-") as folder:
        candidates, sha, day = ingest.propose(_staged(doc, folder), published=published,
                                              scale=scale, as_name=_text(as_name))
    with store.read() as conn:
        already = repo.source_by_sha(conn, sha)
    return Review(doc, candidates, sha, day, already)


def overrides(candidates: list[Any], edits: Mapping[int, Mapping[str, str]]
              ) -> dict[int, dict[str, str | None]]:
    """The fields a reviewer changed, per candidate number (what `ingest --edit` passes on);
    fields left as proposed are not overrides."""
    out: dict[int, dict[str, str | None]] = {}
    for n, fields in edits.items():
        if not 1 <= n <= len(candidates):
            raise InvalidInput(f"candidate {n} does not exist (there are {len(candidates)})")
        cand = candidates[n - 1]
        allowed = EDITABLE.get(cand.kind, ())
        changed: dict[str, str | None] = {}
        for name, value in fields.items():
            if name not in allowed:
                raise InvalidInput(f"candidate {n}: cannot change {name}")
            if value.strip() == shown(cand, name):
                continue
            if name in ("p", "resolve_by") and not value.strip():
                raise InvalidInput(f"candidate {n}: give a {_FIELD_NAMES[name]}")
            changed[name] = value.strip() or None
        if changed:
            out[n] = changed
    return out


_FIELD_NAMES = {"p": "probability", "resolve_by": "resolve-by date"}


def shown(cand: Any, name: str) -> str:
    """A candidate's field as the review form shows it (a probability in %)."""
    value = getattr(cand, name)
    if value is None:
        return ""
    if name == "p":
        return f"{value * 100:g}%"
    return value.isoformat() if isinstance(value, date) else str(value)


def accept(store: Store, doc: Document, chosen: list[int],
           edits: Mapping[int, Mapping[str, str]], *, published: str | date | None = None,
           as_name: str | None = None, title: str | None = None, url: str | None = None,
           author: str | None = None, scale: str = "icd203") -> ingest.IngestResult:
    """Store the chosen candidates of ``doc`` with the reviewer's edits, in one transaction."""
    require(store, "forecaster", "ingest documents")
    if not chosen:
        raise InvalidInput("tick at least one candidate to accept")
    with tempfile.TemporaryDirectory(prefix="forethought-ingest-") as folder:
        path = _staged(doc, folder)
        proposed, _, _ = ingest.propose(path, published=published, scale=scale,
                                        as_name=_text(as_name))
        changes = overrides(proposed, edits)
        return ingest.ingest(store, path, published=published, as_name=_text(as_name),
                             title=_text(title) or doc.title, url=_text(url),
                             author=_text(author), scale=scale, accept=chosen,
                             overrides=changes)


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None
