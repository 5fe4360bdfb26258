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


def _plain(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "time":
        return iso(value)
    if kind == "date":
        return value.isoformat()
    if kind == "float" and value.__class__ is not float:
        return float(value)
    return value


def payload(table: Table, values: Mapping[str, Any],
            links: Mapping[str, Sequence[str]] | None = None) -> str:
    """The canonical ledger payload of a row (``values``: column → Python value)."""
    body = {c.name: _plain(c.kind, values[c.name]) for c in table.columns}
    for link in table.links:
        body[link.field] = sorted(set((links or {}).get(link.field) or ()))
    return _dumps(body)


def encode(table: Table, values: Mapping[str, Any], links: Mapping[str, Sequence[str]],
           sqlite: bool) -> tuple[tuple, str]:
    """(driver values in column order, ledger payload) of one row."""
    row = tuple(to_db(c.kind, values[c.name], sqlite) for c in table.columns)
    return row, payload(table, values, links)


def decode(table: Table, row: Sequence[Any]) -> dict[str, Any]:
    """A stored row (driver values in column order) as column → Python value."""
    return {c.name: from_db(c.kind, v) for c, v in zip(table.columns, row, strict=True)}


def day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
