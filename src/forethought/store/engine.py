"""Open a database, keep its schema current, and run units of work.

The running program talks to the database through its DB-API driver — the standard library's
`sqlite3`, or psycopg 3 for PostgreSQL — and imports SQLAlchemy and alembic only to build or
upgrade a schema. (Importing SQLAlchemy takes longer than the rest of a one-forecast command:
see the README's benchmarks.) SQLite, the embedded default, runs in WAL mode with a busy timeout
and upgrades itself on open; PostgreSQL refuses an old schema and names `forethought db upgrade`.

Units of work:

* :meth:`Store.write` runs a function in one transaction that holds the ledger's write lock
  (SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``pg_advisory_xact_lock``), commits on success, rolls
  back on any error and retries a bounded number of times when the database is busy;
* :meth:`Store.read` yields a connection in one read-only snapshot (SQLite: one read
  transaction; PostgreSQL: ``REPEATABLE READ READ ONLY``), so every query inside sees the same
  data even while others write.
"""

from __future__ import annotations

import copy
import os
import queue
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from forethought.domain.accounts import Actor
from forethought.errors import (
    CorruptDatabase,
    DatabaseError,
    ForethoughtError,
    SchemaOutdated,
    SchemaTooNew,
)
from forethought.store import ledger, migrate
from forethought.store.damage import check_lines, corruption, damaged, driver_error

__all__ = ["Connection", "Store", "check_lines", "corruption", "damaged", "map_error"]

T = TypeVar("T")
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30
RETRIES = 8
PAGE_SIZE = 16384
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def url_for(target: str) -> str:
    """A database URL for ``target``: a URL as given, or a path to a SQLite file."""
    if "://" in target:
        return target
    path = Path(target).expanduser()
    if path.is_dir():
        raise DatabaseError(
            f"{target} is a folder, not a database file; give a file such as "
            f"{path / 'forethought.db'} or a postgresql+psycopg:// URL"
        )
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise DatabaseError(
                    f"{target} is not a SQLite database; point --db at a forethought database "
                    "file, or at a new path to create one"
                )
    return f"sqlite:///{path.resolve()}"


def describe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return _PASSWORD.sub(r"\1***@", url)


def _dialect(url: str) -> str:
    scheme = url.split("://", 1)[0].lower()
    name = scheme.split("+", 1)[0]
    if name in ("postgresql", "postgres"):
        return "postgresql"
    if name == "sqlite":
        return "sqlite"
    raise DatabaseError(f"forethought works with SQLite and PostgreSQL, not {name!r}; use a "
                        "file path, sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB")


def libpq_url(url: str) -> str:
    """``postgresql+psycopg://…`` (SQLAlchemy's form) as the URI libpq reads."""
    return "postgresql://" + url.split("://", 1)[1]


class Connection:
    """A DB-API connection inside one unit of work. SQL is written with ``?`` placeholders
    (translated for psycopg); functions that take one never commit."""

    def __init__(self, raw: Any, dialect: str, url: str) -> None:
        self.raw, self.dialect, self.url = raw, dialect, url
        self.sqlite = dialect == "sqlite"
        self.author: str | None = None  # the account whose write this is (ledger entries)
        self.viewer: str | None = None  # the account reading: others' hidden forecasts are not
        self.hidden: set[str] | None = None  # returned (see repository.hidden_questions)
        self._sql: dict[str, str] = {}

    def sql(self, text: str) -> str:
        if self.sqlite:
            return text
        found = self._sql.get(text)
        if found is None:
            found = self._sql[text] = text.replace("%", "%%").replace("?", "%s")
        return found

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.raw.cursor()
        cur.execute(self.sql(sql), tuple(params))
        return cur

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self.execute(sql, params)
        try:
            return cur.fetchall()
        finally:
            cur.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        cur = self.execute(sql, params)
        try:
            return cur.fetchone()
        finally:
            cur.close()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.one(sql, params)
        return None if row is None else row[0]

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """Insert ``rows`` (driver values in ``columns`` order): sqlite3 ``executemany`` or
        PostgreSQL ``COPY``."""
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            self.raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
            return
        with self.raw.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    def has_table(self, name: str) -> bool:
        if self.sqlite:
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        else:
            sql = "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?"
        return self.one(sql, (name,)) is not None


class Store:
    """An open database. Use :meth:`write` / :meth:`read` for units of work."""

    def __init__(self, url: str, *, upgrade: bool | None = None, check: bool = True) -> None:
        self.url = url_for(url)
        self.dialect = _dialect(self.url)
        self.path: Path | None = None
        if self.dialect == "sqlite":
            path = self.url.split(":///", 1)[1] if ":///" in self.url else ""
            if path and path != ":memory:":
                self.path = Path(path)
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._corrupt: str | None = None
        self.actor: Actor | None = None
        self._healthy = False  # the damage marker was checked and cleared by this process
        if check:
            self.check_schema(upgrade=self.dialect == "sqlite" if upgrade is None else upgrade)

    def __repr__(self) -> str:
        return f"<Store {describe(self.url)}>"

    def acting_as(self, actor: Actor | None) -> Store:
        """This store, used by ``actor``: its writes' ledger entries name the account, and the
        services check what it may do and see (the connection pool is shared)."""
        view = copy.copy(self)
        view.actor = actor
        return view

    @property
    def where(self) -> str:
        """The database, for messages: its file, or its URL without the password."""
        return str(self.path) if self.path is not None else describe(self.url)

    # -- connections --------------------------------------------------------------------------
    def _connect(self) -> Connection:
        if self.dialect == "sqlite":
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            raw = sqlite3.connect(self.path or ":memory:", timeout=BUSY_TIMEOUT_S,
                                  isolation_level=None, check_same_thread=False)
            # 16 KiB pages for a new database (an existing one keeps its own); see the README
            raw.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            raw.execute("PRAGMA journal_mode = WAL")
            raw.execute("PRAGMA synchronous = NORMAL")
            raw.execute("PRAGMA foreign_keys = ON")
            return Connection(raw, "sqlite", self.url)
        import psycopg

        pg = psycopg.connect(libpq_url(self.url), autocommit=True, connect_timeout=5)
        return Connection(pg, "postgresql", self.url)

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = self._connect()
        healthy = False
        try:
            yield conn
            healthy = True
        finally:
            if healthy:
                self._idle.put(conn)
            else:
                _close(conn)

    # -- units of work ------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in one read-only snapshot."""
        with self._mapped(), self._connection() as conn:
            begin = "BEGIN" if conn.sqlite else \
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
            conn.execute(begin).close()
            conn.viewer = self.actor.name if self.actor is not None else None
            try:
                yield conn
            finally:
                conn.viewer, conn.hidden = None, None
                conn.raw.execute("ROLLBACK")

    @contextmanager
    def unchecked(self) -> Iterator[Connection]:
        """A connection outside any transaction whose errors are not mapped: for salvage,
        which reads a damaged file query by query and expects some queries to fail."""
        with self._connection() as conn:
            yield conn

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(conn)`` in one transaction holding the ledger's write lock; commit on
        success, roll back on any error. A busy database is retried a bounded number of times.
        Nothing is written to a file this or an earlier process found damaged."""
        if self._corrupt is not None:
            raise CorruptDatabase(self._corrupt)
        self._refuse_if_damaged()
        for attempt in range(RETRIES):
            try:
                with self._mapped(retryable=True), self._connection() as conn:
                    conn.author = self.actor.name if self.actor is not None else None
                    conn.viewer = conn.author
                    try:
                        return _transaction(conn, work)
                    finally:
                        conn.author, conn.viewer, conn.hidden = None, None, None
            except _Busy:
                time.sleep(min(0.05 * 2**attempt, 2.0))
        raise DatabaseError(
            "the database stayed busy (another process is writing); try again in a moment"
        )

    @contextmanager
    def _mapped(self, retryable: bool = False) -> Iterator[None]:
        """Turn the drivers' errors into forethought's own (see :func:`map_error`)."""
        try:
            yield
        except ForethoughtError:
            raise
        except Exception as exc:
            mapped = map_error(exc, self.where, retryable)
            if mapped is None:
                raise
            if isinstance(mapped, CorruptDatabase):
                self.mark_damaged(corruption(exc) or str(mapped))
            if isinstance(mapped, _Busy):
                raise mapped from exc
            if os.environ.get("FORETHOUGHT_DEBUG"):
                raise
            raise mapped from None

    # -- damage -------------------------------------------------------------------------------
    @property
    def damage_marker(self) -> Path | None:
        """``<database>.damaged``: written beside a SQLite file when damage is seen, so that
        every later process refuses to write into it too (None for PostgreSQL)."""
        return None if self.path is None else self.path.with_name(self.path.name + ".damaged")

    def mark_damaged(self, why: str) -> None:
        """Stop writes: in this process at once, in later ones through the marker file."""
        self._corrupt = str(damaged(self.where, why))
        marker = self.damage_marker
        if marker is not None:
            try:
                marker.write_text(f"{why}\n", encoding="utf-8")
            except OSError:  # a read-only folder: this process still stops writing
                pass

    def _refuse_if_damaged(self) -> None:
        """A file some command found damaged takes no writes until SQLite's quick check
        passes again (the file was repaired or a backup restored in its place)."""
        marker = self.damage_marker
        if marker is None or self._healthy or not marker.exists():
            return
        try:
            with self._connection() as conn:
                found = check_lines([r[0] for r in conn.rows("PRAGMA quick_check(1)")])
        except sqlite3.Error as exc:
            found = [corruption(exc) or str(exc)]
        if found:
            self.mark_damaged(found[0])
            raise CorruptDatabase(self._corrupt)
        marker.unlink(missing_ok=True)
        self._healthy = True

    # -- schema -------------------------------------------------------------------------------
    def current_revision(self) -> str | None:
        with self._mapped(), self._connection() as conn:
            if not conn.has_table("alembic_version"):
                return None
            return conn.scalar("SELECT version_num FROM alembic_version")

    def check_schema(self, upgrade: bool) -> None:
        current = self.current_revision()
        heads = migrate.head_revisions()
        if current is not None and current not in migrate.known_revisions():
            raise SchemaTooNew(
                f"the database at {self.where} has schema revision {current}, which this "
                "version of forethought does not know; upgrade forethought "
                "(pip install -U forethought)"
            )
        if current in heads:
            return
        if upgrade:
            self.upgrade()
            return
        raise SchemaOutdated(
            f"the database at {self.where} has schema {current or 'none (empty database)'}, "
            f"but this forethought needs {heads[0]}; run `forethought db upgrade` (back the "
            "database up first)"
        )

    def upgrade(self) -> None:
        """Migrate to the head with alembic, under the ledger's write lock, so that processes
        opening an old database at once queue and only the first one migrates."""
        for attempt in range(RETRIES):
            try:
                with self._mapped(retryable=True):
                    migrate.upgrade_url(self.url, self.dialect)
                return
            except _Busy:
                time.sleep(min(0.05 * 2**attempt, 2.0))
        raise DatabaseError("the database stayed busy while upgrading its schema; try again")

    def dispose(self) -> None:
        while True:
            try:
                _close(self._idle.get_nowait())
            except queue.Empty:
                return


def _transaction(conn: Connection, work: Callable[[Connection], T]) -> T:
    conn.raw.execute("BEGIN IMMEDIATE" if conn.sqlite else "BEGIN")
    try:
        ledger.lock(conn)
        result = work(conn)
    except BaseException:
        conn.raw.execute("ROLLBACK")
        raise
    conn.raw.execute("COMMIT")
    return result


def _close(conn: Connection) -> None:
    try:
        conn.raw.close()
    except Exception:  # noqa: BLE001 - a broken connection is being thrown away anyway
        pass


class _Busy(Exception):
    pass


_BUSY = ("database is locked", "database is busy", "could not serialize", "deadlock detected")


def map_error(exc: BaseException, where: str, retryable: bool = False) -> Exception | None:
    """forethought's error for a driver's error, or None for one that means a bug (an
    integrity or programming error: let it show its traceback)."""
    names = {k.__name__ for k in type(exc).__mro__}
    if not driver_error(exc):
        return None
    message = str(exc).strip()
    first = message.splitlines()[0] if message else type(exc).__name__
    lowered = message.lower()
    why = corruption(exc)
    if why is not None:
        return damaged(where, why)
    if any(s in lowered for s in _BUSY):
        return _Busy() if retryable else DatabaseError(
            f"the database at {where} is busy (another process holds it); try again in a moment")
    if "OperationalError" in names or "InterfaceError" in names:
        return DatabaseError(f"cannot use the database at {where}: {first}")
    return None
