"""Several people forecasting on one database at once lose nothing and never fork the chain."""

from __future__ import annotations

import pytest
from tests.services import scenarios


@pytest.mark.slow
def test_eight_writers_lose_nothing(backend):
    out = scenarios.concurrency(backend, writers=8, per_writer=250)
    assert out.user_failures == 0, out.notes
    assert scenarios.count(backend, "forecasts") == 2000
    assert scenarios.count(backend, "questions") == scenarios.SHARED_QUESTIONS + 16
    assert scenarios.count(backend, "resolutions") == 16
    assert out.records_lost == 0
    assert out.verify == "OK (2042 entries)"


def test_the_scenario_notices_writers_without_the_ledger_lock(pg_url):
    """The same scenario with the lock switched off in the writers: users see failures, so the
    test above can fail."""
    out = scenarios.concurrency(pg_url, writers=4, per_writer=40, sabotage="no-ledger-lock")
    assert out.user_failures > 0
    assert any("UniqueViolation" in note for note in out.notes)


def test_commands_opening_a_new_database_at_once(backend):
    """Eight commands start together on a database nobody has opened: each creates or finds the
    schema and records a question (SQLite used to answer "database is locked" here)."""
    out = scenarios.first_open(backend, processes=8)
    assert out.user_failures == 0, out.notes
    assert scenarios.count(backend, "questions") == 8
    assert out.verify == "OK (8 entries)"


def test_commands_opening_an_old_sqlite_file_at_once(tmp_path):
    """Eight commands start together on a file with the first schema: one upgrades it, the
    others wait, nobody fails."""
    import shutil

    from tests.store.test_migrations import DATA

    path = tmp_path / "old.db"
    shutil.copy(DATA / "0001.db", path)
    url = f"sqlite:///{path}"
    out = scenarios.first_open(url, processes=8)
    assert out.user_failures == 0, out.notes
    assert scenarios.count(url, "questions") == 3 + 8
    assert out.verify == "OK (27 entries)"
