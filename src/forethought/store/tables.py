"""The tables, described once: each ledgered kind's table, key, columns and link tables.

This is the only description of the schema the running program reads. `schema.py` builds the
SQLAlchemy metadata alembic compares against from it, and `codec.py` turns inputs into rows and
ledger payloads with it. Column kinds:

* ``text``, ``int``, ``float`` — as they are;
* ``time`` — an aware UTC datetime; stored as naive UTC (SQLite: ``YYYY-MM-DD HH:MM:SS.ffffff``
  text, as SQLAlchemy writes it; PostgreSQL: ``timestamp without time zone``);
* ``date`` — a calendar date (SQLite: ``YYYY-MM-DD`` text);
* ``json`` — a list or object stored as canonical JSON text (sorted keys, no spaces, UTF-8).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str                  # text | int | float | time | date | json
    size: int | None = None    # VARCHAR length, where the database enforces one
    nullable: bool = True
    index: bool = False
    references: str | None = None  # "table.column"
    # A column added after rows were already vouched for: its value is left out of the ledger
    # payload while it holds ``default`` (the value the upgrade gave every older row), so the
    # payloads written before the column existed still match.
    default: str | None = None


@dataclass(frozen=True)
class Link:
    """A many-to-many link list stored in its own table (``question_tags``…)."""

    field: str     # the input's field and the ledger payload's key ("tags", "claims")
    table: str
    own: str       # the column naming the record
    target: str    # the column naming the linked value
    target_size: int = 120
    references: str | None = None


@dataclass(frozen=True)
class Table:
    kind: str           # the ledger kind ("forecast")
    name: str           # the table ("forecasts")
    key: str            # the column the ledger entity names ("id")
    columns: tuple[Column, ...]
    links: tuple[Link, ...] = ()
    serial: bool = False  # integer ids assigned by the store (max + 1 under the write lock)
    indexes: tuple[tuple[str, ...], ...] = ()  # composite indexes

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, kind: str = "text", size: int | None = None, *, null: bool = True,
       index: bool = False, ref: str | None = None, default: str | None = None) -> Column:
    return Column(name, kind, size, null, index, ref, default)


def _key(kind: str = "text") -> Column:
    return Column("id", kind, 120 if kind == "text" else None, False)


TABLES: dict[str, Table] = {t.kind: t for t in (
    Table("source", "sources", "id", (
        _key(), _c("title", null=False), _c("outlet"), _c("author"), _c("published_at", "date"),
        _c("url"), _c("sha256", size=64, index=True), _c("recorded_at", "time", null=False))),
    Table("source_note", "source_notes", "id", (
        _key("int"), _c("source_id", size=120, null=False, index=True, ref="sources.id"),
        _c("kind", size=20, null=False), _c("text", null=False), _c("span_start", "int"),
        _c("span_end", "int"), _c("recorded_at", "time", null=False)), serial=True),
    Table("claim", "claims", "id", (
        _key(), _c("source_id", size=120, index=True, ref="sources.id"), _c("said_by"),
        _c("text", null=False), _c("event_date", "date"), _c("span_start", "int"),
        _c("span_end", "int"), _c("recorded_at", "time", null=False))),
    Table("claim_grade", "claim_grades", "id", (
        _key("int"), _c("claim_id", size=120, null=False, index=True, ref="claims.id"),
        _c("reliability", size=1, null=False), _c("credibility", "int", null=False),
        _c("note"), _c("graded_at", "time", null=False)), serial=True),
    Table("claim_status", "claim_statuses", "id", (
        _key("int"), _c("claim_id", size=120, null=False, index=True, ref="claims.id"),
        _c("status", size=20, null=False), _c("evidence", "json", null=False), _c("note"),
        _c("marked_at", "time", null=False)), serial=True),
    Table("question", "questions", "id", (
        _key(), _c("title", null=False), _c("criteria"), _c("fine_print"),
        _c("type", size=20, null=False), _c("options", "json", null=False),
        _c("opened_at", "time", null=False), _c("resolve_by", "date", null=False, index=True),
        _c("recorded_at", "time", null=False),
        _c("source_id", size=120, index=True, ref="sources.id"), _c("span_start", "int"),
        _c("span_end", "int"), _c("condition"),
        _c("visibility", size=40, null=False, default="open")),  # 0003
        links=(Link("tags", "question_tags", "question_id", "tag"),
               Link("claims", "question_claims", "question_id", "claim_id",
                    references="claims.id"))),
    Table("forecast", "forecasts", "id", (
        _key("int"), _c("question_id", size=120, null=False, ref="questions.id"),
        _c("forecaster", size=200, null=False, index=True), _c("probability", "float"),
        _c("distribution", "json"), _c("made_at", "time", null=False),
        _c("recorded_at", "time", null=False), _c("rationale"), _c("entered_as"),
        _c("cue", size=60), _c("scale", size=30), _c("p_low", "float"), _c("p_high", "float"),
        _c("source_id", size=120, ref="sources.id")),
        links=(Link("claims", "forecast_claims", "forecast_id", "claim_id",
                    references="claims.id"),),
        serial=True, indexes=(("question_id", "made_at"),)),
    Table("resolution", "resolutions", "id", (
        _key("int"), _c("question_id", size=120, null=False, index=True, ref="questions.id"),
        _c("outcome", null=False), _c("known_at", "time", null=False),
        _c("recorded_at", "time", null=False), _c("note"), _c("evidence", "json", null=False),
        _c("correction")), serial=True),
)}

# the team server's accounts (0003): who may do what, as ledgered, append-only records; a
# password or a token secret is never in the ledger (see SECRETS)
TABLES.update({t.kind: t for t in (
    Table("account", "accounts", "name", (
        Column("name", "text", 200, False), _c("role", size=20, null=False),
        _c("recorded_at", "time", null=False))),
    Table("account_event", "account_events", "id", (
        _key("int"), _c("account", size=200, null=False, index=True, ref="accounts.name"),
        _c("action", size=20, null=False), _c("role", size=20), _c("token_id", "int"),
        _c("recorded_at", "time", null=False)), serial=True),
    Table("token", "tokens", "id", (
        _key("int"), _c("account", size=200, null=False, index=True, ref="accounts.name"),
        _c("read_only", "int", null=False), _c("label"),
        _c("recorded_at", "time", null=False)), serial=True),
    Table("setting", "settings", "id", (
        _key("int"), _c("key", size=60, null=False, index=True), _c("value", null=False),
        _c("recorded_at", "time", null=False)), serial=True),
)})

LEDGER = Table("ledger_entry", "ledger", "seq", (
    Column("seq", "int", None, False), Column("kind", "text", 40, False),
    Column("entity", "text", 200, False, True), Column("payload", "text", None, False),
    Column("written_at", "time", None, False), Column("prev_hash", "text", 64, False),
    Column("hash", "text", 64, False),
    Column("author", "text")))  # 0003: the account that wrote it (None: the command line)

# Operational tables, not records: never in the ledger, never exported. A secret is an argon2id
# password hash or a token's sha256; sessions and login failures come and go.
SECRETS = Table("secret", "secrets", "id", (
    _key("int"), _c("kind", size=20, null=False), _c("ref", size=200, null=False, index=True),
    _c("hash", null=False), _c("recorded_at", "time", null=False)), serial=True)
SESSIONS = Table("session", "sessions", "id", (
    Column("id", "text", 64, False), _c("account", size=200, null=False, index=True),
    _c("csrf", size=64, null=False), _c("created_at", "time", null=False),
    _c("expires_at", "time", null=False), _c("ended_at", "time")))
LOGIN_FAILURES = Table("login_failure", "login_failures", "id", (
    _key("int"), _c("key", size=300, null=False, index=True),
    _c("at", "time", null=False)), serial=True)
OPERATIONAL = (SECRETS, SESSIONS, LOGIN_FAILURES)


def table(kind: str) -> Table:
    return TABLES[kind]
