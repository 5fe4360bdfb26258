"""Upgrades keep every record: committed databases made by each released schema revision are
upgraded to the head; PostgreSQL is upgraded from the first revision with data in it; and the
migrations build exactly what `store/tables.py` describes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from forethought.store import migrate
from forethought.store.engine import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "migrations"
FILES = sorted(DATA.glob("*.db"))

Snapshot = dict[str, tuple[list[str], list[tuple]]]


def snapshot(url: str) -> Snapshot:
    """Every row of every table (but alembic's), read by reflection: no forethought code, so it
    reads any revision."""
    engine = create_engine(url)
    meta = MetaData()
    try:
        with engine.connect() as conn:
            meta.reflect(conn)
            out = {}
            for name, table in meta.tables.items():
                if name == "alembic_version":
                    continue
                columns = sorted(table.c.keys())
                rows = conn.execute(select(*[table.c[c] for c in columns])).all()
                out[name] = (columns, sorted((tuple(r) for r in rows), key=repr))
    finally:
        engine.dispose()
    return out


def assert_kept(before: Snapshot, after: Snapshot) -> None:
    """Every table, column and row of ``before`` is in ``after`` with the same values."""
    for name, (columns, rows) in before.items():
        assert name in after, f"table {name} is gone"
        new_columns, new_rows = after[name]
        missing = set(columns) - set(new_columns)
        assert not missing, f"{name}: columns {missing} are gone"
        index = [new_columns.index(c) for c in columns]
        projected = {tuple(r[i] for i in index) for r in new_rows}
        lost = [r for r in rows if r not in projected]
        assert not lost, f"{name}: {len(lost)} rows lost or changed, e.g. {lost[0]}"


def verify_ok(url: str) -> None:
    from forethought.services import integrity

    store = Store(url)
    try:
        report = integrity.verify(store)
    finally:
        store.dispose()
    assert report.ok, [p.describe() for p in report.problems]


def drift(url: str) -> list:
    """What `alembic check` would report: differences between the database and the schema
    `store/tables.py` describes."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from forethought.store.schema import metadata

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def manifest(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_every_released_revision_has_a_database_file():
    made = {p.stem for p in FILES}
    missing = [r for r in migrate.REVISIONS if r not in made]
    assert not missing, (f"no committed database for revision(s) {missing}: run "
                         f"`python tests/data/migrations/make.py {missing[0]}` and commit it")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_upgrading_a_committed_database_keeps_every_record(path, tmp_path):
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    url = f"sqlite:///{copy}"
    expected = manifest(path)
    before = snapshot(url)
    assert {n: len(rows) for n, (_, rows) in before.items()} == expected["rows"]
    assert migrate.REVISIONS.index(expected["revision"]) >= 0

    store = Store(url, upgrade=True)
    try:
        assert store.current_revision() == migrate.head_revisions()[0]
        from forethought.services import integrity

        assert integrity.head(store) == (expected["head"]["seq"], expected["head"]["hash"])
    finally:
        store.dispose()
    assert_kept(before, snapshot(url))
    verify_ok(url)
    assert drift(url) == []


def _copy_rows(source_url: str, target_url: str) -> None:
    """Copy every row of a SQLite database into a PostgreSQL one at the same revision."""
    src, dst = create_engine(source_url), create_engine(target_url)
    src_meta, dst_meta = MetaData(), MetaData()
    try:
        with src.connect() as read, dst.begin() as write:
            src_meta.reflect(read)
            dst_meta.reflect(write)
            for table in src_meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                rows = [dict(r._mapping) for r in read.execute(select(table))]
                if rows:
                    write.execute(dst_meta.tables[table.name].insert(), rows)
    finally:
        src.dispose()
        dst.dispose()


def test_postgresql_upgrades_from_the_first_revision_with_data(pg_url, tmp_path):
    first = migrate.REVISIONS[0]
    old = DATA / f"{first}.db"
    migrate.upgrade_url(pg_url, "postgresql", first)
    _copy_rows(f"sqlite:///{old}", pg_url)
    before = snapshot(pg_url)
    assert before == snapshot(f"sqlite:///{old}")

    if migrate.head_revisions()[0] != first:  # an old schema is refused until upgraded
        from click.testing import CliRunner

        from forethought.cli.main import cli

        r = CliRunner().invoke(cli, ["verify", "--db", pg_url])
        assert r.exit_code == 1
        assert r.stderr.startswith(f"Error: the database at {pg_url} has schema {first}, but "
                                   f"this forethought needs {migrate.head_revisions()[0]}; run "
                                   "`forethought db upgrade`")
    Store(pg_url, upgrade=True).dispose()
    assert_kept(before, snapshot(pg_url))
    verify_ok(pg_url)
    assert drift(pg_url) == []


def test_the_migrations_build_what_the_tables_describe(backend):
    Store(backend, upgrade=True).dispose()
    assert drift(backend) == []
