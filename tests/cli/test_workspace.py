"""Finding the workspace, --db and FORETHOUGHT_DB, and databases that cannot be used."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from forethought.cli.main import cli


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_no_workspace_says_how_to_create_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("list")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no forethought workspace here")
    assert "forethought init" in r.stderr


def test_commands_look_upward(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "--as", "carol").exit_code == 0
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert invoke("predict", "Nested?", "0.3", "--by", "2030-01-01").exit_code == 0
    assert "carol 30%" in invoke("list").stdout
    assert (tmp_path / ".forethought" / "forethought.db").exists()


def test_db_option_and_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "other.db"
    assert invoke("--help").exit_code == 0
    r = invoke("predict", "Via flag?", "0.3", "--by", "2030-01-01", "--db", str(db))
    assert r.exit_code == 0
    r = invoke("list", "--json", env={"FORETHOUGHT_DB": f"sqlite:///{db}"})
    assert '"via-flag"' in r.stdout


def test_db_pointing_at_a_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("list", "--db", str(tmp_path))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {tmp_path} is a folder, not a database file")


def test_db_pointing_at_a_non_database_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\n")
    r = invoke("list", "--db", str(junk))
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: {junk} is not a SQLite database")
    assert junk.read_text() == "just some notes\n"


def test_unreachable_postgresql(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke("list", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/nowhere")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot use the database at postgresql+psycopg://")
    assert "Traceback" not in r.output


def test_newer_schema_is_refused(tmp_path, monkeypatch):
    import sqlite3

    monkeypatch.chdir(tmp_path)
    db = tmp_path / "future.db"
    assert invoke("list", "--db", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    r = invoke("list", "--db", str(db))
    assert r.exit_code == 1
    assert "has schema revision 9999, which this version of forethought does not know" in r.stderr


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_refuses_an_old_schema_and_names_the_upgrade(backend, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    r = invoke("list", "--db", backend)
    assert r.exit_code == 1
    assert "run `forethought db upgrade`" in r.stderr
    assert invoke("db", "current", "--db", backend).stdout.startswith("None")
    assert invoke("db", "upgrade", "--db", backend).exit_code == 0
    assert invoke("list", "--db", backend).exit_code == 0
    assert invoke("db", "current", "--db", backend, "--json").stdout.count('"current": true') == 1


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from forethought.cli.main import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('pandas', 'matplotlib', 'sqlalchemy', 'duckdb', 'numpy') "
            "if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_every_command_has_help():
    from forethought.cli.main import COMMANDS

    for name in COMMANDS:
        r = invoke(name, "--help")
        assert r.exit_code == 0, name
        assert "Usage:" in r.stdout
