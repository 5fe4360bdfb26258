"""Reads and writes in terms of domain records. Functions take a :class:`Connection` inside a unit
of work and never commit.

Writes take the inputs of :mod:`forethought.domain.inputs` (``NewQuestion``, ``NewForecast``, …):
:func:`add` turns them into rows, link rows and one ledger entry each, through the one encoder in
``codec.py``, whether it is handed one forecast or a chunk of an import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from forethought.domain import inputs
from forethought.domain.records import (
    Claim,
    ClaimGrade,
    ClaimStatus,
    Forecast,
    Question,
    Resolution,
    Source,
)
from forethought.domain.rules import crowd_hidden
from forethought.errors import AmbiguousPrefix, QuestionNotFound
from forethought.store import codec, ledger
from forethought.store.engine import Connection
from forethought.store.tables import TABLES, Table

KIND_OF: dict[type, str] = {
    inputs.NewSource: "source", inputs.NewSourceNote: "source_note", inputs.NewClaim: "claim",
    inputs.NewClaimGrade: "claim_grade", inputs.NewClaimStatus: "claim_status",
    inputs.NewQuestion: "question", inputs.NewForecast: "forecast",
    inputs.NewResolution: "resolution", inputs.NewAccount: "account",
    inputs.NewAccountEvent: "account_event", inputs.NewToken: "token",
    inputs.NewSetting: "setting",
}
CHUNK = 900  # ids per IN (...) list


# ---- writes --------------------------------------------------------------------------------

def next_id(conn: Connection, kind: str) -> int:
    """The next integer id of a serial kind; safe because writers hold the ledger lock."""
    table = TABLES[kind]
    return int(conn.scalar(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"')) + 1


def add(conn: Connection, items: Sequence[inputs.NewRecord], now: datetime,
        first_id: int | None = None) -> list[Any]:
    """Write ``items`` (all of one kind): their rows, link rows and one ledger entry each, all
    stamped ``now``. Serial kinds get ids from ``first_id`` (default: the next free one).
    Returns the keys written, in order."""
    if not items:
        return []
    kind = KIND_OF[type(items[0])]
    table = TABLES[kind]
    ident = (first_id or next_id(conn, kind)) if table.serial else None
    values, links = [], []
    for item in items:
        row = dict(item.__dict__)
        links.append({link.field: row.pop(link.field) for link in table.links})
        if ident is not None:
            row["id"] = ident
            ident += 1
        if row.get("recorded_at", now) is None:
            row["recorded_at"] = now
        values.append(row)
    rows, payloads = codec.encode_rows(table, values, links, conn.sqlite)
    keys = [v[table.key] for v in values]
    entries = list(zip(keys, payloads, strict=True))
    conn.insert(table.name, table.names, rows)
    for link in table.links:
        conn.insert(link.table, (link.own, link.target),
                    [(key, v) for key, k in zip(keys, links, strict=True) for v in k[link.field]])
    ledger.append(conn, kind, entries, now)
    return keys


# ---- reads ---------------------------------------------------------------------------------

def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _select(table: Table) -> str:
    return "SELECT " + ", ".join(f'"{c}"' for c in table.names) + f' FROM "{table.name}"'


def _decoded(conn: Connection, table: Table, where: str = "", params: Sequence[Any] = (),
             order: str = "") -> list[dict[str, Any]]:
    sql = _select(table) + (f" WHERE {where}" if where else "") + (
        f" ORDER BY {order}" if order else "")
    return [codec.decode(table, row) for row in conn.rows(sql, params)]


def _by_ids(conn: Connection, table: Table, column: str, ids: Sequence[Any],
            order: str = "") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for chunk in _chunks(list(ids)):
        out += _decoded(conn, table, f'"{column}" IN ({_marks(len(chunk))})', chunk, order)
    return out


def _links(conn: Connection, kind: str, field: str, ids: Iterable[Any]) -> dict[Any, list]:
    link = next(k for k in TABLES[kind].links if k.field == field)
    out: dict[Any, list] = defaultdict(list)
    for chunk in _chunks(list(ids)):
        for a, b in conn.rows(f'SELECT "{link.own}", "{link.target}" FROM "{link.table}" '
                              f'WHERE "{link.own}" IN ({_marks(len(chunk))})', chunk):
            out[a].append(b)
    return {k: sorted(v) for k, v in out.items()}


def questions(conn: Connection, ids: Sequence[str] | None = None) -> list[Question]:
    table = TABLES["question"]
    if ids is None:
        rows = _decoded(conn, table)
    else:
        rows = _by_ids(conn, table, "id", ids)
    rows.sort(key=lambda r: (r["resolve_by"], r["id"]))
    keys = [r["id"] for r in rows]
    tags = _links(conn, "question", "tags", keys)
    claims = _links(conn, "question", "claims", keys)
    return [Question(**r, tags=tags.get(r["id"], []), claims=claims.get(r["id"], []))
            for r in rows]


def question_ids(conn: Connection) -> list[str]:
    return [r[0] for r in conn.rows("SELECT id FROM questions")]


def find_question_id(conn: Connection, prefix: str) -> str:
    """The id of the one question whose id starts with ``prefix`` (an exact id always wins)."""
    prefix = prefix.strip()
    if conn.one("SELECT 1 FROM questions WHERE id = ?", (prefix,)) is not None:
        return prefix
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    found = [r[0] for r in conn.rows(
        "SELECT id FROM questions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6",
        (escaped + "%",))]
    found = [f for f in found if f.startswith(prefix)]  # LIKE ignores case on SQLite
    if not found:
        raise QuestionNotFound(
            f"no question id starts with {prefix!r}; run `forethought list` to see the ids"
        )
    if len(found) > 1:
        shown = ", ".join(found[:5]) + (", …" if len(found) > 5 else "")
        raise AmbiguousPrefix(
            f"{prefix!r} matches several questions ({shown}); type more of the id"
        )
    return found[0]


def hidden_questions(conn: Connection, today: date | None = None,
                     among: Collection[str] | None = None) -> set[str]:
    """The questions whose other forecasters' forecasts are hidden from ``conn.viewer`` (none
    when nobody is named: the command line sees everything). This is the one place the hidden
    crowd is enforced for records; `columns.read_frames` applies the same rule to frames.

    ``among``: only these questions are asked about (a page showing a few questions need not
    look at every question the viewer ever forecast)."""
    if conn.viewer is None:
        return set()
    if among is not None and conn.hidden is None and len(among) <= CHUNK:
        return _hidden_among(conn, sorted(set(among)), today or datetime.now(UTC).date())
    if conn.hidden is None:
        today = today or datetime.now(UTC).date()
        resolved = {r[0] for r in conn.rows("SELECT DISTINCT question_id FROM resolutions")}
        mine = {r[0] for r in conn.rows(
            "SELECT DISTINCT question_id FROM forecasts WHERE forecaster = ?", (conn.viewer,))}
        conn.hidden = {qid for qid, rule in conn.rows("SELECT id, visibility FROM questions")
                       if crowd_hidden(rule, qid in resolved, qid in mine, today)}
    return conn.hidden


def _hidden_among(conn: Connection, ids: list[str], today: date) -> set[str]:
    if not ids:
        return set()
    # one query: each question's rule, whether it is resolved and whether the viewer forecast
    # it (`forecaster || ''` keeps SQLite's planner on the question index rather than the
    # forecaster index, which holds every forecast the viewer ever made)
    rows = conn.rows(
        "SELECT q.id, q.visibility, "
        "EXISTS (SELECT 1 FROM resolutions r WHERE r.question_id = q.id), "
        "EXISTS (SELECT 1 FROM forecasts f WHERE f.question_id = q.id "
        "AND f.forecaster || '' = ?) "
        f"FROM questions q WHERE q.id IN ({_marks(len(ids))})", [conn.viewer, *ids])
    return {qid for qid, rule, resolved, mine in rows
            if crowd_hidden(rule, bool(resolved), bool(mine), today)}


def _forecasts(conn: Connection, rows: list[dict[str, Any]]) -> list[Forecast]:
    if conn.viewer is not None:
        hidden = hidden_questions(conn, among={r["question_id"] for r in rows})
        rows = [r for r in rows if r["question_id"] not in hidden
                or r["forecaster"] == conn.viewer]
    claims = _links(conn, "forecast", "claims", [r["id"] for r in rows]) if rows else {}
    return [Forecast(**r, claims=claims.get(r["id"], [])) for r in rows]


def forecasts(conn: Connection, question_id: str | None = None,
              forecaster: str | None = None) -> list[Forecast]:
    """Forecasts, oldest first (by made_at, then id)."""
    where, params = [], []
    if question_id is not None:
        where.append("question_id = ?")
        params.append(question_id)
    if forecaster is not None:
        where.append("forecaster = ?")
        params.append(forecaster)
    rows = _decoded(conn, TABLES["forecast"], " AND ".join(where), params, "made_at, id")
    return _forecasts(conn, rows)


def forecasts_of(conn: Connection, question_ids: Sequence[str]) -> list[Forecast]:
    """Every forecast on ``question_ids`` (any number of ids), oldest first per question."""
    rows = _by_ids(conn, TABLES["forecast"], "question_id", question_ids)
    rows.sort(key=lambda r: (r["question_id"], r["made_at"], r["id"]))
    return _forecasts(conn, rows)


def resolutions(conn: Connection, question_ids: Sequence[str] | None = None) -> list[Resolution]:
    """Resolutions in the order they were recorded (by id)."""
    table = TABLES["resolution"]
    if question_ids is None:
        rows = _decoded(conn, table, order="id")
    else:
        rows = sorted(_by_ids(conn, table, "question_id", question_ids), key=lambda r: r["id"])
    return [Resolution(**r) for r in rows]


def latest_resolutions(conn: Connection) -> dict[str, Resolution]:
    latest: dict[str, Resolution] = {}
    for res in resolutions(conn):
        latest[res.question_id] = res  # ordered by id: the last one wins
    return latest


def sources(conn: Connection, ids: Sequence[str] | None = None) -> list[Source]:
    table = TABLES["source"]
    rows = _decoded(conn, table, order="id") if ids is None else sorted(
        _by_ids(conn, table, "id", ids), key=lambda r: r["id"])
    return [Source(**r) for r in rows]


def source_by_sha(conn: Connection, sha256: str) -> Source | None:
    rows = _decoded(conn, TABLES["source"], "sha256 = ?", (sha256,), "id")
    return Source(**rows[0]) if rows else None


def source_notes(conn: Connection, source_id: str) -> list[tuple[str, str]]:
    """(kind, text) of a source's notes, in the order they were recorded."""
    return [(k, t) for k, t in conn.rows(
        "SELECT kind, text FROM source_notes WHERE source_id = ? ORDER BY id", (source_id,))]


def claims(conn: Connection, source_id: str | None = None,
           ids: Sequence[str] | None = None) -> list[Claim]:
    table = TABLES["claim"]
    if ids is not None:
        rows = _by_ids(conn, table, "id", ids)
        if source_id is not None:
            rows = [r for r in rows if r["source_id"] == source_id]
    elif source_id is not None:
        rows = _decoded(conn, table, "source_id = ?", (source_id,))
    else:
        rows = _decoded(conn, table)
    rows.sort(key=lambda r: (r["source_id"] is not None, r["source_id"] or "",
                             r["span_start"] is not None, r["span_start"] or 0, r["id"]))
    keys = [r["id"] for r in rows]
    grades: dict[str, list[ClaimGrade]] = defaultdict(list)
    statuses: dict[str, list[ClaimStatus]] = defaultdict(list)
    for g in sorted(_by_ids(conn, TABLES["claim_grade"], "claim_id", keys),
                    key=lambda g: g["id"]):
        grades[g["claim_id"]].append(ClaimGrade(
            reliability=g["reliability"], credibility=g["credibility"],
            graded_at=g["graded_at"], note=g["note"]))
    for s in sorted(_by_ids(conn, TABLES["claim_status"], "claim_id", keys),
                    key=lambda s: s["id"]):
        statuses[s["claim_id"]].append(ClaimStatus(
            status=s["status"], evidence=s["evidence"], note=s["note"],
            marked_at=s["marked_at"]))
    return [Claim(**r, grades=grades.get(r["id"], []), statuses=statuses.get(r["id"], []))
            for r in rows]


def existing_ids(conn: Connection, kind: str, ids: Iterable[Any]) -> set[Any]:
    table = TABLES[kind]
    found: set[Any] = set()
    for chunk in _chunks(list(ids)):
        found.update(r[0] for r in conn.rows(
            f'SELECT id FROM "{table.name}" WHERE id IN ({_marks(len(chunk))})', chunk))
    return found


def authors(conn: Connection, entities: Sequence[str]) -> dict[str, str]:
    """The account that wrote each of ``entities`` (``forecast:12``…), where one did."""
    out: dict[str, str] = {}
    for chunk in _chunks(list(entities)):
        out.update(conn.rows(f"SELECT entity, author FROM ledger WHERE author IS NOT NULL AND "
                             f"entity IN ({_marks(len(chunk))})", chunk))
    return out


def forecaster_exists(conn: Connection, name: str) -> bool:
    return conn.one("SELECT 1 FROM forecasts WHERE forecaster = ? LIMIT 1", (name,)) is not None


def forecaster_names(conn: Connection) -> set[str]:
    return {r[0] for r in conn.rows("SELECT DISTINCT forecaster FROM forecasts")}


def written_at(conn: Connection, kind: str, keys: Iterable[Any]) -> dict[Any, datetime]:
    """When the ledger wrote each of ``kind``'s rows ``keys`` (its entries' written_at): the
    one recorded time the hash chain vouches for. A key without an entry is left out."""
    out: dict[Any, datetime] = {}
    by_entity = {ledger.entity_of(kind, k): k for k in keys}
    for chunk in _chunks(list(by_entity)):
        for entity, stamp in conn.rows(
                f"SELECT entity, written_at FROM ledger WHERE entity IN ({_marks(len(chunk))})",
                chunk):
            out[by_entity[entity]] = codec.from_db("time", stamp)
    return out


def count(conn: Connection, kind: str) -> int:
    return int(conn.scalar(f'SELECT COUNT(*) FROM "{TABLES[kind].name}"'))
