"""Open a database, keep its schema current, and run units of work.

SQLite (the embedded default) runs in WAL mode with a busy timeout and upgrades itself on open.
PostgreSQL (psycopg 3) refuses an old schema and names `forethought db upgrade`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError

from forethought.errors import DatabaseError, ForethoughtError, SchemaOutdated, SchemaTooNew
from forethought.store import migrate

T = TypeVar("T")
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30
RETRIES = 8
PAGE_SIZE = 16384


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


def _describe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class Store:
    """An open database. Use :meth:`write` / :meth:`read` for units of work."""

    def __init__(self, url: str, *, upgrade: bool | None = None, check: bool = True) -> None:
        self.url = url_for(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise DatabaseError(
                f"cannot understand the database URL {url!r}; use a file path, sqlite:///PATH "
                "or postgresql+psycopg://USER@HOST:PORT/DB"
            ) from None
        if parsed.drivername == "postgresql" or parsed.drivername == "postgres":
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise DatabaseError(
                f"forethought works with SQLite and PostgreSQL, not {self.dialect!r}"
            )
        self.engine = self._make_engine(parsed)
        if check:
            self.check_schema(upgrade=self.dialect == "sqlite" if upgrade is None else upgrade)

    def _make_engine(self, parsed) -> Engine:
        if self.dialect == "sqlite":
            path = parsed.database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S})
            _sqlite_setup(engine)
            return engine
        return create_engine(
            parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5}
        )

    # -- schema -----------------------------------------------------------------------------
    def check_schema(self, upgrade: bool) -> None:
        with self._wrapped():
            with self.engine.connect() as conn:
                current = migrate.current_revision(conn)
        heads = migrate.head_revisions()
        if current is not None and current not in migrate.known_revisions():
            raise SchemaTooNew(
                f"the database at {_describe(self.url)} has schema revision {current}, which "
                "this version of forethought does not know; upgrade forethought "
                "(pip install -U forethought)"
            )
        if current in heads:
            return
        if upgrade:
            self.upgrade()
            return
        raise SchemaOutdated(
            f"the database at {_describe(self.url)} has schema "
            f"{current or 'none (empty database)'}, but this forethought needs {heads[0]}; "
            "run `forethought db upgrade` (back the database up first)"
        )

    def upgrade(self) -> None:
        """Migrate to the head under the ledger's write lock (BEGIN IMMEDIATE on SQLite), with
        write()'s bounded retry: processes opening an old database at once queue, and alembic
        re-reads the revision under the lock, so only the first one migrates. (A plain BEGIN
        made them fail with "database is locked" when they upgraded the read to a write.)"""
        self.write(migrate.upgrade)

    def current_revision(self) -> str | None:
        with self._wrapped():
            with self.engine.connect() as conn:
                return migrate.current_revision(conn)

    # -- units of work ----------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in one read transaction: on SQLite every query inside (the bulk
        readers' raw cursors included) sees the same snapshot."""
        with self._wrapped():
            with self.engine.connect() as conn, conn.begin():
                yield conn

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work(conn)`` in one transaction holding the ledger's write lock; commit on
        success, roll back on any error. A busy database is retried a bounded number of times."""
        for attempt in range(RETRIES):
            try:
                with self._wrapped(retryable=True):
                    with self.engine.connect() as raw:
                        conn = raw.execution_options(forethought_write=True)
                        with conn.begin():
                            from forethought.store import ledger  # writes only: reads skip the ORM

                            ledger.lock(conn)
                            return work(conn)
            except _Busy:
                time.sleep(min(0.05 * 2**attempt, 2.0))
        raise DatabaseError(
            "the database stayed busy (another process is writing); try again in a moment"
        )

    @contextmanager
    def _wrapped(self, retryable: bool = False) -> Iterator[None]:
        try:
            yield
        except ForethoughtError:
            raise
        except OperationalError as exc:
            message = str(exc.orig) if exc.orig is not None else str(exc)
            if retryable and _is_busy(message):
                raise _Busy() from exc
            if os.environ.get("FORETHOUGHT_DEBUG"):
                raise
            raise DatabaseError(
                f"cannot use the database at {_describe(self.url)}: {message.strip()}"
            ) from None
        except DBAPIError as exc:
            message = str(exc.orig) if exc.orig is not None else str(exc)
            if retryable and _is_busy(message):
                raise _Busy() from exc
            raise
        except SQLAlchemyError:
            raise

    def dispose(self) -> None:
        self.engine.dispose()


class _Busy(Exception):
    pass


def _is_busy(message: str) -> bool:
    lowered = message.lower()
    return any(s in lowered for s in ("database is locked", "could not serialize",
                                       "deadlock detected", "database is busy"))


def _sqlite_setup(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE for transactions that write (the SQLAlchemy
    recipe: pysqlite's own transaction handling is switched off)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # 16 KiB pages for a new database (an existing one keeps its own): a million-forecast
        # import runs ~17% faster than with SQLite's 4 KiB default (8 KiB: ~12%); a single
        # write takes ~0.07 ms longer inside a process that spends ~400 ms starting up
        # (measured with bench/import_bench.py and bench/foundation.py)
        cur.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        if conn.get_execution_options().get("forethought_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
