"""`verify` runs the database's own check of its files, on both backends (issue #12, item 2),
and `export jsonl --salvage` of a sound database is the export, byte for byte."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text


def _check_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("Database check: "))


def test_verify_names_the_check_it_ran(run, backend, seeded):
    r = run("verify")
    assert r.exit_code == 0, r.output
    line = _check_line(r.stdout)
    if backend.startswith("sqlite"):
        assert line == "Database check: SQLite integrity_check (every page, every index): ok."
    else:
        assert line.startswith("Database check: none: PostgreSQL's amcheck extension is not "
                               "installed in this database, so its pages were not checked "
                               "(data checksums: ")
        assert line.endswith("a superuser can run CREATE EXTENSION amcheck to let verify "
                             "check every table and index: ok.")


def test_verify_uses_amcheck_when_installed(pg_url, monkeypatch, tmp_path):
    from click.testing import CliRunner

    from forethought.cli.main import cli
    from forethought.services.workspace import init

    def run(*args):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    folder = tmp_path / "pg"
    folder.mkdir()
    init(folder, forecaster="alice", db=pg_url).close()
    monkeypatch.chdir(folder)
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE EXTENSION amcheck"))
    finally:
        engine.dispose()
    assert run("predict", "Rain?", "0.7", "--by", "2030-01-01").exit_code == 0
    r = run("verify", "--json")
    assert r.exit_code == 0, r.output
    check = json.loads(r.stdout)["database"]
    assert check["ok"] is True and check["problems"] == []
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:  # every table of the workspace's schema, counted apart
            tables = conn.execute(text(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")).scalar()
    finally:
        engine.dispose()
    assert check["check"].startswith(f"PostgreSQL amcheck (verify_heapam on {tables} tables, "
                                     "bt_index_check on ")


def test_salvage_of_a_sound_database_is_the_export(run, seeded, tmp_path):
    plain, salvaged = tmp_path / "plain.jsonl", tmp_path / "salvaged.jsonl"
    assert run("export", "jsonl", "--out", str(plain)).exit_code == 0
    r = run("export", "jsonl", "--salvage", "--out", str(salvaged))
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[-1] == "No record is known to be lost."
    assert salvaged.read_bytes() == plain.read_bytes()
