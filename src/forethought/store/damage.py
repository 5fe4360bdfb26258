"""Telling a damaged database from other database errors, and saying so in one message.

SQLite says "database disk image is malformed" or "file is not a database" when a page it reads
is not what it wrote; PostgreSQL raises data_corrupted (XX001) or index_corrupted (XX002).
forethought turns every such error, wherever it is raised (a driver, DuckDB's scanners, a
cursor being read), into one :class:`CorruptDatabase` naming the file and what to do.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from forethought.errors import CorruptDatabase

_CORRUPT = ("database disk image is malformed", "file is not a database",
            "malformed database schema", "database corruption", "invalid page in block",
            "could not read block")
_CORRUPT_STATES = ("XX001", "XX002")  # PostgreSQL: data_corrupted, index_corrupted


def driver_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith(
        ("psycopg", "sqlalchemy", "duckdb", "_duckdb"))


def corruption(exc: BaseException) -> str | None:
    """The first line of a driver's error when it says the database is damaged (SQLite's
    malformed image, PostgreSQL's data- and index-corrupted errors), else None."""
    if not driver_error(exc):
        return None
    message = str(exc).strip()
    first = message.splitlines()[0] if message else type(exc).__name__
    state = getattr(exc, "sqlstate", None) or getattr(getattr(exc, "orig", None), "sqlstate",
                                                      None)
    if state in _CORRUPT_STATES or any(s in message.lower() for s in _CORRUPT):
        return first
    return None


def damaged(where: str, why: str, verified: bool = False) -> CorruptDatabase:
    """The one message for a damaged database: the file, what was seen, what to do
    (``verified``: `verify` has just said what is affected)."""
    see = "" if verified else "`forethought verify` to see what is affected and "
    return CorruptDatabase(
        f"the database file {where} is damaged ({why}); nothing more will be written to it. "
        f"Run {see}`forethought export jsonl --salvage --out FILE` to rescue what can still be "
        "read, then restore a backup or import the rescued file into a new workspace"
    )


def check_lines(found: Sequence[Any]) -> list[str]:
    """The problems in the rows of SQLite's integrity_check / quick_check (empty: ok)."""
    lines = [line for text in found for line in str(text).splitlines()]
    return [line for line in lines if line != "ok" and not line.startswith("*** in database")]
