"""Shared fixtures: every test gets its own workspace and database.

`backend` runs a test on SQLite and on PostgreSQL. PostgreSQL tests need
FORETHOUGHT_TEST_POSTGRES_URL (CI sets it, so there they always run); each test gets a fresh
database created on that server and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PG_ENV = "FORETHOUGHT_TEST_POSTGRES_URL"


def shared(*parts: str) -> Path:
    """A file of ../shared (the project's reference documents and data), or skip the test with
    a one-line reason: a clone without ../shared still runs the suite green; CI has it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)}, which is not beside this checkout")
    return path


needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason="needs ../shared, which is not beside this checkout")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch a real workspace: no inherited FORETHOUGHT_DB, and a known forecaster."""
    monkeypatch.delenv("FORETHOUGHT_DB", raising=False)
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")


def _admin_url() -> str:
    url = os.environ[PG_ENV]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set")
    from sqlalchemy import create_engine, text

    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"ft_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(_admin_url(), name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: a SQLite file in tmp_path, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'forethought.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(backend: str):
    from forethought.store.engine import Store

    s = Store(backend, upgrade=True)
    yield s
    s.dispose()


@pytest.fixture
def workspace(tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with an initialised workspace whose database is `backend`; cwd is set to it."""
    from forethought.services.workspace import init

    folder = tmp_path / "ws"
    folder.mkdir()
    db = None if backend.startswith("sqlite") else backend
    ws = init(folder, forecaster="alice", db=db)
    ws.close()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def run(workspace: Path):
    """Run the CLI in the workspace: run("forecast", "q", "70%") → click Result."""
    from click.testing import CliRunner

    from forethought.cli.main import cli

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def scratch(backend: str, tmp_path: Path):
    """A second empty database on the same backend as ``backend``."""
    if backend.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(backend).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    name = f"ft_scratch_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(backend).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
