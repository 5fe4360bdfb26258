"""Read every row that can still be read out of a damaged database.

A damaged page makes every query that touches it fail, so a normal export stops at the first
one. Salvage reads each table in ranges of its physical order — SQLite rowids, PostgreSQL page
(block) numbers through ``ctid`` — and splits a range that fails in halves until the pieces
that still fail are single rows (or pages): everything around a damaged page comes out, and
the report names what did not.

Every record is stored twice: as its row and as its ledger entry's payload (the canonical JSON
of the same columns and links). Salvage reads both and keeps, for each record, the ledger's
payload when its entry can be read (it is what the chain vouched for, links included), else the
row as the table holds it. A record lost from both is reported as lost; so are forecasts and
resolutions whose question is lost, and claims whose source is lost.

The reads run outside any snapshot (a failed query ends a PostgreSQL transaction), so nothing
should write meanwhile; forethought writes nothing to a file it found damaged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from forethought.store import codec
from forethought.store.engine import Connection, Store, corruption
from forethought.store.tables import LEDGER, TABLES, Table

CHUNK = 5_000   # rowids (SQLite) or pages (PostgreSQL) per query when nothing fails
FALLBACK_PAGES = 64  # rows per page assumed when a table's last row cannot be found


@dataclass
class Salvaged:
    """Records read back (``records[kind][key]`` → column values, links included), where each
    came from, the ranges that could not be read (``unreadable``: their records may have been
    recovered from the other copy) and the records known to be lost."""

    records: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    from_ledger: dict[str, int] = field(default_factory=dict)
    from_table: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def salvage(store: Store) -> Salvaged:
    """Every record of ``store`` that can still be read."""
    out = Salvaged()
    with store.unchecked() as conn:
        read = _Reader(conn, out)
        payloads = _ledger_payloads(read)
        ledger_damaged = bool(read.skipped.get(LEDGER.name))
        for kind, table in TABLES.items():
            read.bound = _bound(kind, payloads.get(kind, {}))
            rows = {row[table.key]: row for row in read.rows(table)}
            links = {link.field: read.links(link.table, link.own, link.target)
                     for link in table.links}
            records: dict[Any, dict[str, Any]] = dict(payloads.get(kind, {}))
            for key, row in rows.items():
                if key not in records:
                    records[key] = row | {f: sorted(m.get(key, [])) for f, m in links.items()}
            out.records[kind] = records
            out.from_ledger[kind] = len(payloads.get(kind, {}))
            out.from_table[kind] = len(records) - out.from_ledger[kind]
            _lost_rows(out, kind, read.skipped.get(table.name, []), ledger_damaged)
    _orphans(out)
    return out


def _bound(kind: str, payloads: dict[Any, dict[str, Any]]) -> int:
    """What the ledger says about a table's last rowid: its largest serial id, or the number of
    its records (text keys get rowids in insertion order)."""
    if TABLES[kind].serial:
        return max((k for k in payloads if isinstance(k, int)), default=0)
    return len(payloads)


def _lost_rows(out: Salvaged, kind: str, skipped: list[tuple[int, int]],
               ledger_damaged: bool) -> None:
    """Name the records of unreadable rows that the ledger did not give back either."""
    if not skipped:
        return
    table = TABLES[kind]
    top = 0
    if table.serial:
        # a serial id is its rowid (SQLite): the ids in an unreadable range are known
        known = out.records[kind]
        top = max((k for k in known if isinstance(k, int)), default=0)
        missing = [i for a, b in skipped for i in range(a, min(b, top + 1)) if i not in known]
        for a, b in _merged([(i, i + 1) for i in missing]):
            span = f"{kind} {a}" if b == a + 1 else f"{kind}s {a}–{b - 1}"
            out.lost.append(f"{span}: neither the row nor the ledger entry can be read")
    if ledger_damaged and (not table.serial or any(b > top + 1 for _, b in skipped)):
        beyond = f" after {kind} {top}" if table.serial and top else ""
        out.lost.append(f"{table.name}: some rows and some ledger entries cannot be read, so "
                        f"{kind} records{beyond} may be lost")


def _ledger_payloads(read: _Reader) -> dict[str, dict[Any, dict[str, Any]]]:
    """The payload of every readable ledger entry, by kind and key (the latest entry wins)."""
    found: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
    for entry in read.rows(LEDGER, ("kind", "entity", "payload")):
        kind, entity = entry["kind"], entry["entity"]
        table = TABLES.get(kind)
        if table is None:
            continue
        try:
            payload = json.loads(entry["payload"])
        except ValueError:
            read.out.lost.append(f"{entity}: its ledger entry is not JSON any more")
            continue
        # the payload holds the row's columns and links as JSON values (times and dates as
        # ISO text), which the domain records read as they are
        # a column added by a later upgrade is left out of the payload while at its default
        found[kind][payload.get(table.key)] = {
            column.name: payload.get(column.name, column.default) for column in table.columns
        } | {link.field: payload.get(link.field, []) for link in table.links}
    return found


def _orphans(out: Salvaged) -> None:
    """Drop (and report) records whose parent is lost: a forecast or resolution without its
    question, a claim without its source, a grade or status change without its claim."""
    parents = {"forecast": ("question_id", "question"), "resolution": ("question_id", "question"),
               "claim": ("source_id", "source"), "claim_grade": ("claim_id", "claim"),
               "claim_status": ("claim_id", "claim"), "source_note": ("source_id", "source")}
    for kind in ("claim", "claim_grade", "claim_status", "source_note", "forecast",
                 "resolution"):
        column, parent = parents[kind]
        have = out.records[parent]
        for key, values in list(out.records[kind].items()):
            owner = values.get(column)
            if owner is not None and owner not in have:
                del out.records[kind][key]
                out.lost.append(f"{kind} {key}: its {parent} {owner!r} could not be read")


class _Reader:
    """Reads a table in ranges, splitting a range that fails until the failures are single
    rows (SQLite rowids) or pages (PostgreSQL blocks); ``skipped[table]`` keeps those."""

    def __init__(self, conn: Connection, out: Salvaged) -> None:
        self.conn, self.out = conn, out
        self.skipped: dict[str, list[tuple[int, int]]] = {}
        self.bound = 0  # the last rowid the ledger knows of, for a table whose end is damaged

    def rows(self, table: Table, names: tuple[str, ...] | None = None) -> Iterator[dict]:
        names = names or table.names
        columns = ", ".join(f'"{c}"' for c in names)
        decode = names == table.names
        for raw in self._ranges(table.name, columns):
            if not decode:
                yield dict(zip(names, raw, strict=True))
                continue
            try:
                yield codec.decode(table, raw)
            except (TypeError, ValueError) as exc:
                self.out.lost.append(f"a row of {table.name} cannot be decoded ({exc})")

    def links(self, name: str, own: str, target: str) -> dict[Any, list]:
        found: dict[Any, list] = defaultdict(list)
        bound, self.bound = self.bound, 0  # the ledger says nothing of a link table's rowids
        for a, b in self._ranges(name, f'"{own}", "{target}"'):
            found[a].append(b)
        self.bound = bound
        return found

    def _ranges(self, name: str, columns: str) -> Iterator[tuple]:
        if not self.conn.has_table(name):
            return
        unit = "rowid" if self.conn.sqlite else "page"
        sql = (f'SELECT {columns} FROM "{name}" WHERE rowid >= ? AND rowid < ?'
               if self.conn.sqlite else
               f'SELECT {columns} FROM "{name}" WHERE ctid >= format(\'(%s,0)\', ?::bigint)::tid '
               "AND ctid < format('(%s,0)', ?::bigint)::tid")
        skipped: list[tuple[int, int]] = []
        end = self._end(name)
        lo = 1 if self.conn.sqlite else 0
        while lo < end:
            hi = min(lo + CHUNK, end)
            yield from self._split(sql, lo, hi, skipped)
            lo = hi
        self.skipped[name] = _merged(skipped)
        for a, b in self.skipped[name]:
            span = f"{unit} {a}" if b == a + 1 else f"{unit}s {a}–{b - 1}"
            self.out.unreadable.append(f"{name}: {span}")

    def _split(self, sql: str, lo: int, hi: int,
               skipped: list[tuple[int, int]]) -> Iterator[tuple]:
        pending = [(lo, hi)]
        while pending:
            a, b = pending.pop()
            try:
                rows = self.conn.rows(sql, (a, b))
            except Exception as exc:  # noqa: BLE001 - only damage is expected here
                if corruption(exc) is None:
                    raise
                if b - a <= 1:
                    skipped.append((a, b))
                else:
                    mid = (a + b) // 2
                    pending += [(mid, b), (a, mid)]
                continue
            yield from rows

    def _end(self, name: str) -> int:
        """One past the last rowid (SQLite) or page (PostgreSQL) to read."""
        if not self.conn.sqlite:
            return int(self.conn.scalar(
                "SELECT pg_relation_size(?::regclass) / current_setting('block_size')::int",
                (name,)))
        try:
            last = self.conn.scalar(f'SELECT max(rowid) FROM "{name}"')
            return int(last or 0) + 1
        except Exception as exc:  # noqa: BLE001 - the last page itself is damaged
            if corruption(exc) is None:
                raise
        if self.bound:
            return self.bound + 1
        pages = int(self.conn.scalar("PRAGMA page_count"))
        self.out.unreadable.append(f"{name}: its last rows cannot be found; rowids up to "
                                   f"{pages * FALLBACK_PAGES} were tried")
        return pages * FALLBACK_PAGES + 1


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out

