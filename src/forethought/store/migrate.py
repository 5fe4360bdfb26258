"""Alembic, configured in code: the migrations live in ``forethought/store/migrations``.

SQLAlchemy and alembic are imported only here, and only to build or upgrade a schema: checking it
on every command reads the `alembic_version` table and compares it with :data:`REVISIONS`, which
a test keeps equal to the revisions shipped in `migrations/versions/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

# Every shipped revision, oldest first. Add the new id here with each new migration.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003")


def config(conn: Any = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revisions() -> list[str]:
    return [REVISIONS[-1]]


def known_revisions() -> set[str]:
    return set(REVISIONS)


def sqlalchemy_url(url: str) -> str:
    scheme, rest = url.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        scheme = "postgresql+psycopg"
    return f"{scheme}://{rest}"


def upgrade_url(url: str, dialect: str, target: str = "head") -> None:
    """Upgrade the database at ``url`` to ``target`` in one transaction that holds the ledger's
    write lock (SQLite ``BEGIN IMMEDIATE``, PostgreSQL the advisory lock); alembic re-reads the
    revision under the lock, so of several processes upgrading at once only the first migrates."""
    from alembic import command
    from sqlalchemy import create_engine, event, text

    from forethought.store.engine import BUSY_TIMEOUT_S, PAGE_SIZE
    from forethought.store.ledger import LOCK_KEY

    if dialect == "sqlite":
        engine = create_engine(sqlalchemy_url(url), connect_args={"timeout": BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            for pragma in (f"page_size = {PAGE_SIZE}", f"busy_timeout = {BUSY_TIMEOUT_S * 1000}",
                           "journal_mode = WAL", "foreign_keys = ON"):
                dbapi_conn.execute(f"PRAGMA {pragma}")

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        engine = create_engine(sqlalchemy_url(url), connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            if dialect == "postgresql":
                conn.execute(text(f"SELECT pg_advisory_xact_lock({LOCK_KEY})"))
            command.upgrade(config(conn), target)
    finally:
        engine.dispose()
