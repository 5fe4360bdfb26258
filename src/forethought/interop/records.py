"""The records folders: `forecasts/<question-id>.yaml` and `claims/<source-id>.yaml`.

Git-friendly YAML: one file per question (with its forecast history and resolutions) and one per
source (with its claims, grades and status history). Writing is deterministic: keys in a fixed
order, lists sorted, times as quoted ISO-8601 UTC strings. Reading uses YAML's safe loader and
builds the inputs every writer uses (``NewQuestion``, ``NewForecast``…), so an unknown field or a
wrong type is refused with the file and the field named. The same documents are the lines of
forethought's JSONL (see ``jsonl.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

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
from forethought.domain.records import Claim, Forecast, Question, Resolution, Source
from forethought.domain.timeparse import as_utc, iso
from forethought.errors import ImportRejected
from forethought.interop.common import MAX_LINE, ClaimsBundle, QuestionBundle, Reader

FORMAT_VERSION = 1
UNSOURCED = "unsourced"


QUESTION_KEYS = frozenset({
    "format_version", "id", "title", "type", "options", "criteria", "fine_print", "condition",
    "opened_at", "resolve_by", "recorded_at", "tags", "source", "span", "claims", "forecasts",
    "resolutions"})
FORECAST_KEYS = frozenset({
    "forecaster", "made_at", "probability", "distribution", "recorded_at", "rationale",
    "entered_as", "cue", "scale", "p_low", "p_high", "source", "claims"})
RESOLUTION_KEYS = frozenset({"outcome", "known_at", "recorded_at", "note", "evidence",
                             "correction"})
CLAIMS_KEYS = frozenset({"format_version", "source", "claims"})
SOURCE_KEYS = frozenset({"id", "title", "outlet", "author", "published_at", "url", "sha256",
                         "recorded_at"})
CLAIM_KEYS = frozenset({"id", "text", "said_by", "event_date", "span", "recorded_at", "grades",
                        "statuses"})
GRADE_KEYS = frozenset({"grade", "graded_at", "note"})
STATUS_KEYS = frozenset({"status", "marked_at", "evidence", "note"})
GRADE = re.compile(r"\s*([A-Fa-f])\s*([1-6])\s*")


class Refused(Exception):
    """A records document that cannot be read: ``str(self)`` says what and where in it."""


def shown(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters: a message never carries a whole value (a
    hostile file's value may be megabytes, or a structure that expands when printed)."""
    if isinstance(value, dict | list | tuple) and len(value) > 8:
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _mapping(value: Any, where: str, keys: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Refused(f"{where or 'the document'}: expected a mapping of fields, got "
                       f"{type(value).__name__}")
    unknown = sorted(str(k) for k in value if k not in keys)
    if unknown:
        raise Refused(f"unknown field {shown(where + unknown[0])}; remove it or check its "
                      "spelling")
    return value


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise Refused(f"field {where!r}: expected a list (got {shown(value)})")
    return value


def _new(model: type, where: str, fields: dict[str, Any]) -> Any:
    try:
        return model(**fields)
    except ValidationError as exc:
        text = problem(exc)
        if where:  # name the field by its place in the document: forecasts.0.probability
            text = text.replace("field '", f"field '{where}", 1).replace(
                "unknown field '", f"unknown field '{where}", 1)
        raise Refused(text) from None


def _span(value: Any, where: str) -> tuple[Any, Any]:
    if value is None:
        return None, None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise Refused(f"field {where + 'span'!r}: expected [start, end] (got {shown(value)})")
    return value[0], value[1]


def _version(doc: dict[str, Any]) -> None:
    version = doc.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise Refused(f"format_version {shown(version)} is not one this forethought reads "
                       f"({FORMAT_VERSION}); upgrade forethought or export the file again")


def question_parts(doc: Any) -> tuple[NewQuestion, list[NewForecast], list[NewResolution]]:
    """A question document (a records file, a JSONL question line) as the inputs it holds."""
    doc = _mapping(doc, "", QUESTION_KEYS)
    _version(doc)
    fields = {k: v for k, v in doc.items() if k not in (
        "format_version", "source", "span", "forecasts", "resolutions")}
    fields["source_id"] = doc.get("source")
    fields["span_start"], fields["span_end"] = _span(doc.get("span"), "")
    for key in ("options", "tags", "claims"):
        if isinstance(fields.get(key), list):
            fields[key] = tuple(fields[key])
    question = _new(NewQuestion, "", fields)
    forecasts = []
    for i, raw in enumerate(_list(doc.get("forecasts"), "forecasts")):
        at = f"forecasts.{i}."
        f = dict(_mapping(raw, at, FORECAST_KEYS))
        f["source_id"] = f.pop("source", None)
        if isinstance(f.get("claims"), list):
            f["claims"] = tuple(f["claims"])
        forecasts.append(_new(NewForecast, at, {"question_id": question.id, **f}))
    resolutions = []
    for i, raw in enumerate(_list(doc.get("resolutions"), "resolutions")):
        at = f"resolutions.{i}."
        r = dict(_mapping(raw, at, RESOLUTION_KEYS))
        if isinstance(r.get("evidence"), list):
            r["evidence"] = tuple(r["evidence"])
        resolutions.append(_new(NewResolution, at, {"question_id": question.id, **r}))
    return question, forecasts, resolutions


def claims_parts(doc: Any) -> tuple[NewSource | None, list[tuple]]:
    """A claims document (a records claims file, a JSONL claims line): the source and each claim
    with its grade and status histories."""
    doc = _mapping(doc, "", CLAIMS_KEYS)
    _version(doc)
    source = None
    if doc.get("source") is not None:
        source = _new(NewSource, "source.", dict(_mapping(doc["source"], "source.",
                                                          SOURCE_KEYS)))
    sid = source.id if source is not None else None
    claims = []
    for i, raw in enumerate(_list(doc.get("claims"), "claims")):
        at = f"claims.{i}."
        c = dict(_mapping(raw, at, CLAIM_KEYS))
        grades_raw, statuses_raw = c.pop("grades", None), c.pop("statuses", None)
        c["span_start"], c["span_end"] = _span(c.pop("span", None), at)
        claim = _new(NewClaim, at, {"source_id": sid, **c})
        grades = []
        for j, g in enumerate(_list(grades_raw, f"{at}grades")):
            gat = f"{at}grades.{j}."
            g = dict(_mapping(g, gat, GRADE_KEYS))
            code = GRADE.fullmatch(str(g.pop("grade", "")))
            if code is None:
                raise Refused(f"field {gat + 'grade'!r}: not an Admiralty grade such as B2")
            grades.append(_new(NewClaimGrade, gat, {
                "claim_id": claim.id, "reliability": code.group(1).upper(),
                "credibility": int(code.group(2)), **g}))
        statuses = []
        for j, st in enumerate(_list(statuses_raw, f"{at}statuses")):
            sat = f"{at}statuses.{j}."
            st = dict(_mapping(st, sat, STATUS_KEYS))
            if isinstance(st.get("evidence"), list):
                st["evidence"] = tuple(st["evidence"])
            statuses.append(_new(NewClaimStatus, sat, {"claim_id": claim.id, **st}))
        claims.append((claim, grades, statuses))
    return source, claims


def is_claims_document(doc: Any) -> bool:
    return isinstance(doc, dict) and "id" not in doc and bool({"claims", "source"} & set(doc))


# ---- reading files -------------------------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
MAX_FILE = MAX_LINE  # a records file is one JSONL line's document
MAX_DEPTH = 20       # forethought's documents nest 4 deep
MERGE = "tag:yaml.org,2002:merge"


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing what forethought never writes: a key given twice in one
    mapping (YAML would keep the last silently) and merge keys (``<<``)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == MERGE:
                    raise yaml.constructor.ConstructorError(
                        None, None, "merge keys ('<<') are not used in records files",
                        key_node.start_mark)
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line)
                except TypeError:  # an unhashable key: the constructor below refuses it
                    continue
                if first != key_node.start_mark.line:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {shown(key)} appears twice in one mapping (first "
                                    f"on line {first + 1}); keep one", key_node.start_mark)
        return super().construct_mapping(node, deep)


def _refusal(message: str, mark: Any) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, message, mark)


def _plain_structure(text: str) -> None:
    """Refuse anchors, aliases and deep nesting from the event stream, before anything is
    composed or expanded (a few hundred bytes of nested aliases expand to gigabytes)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            alias = isinstance(event, yaml.AliasEvent)
            raise _refusal(f"{'an alias' if alias else 'an anchor'} ({'*' if alias else '&'}"
                           f"{shown(anchor, 40)[1:-1]}) is not allowed: forethought never "
                           "writes anchors or aliases; write each value out", event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refusal(f"nested more than {MAX_DEPTH} deep, which no records file is",
                               event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _where(exc: yaml.YAMLError, text: str) -> str:
    """' line L, column C' of a YAML error, whichever mark it carries."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return f" line {mark.line + 1}, column {mark.column + 1}"
    position = getattr(exc, "position", None)  # a reader error: a character it cannot take
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        return f" line {line}, column {position - (text.rfind(chr(10), 0, position) + 1) + 1}"
    return " line 1"


def _load_yaml(path: Path) -> Any:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRejected(f"{path}: cannot read it ({exc.strerror})") from None
    if size > MAX_FILE:
        raise ImportRejected(f"{path}: {size / 2**20:,.0f} MB is more than a records file can "
                             f"be ({MAX_FILE // 2**20} MB, like a JSONL line); this is not a "
                             "forethought records file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRejected(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        _plain_structure(text)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except (ValueError, OverflowError) as exc:  # an unquoted timestamp that is no real date
        raise ImportRejected(f"{path}: a value is not a real date or time "
                             f"({shown(str(exc), 120)[1:-1]})") from None
    except RecursionError:
        raise ImportRejected(f"{path}: the YAML is nested too deeply for a records file") from None
    except yaml.YAMLError as exc:
        problem_text = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ImportRejected(f"{path}:{_where(exc, text)}: YAML syntax error: "
                             f"{problem_text}") from None


def yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def read_question_file(path: Path, progress: int = 0) -> QuestionBundle:
    """One ``forecasts/<id>.yaml`` file as a question bundle (its whole history)."""
    try:
        question, forecasts, resolutions = question_parts(_load_yaml(path))
    except Refused as exc:
        raise ImportRejected(f"{path}: {exc}") from None
    if path.stem != question.id:
        raise ImportRejected(f"{path}: field 'id' is {question.id!r} but the file is named "
                             f"{path.name}; rename the file to {question.id}.yaml")
    return QuestionBundle(question, forecasts, resolutions, history=True, where=str(path),
                          progress=progress)


def read_claims_file(path: Path, progress: int = 0) -> ClaimsBundle:
    """One ``claims/<source-id>.yaml`` file as a claims bundle."""
    try:
        source, claims = claims_parts(_load_yaml(path))
    except Refused as exc:
        raise ImportRejected(f"{path}: {exc}") from None
    return ClaimsBundle(source, claims, str(path), progress)


class RecordsReader(Reader):
    """A records folder: every ``claims/*.yaml`` (as claims bundles), then every
    ``forecasts/*.yaml`` (as question bundles with their whole history), in name order."""

    name = "records folder"

    def __init__(self, folder: Path) -> None:
        super().__init__(Path(folder))
        self.claim_files = yaml_files(self.path / "claims")
        self.question_files = yaml_files(self.path / "forecasts")
        self.total = len(self.claim_files) + len(self.question_files)
        if not self.total:
            raise ImportRejected(f"{self.path} has no claims/*.yaml or forecasts/*.yaml files "
                                 "to import")

    def __iter__(self) -> Iterator[QuestionBundle | ClaimsBundle]:
        done = 0
        for path in self.claim_files:
            done += 1
            yield read_claims_file(path, done)
        for path in self.question_files:
            done += 1
            yield read_question_file(path, done)


# ---- writing -------------------------------------------------------------------------------

def _t(value: datetime | None) -> str | None:
    return iso(as_utc(value)) if value is not None else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _forecast_dict(f: Forecast) -> dict[str, Any]:
    return {"forecaster": f.forecaster, "made_at": _t(f.made_at), "probability": f.probability,
            "distribution": f.distribution, "recorded_at": _t(f.recorded_at),
            "rationale": f.rationale, "entered_as": f.entered_as, "cue": f.cue,
            "scale": f.scale, "p_low": f.p_low, "p_high": f.p_high, "source": f.source_id,
            "claims": sorted(f.claims)}


def _resolution_dict(r: Resolution) -> dict[str, Any]:
    return {"outcome": r.outcome, "known_at": _t(r.known_at), "recorded_at": _t(r.recorded_at),
            "note": r.note, "evidence": sorted(r.evidence), "correction": r.correction}


def _prune(d: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional fields so files stay readable; reading restores the defaults."""
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def question_document(q: Question, forecasts: list[Forecast],
                      resolutions: list[Resolution]) -> dict[str, Any]:
    doc = {"format_version": FORMAT_VERSION, "id": q.id, "title": q.title, "type": q.type,
           "options": list(q.options), "criteria": q.criteria, "fine_print": q.fine_print,
           "condition": q.condition, "opened_at": _t(q.opened_at),
           "resolve_by": _d(q.resolve_by), "recorded_at": _t(q.recorded_at),
           "tags": sorted(q.tags), "source": q.source_id,
           "span": [q.span_start, q.span_end] if q.span_start is not None else None,
           "claims": sorted(q.claims)}
    doc = _prune(doc)
    ordered = sorted(forecasts, key=lambda f: (f.made_at, f.forecaster, f.recorded_at, f.id))
    doc["forecasts"] = [_prune(_forecast_dict(f)) for f in ordered]
    doc["resolutions"] = [_prune(_resolution_dict(r)) for r in sorted(resolutions,
                                                                      key=lambda r: r.id)]
    return doc


def claims_document(source: Source | None, claims: list[Claim]) -> dict[str, Any]:
    doc: dict[str, Any] = {"format_version": FORMAT_VERSION}
    if source is not None:
        doc["source"] = _prune({"id": source.id, "title": source.title, "outlet": source.outlet,
                                "author": source.author, "published_at": _d(source.published_at),
                                "url": source.url, "sha256": source.sha256,
                                "recorded_at": _t(source.recorded_at)})
    doc["claims"] = [_prune({
        "id": c.id, "text": c.text, "said_by": c.said_by, "event_date": _d(c.event_date),
        "span": [c.span_start, c.span_end] if c.span_start is not None else None,
        "recorded_at": _t(c.recorded_at),
        "grades": [_prune({"grade": g.code, "graded_at": _t(g.graded_at), "note": g.note})
                   for g in c.grades],
        "statuses": [_prune({"status": s.status, "marked_at": _t(s.marked_at),
                             "evidence": sorted(s.evidence), "note": s.note})
                     for s in c.statuses]}) for c in sorted(claims, key=lambda c: c.id)]
    return doc


# Every character YAML reads as a line break (NEL, LS, PS, CR) and every other control: a
# string holding one is written double-quoted, where the emitter writes each as an escape
# (\N, \L, \P, \r, \x85…); written raw, a reader folds NEL into a space. A newline alone
# keeps YAML's readable multi-line style, which round-trips.
NEEDS_ESCAPES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if NEEDS_ESCAPES.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def claims_file_name(source_id: str | None) -> str:
    return f"{source_id or UNSOURCED}.yaml"
