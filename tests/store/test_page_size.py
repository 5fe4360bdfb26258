"""New SQLite databases use 16 KiB pages; an existing database keeps the page size it has."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from forethought.store.engine import PAGE_SIZE, Store


def _page_size(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA page_size").fetchone()[0]


def test_a_new_database_gets_the_larger_pages(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store(str(path)).dispose()
    assert PAGE_SIZE == 16384 and _page_size(path) == PAGE_SIZE


def test_an_existing_database_keeps_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("CREATE TABLE before (x INTEGER)")
    store = Store(str(path))  # upgrades the schema in place
    with store.read() as conn:
        assert conn.scalar("SELECT count(*) FROM questions") == 0
    store.dispose()
    assert _page_size(path) == 4096
