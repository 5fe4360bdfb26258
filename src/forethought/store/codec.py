"""The one encoder: Python values ⇄ database values, and the ledger payload of a row.

Single writes, bulk imports and `verify` all go through these functions, so a row written by any
of them carries the payload `verify` re-derives from it, byte for byte. The payload of a row is
the canonical JSON (sorted keys, no spaces, UTF-8, no NaN) of its columns — times as
``YYYY-MM-DDTHH:MM:SS.ffffffZ``, dates as ``YYYY-MM-DD``, JSON columns as their value — plus its
link lists, sorted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from forethought.store.tables import Table

_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False).encode


def canonical(value: Any) -> str:
    """Canonical JSON text: what the ledger hashes and what JSON columns hold."""
    return _dumps(value)


def iso(value: datetime) -> str:
    """A moment as the ledger writes it: UTC, microseconds, ``Z``."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC) if value.tzinfo is not None else value
    if value.year >= 1000:
        return value.isoformat("T", "microseconds")[:26] + "Z"
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def to_db(kind: str, value: Any, sqlite: bool) -> Any:
    """One Python value as the driver stores it."""
    if value is None:
        return None
    if kind == "time":
        naive = _naive_utc(value)
        return naive.isoformat(" ", "microseconds") if sqlite else naive
    if kind == "date":
        return value.isoformat() if sqlite else value
    if kind == "json":
        return _dumps(value)
    if kind == "float":
        return float(value)
    return value


def from_db(kind: str, value: Any) -> Any:
    """One stored value back as Python (times aware UTC); raises ValueError for a value that
    cannot be what forethought wrote."""
    if value is None:
        return None
    if kind == "time":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if not isinstance(value, datetime):
            raise ValueError(f"{value!r} is not a time")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if kind == "date":
        if isinstance(value, datetime):
            raise ValueError(f"{value!r} is not a date")
        return date.fromisoformat(value) if isinstance(value, str) else value
    if kind == "json":
        return json.loads(value)
    return value


_string = json.encoder.encode_basestring  # what _dumps writes for a str (ensure_ascii=False)


def _float_json(value: Any) -> str:
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{value!r} cannot be written to the ledger")
    return float.__repr__(value)


def _column(kind: str, values: list[Any], sqlite: bool) -> tuple[list[Any], list[str]]:
    """One column of a batch: (driver values, JSON fragments as `_dumps` writes each value)."""
    if kind == "time":
        utc = [None if v is None else v if v.tzinfo is UTC else v.astimezone(UTC)
               if v.tzinfo is not None else v.replace(tzinfo=UTC) for v in values]
        texts = [None if v is None else v.isoformat(" ", "microseconds")[:26] if v.year >= 1000
                 else None for v in utc]
        json_ = ["null" if v is None else f'"{t[:10]}T{t[11:]}Z"' if t is not None
                 else f'"{iso(v)}"' for v, t in zip(utc, texts, strict=True)]
        if sqlite:
            db = [t if t is not None or v is None else to_db(kind, v, True)
                  for v, t in zip(utc, texts, strict=True)]
        else:
            db = [None if v is None else v.replace(tzinfo=None) for v in utc]
        return db, json_
    if kind == "date":
        texts = [None if v is None else v.isoformat() for v in values]
        return (texts if sqlite else list(values)), [
            "null" if t is None else f'"{t}"' for t in texts]
    if kind == "json":
        db = [None if v is None else _dumps(v) for v in values]
        return db, ["null" if t is None else t for t in db]
    if kind == "float":
        db = [None if v is None else float(v) for v in values]
        return db, ["null" if v is None else _float_json(v) for v in db]
    if kind == "int":
        return list(values), ["null" if v is None else int.__repr__(v) for v in values]
    return list(values), ["null" if v is None else _string(v) for v in values]


def encode_rows(table: Table, rows: Sequence[Mapping[str, Any]],
                links: Sequence[Mapping[str, Sequence[str]]], sqlite: bool
                ) -> tuple[list[tuple], list[str]]:
    """The one encoder: for each row (column → Python value, with its link lists), the driver
    values in column order and the canonical ledger payload. It works a column at a time, so a
    batch of an import costs a few list comprehensions per column rather than a branch per
    value; one row is a batch of one. The payload is exactly ``canonical`` of the row's plain
    values with its keys sorted, which the tests hold it to."""
    if not rows:
        return [], []
    db_columns, fragments = [], {}
    for c in table.columns:
        db, json_ = _column(c.kind, [r[c.name] for r in rows], sqlite)
        db_columns.append(db)
        fragments[c.name] = json_
    for link in table.links:
        fragments[link.field] = [_dumps(sorted(set(k.get(link.field) or ()))) for k in links]
    omitted = [c.name for c in table.columns if c.default is not None]
    payloads = [""] * len(rows)
    masks: dict[tuple[bool, ...], list[int]] = {}
    for i, r in enumerate(rows):  # which later columns still hold their default, per row
        masks.setdefault(tuple(r[n] == table.column(n).default for n in omitted), []).append(i)
    for mask, at in masks.items():
        skip = {n for n, default in zip(omitted, mask, strict=True) if default}
        keys = sorted(k for k in fragments if k not in skip)
        template = "{{" + ",".join(_string(k).replace("{", "{{").replace("}", "}}") + ":{}"
                                   for k in keys) + "}}"
        every = len(at) == len(rows)
        texts = map(template.format, *((fragments[k] if every else [fragments[k][i] for i in at])
                                       for k in keys))
        for i, text in zip(at, texts, strict=True):
            payloads[i] = text
    return list(zip(*db_columns, strict=True)), payloads


def payload(table: Table, values: Mapping[str, Any],
            links: Mapping[str, Sequence[str]] | None = None) -> str:
    """The canonical ledger payload of one row (``values``: column → Python value)."""
    return encode_rows(table, [values], [links or {}], True)[1][0]


def decode(table: Table, row: Sequence[Any]) -> dict[str, Any]:
    """A stored row (driver values in column order) as column → Python value."""
    return {c.name: from_db(c.kind, v) for c, v in zip(table.columns, row, strict=True)}


def day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
