"""The head a workspace remembers (`.forethought/heads.json`) travels with the database
(issue #12, item 11): moving the workspace folder used to drop the remembered-head check
silently, because heads were keyed by the database's absolute path."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from forethought.cli.main import cli

REMEMBERED = "In the chain at entry 2: the head this workspace verified on "


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _cut_tail(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM forecasts"))
            conn.execute(text("DELETE FROM ledger WHERE seq = 2"))
    finally:
        engine.dispose()


def test_a_moved_workspace_still_checks_its_remembered_head(tmp_path, monkeypatch):
    old, new = tmp_path / "old", tmp_path / "elsewhere" / "new"
    old.mkdir()
    monkeypatch.chdir(old)
    from forethought.services.workspace import init

    init(old, forecaster="alice").close()
    for args in (("ask", "Rain?", "--by", "2030-01-01", "--id", "q"), ("forecast", "q", "0.4"),
                 ("verify",)):
        assert run(*args).exit_code == 0
    new.parent.mkdir()
    shutil.move(old, new)
    monkeypatch.chdir(new)
    r = run("verify")
    assert r.exit_code == 0, r.output
    assert REMEMBERED in r.stdout
    _cut_tail(f"sqlite:///{new / '.forethought' / 'forethought.db'}")
    r = run("verify")
    assert r.exit_code == 1
    assert "the head this workspace verified on " in r.stdout
    assert "is not in the chain" in r.stdout


def test_heads_remembered_under_the_old_key_are_still_read(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    folder.mkdir()
    monkeypatch.chdir(folder)
    from forethought.services.workspace import init

    init(folder, forecaster="alice").close()
    for args in (("ask", "Rain?", "--by", "2030-01-01", "--id", "q"), ("forecast", "q", "0.4"),
                 ("verify",)):
        assert run(*args).exit_code == 0
    heads = folder / ".forethought" / "heads.json"
    data = json.loads(heads.read_text(encoding="utf-8"))
    (record,) = data.values()
    db = (folder / ".forethought" / "forethought.db").resolve()
    old_key = f"sqlite:///{db}"
    heads.write_text(json.dumps({old_key: {k: v for k, v in record.items() if k != "first"}}),
                     encoding="utf-8")
    r = run("verify")
    assert r.exit_code == 0, r.output
    assert REMEMBERED in r.stdout
    assert list(json.loads(heads.read_text(encoding="utf-8"))) == ["file:.forethought/"
                                                                   "forethought.db"]


def test_a_database_reached_by_another_url_finds_its_head(pg_url, tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    folder.mkdir()
    monkeypatch.chdir(folder)
    from forethought.services.workspace import init

    init(folder, forecaster="alice", db=pg_url).close()
    for args in (("ask", "Rain?", "--by", "2030-01-01", "--id", "q"), ("forecast", "q", "0.4"),
                 ("verify",)):
        assert run(*args).exit_code == 0
    other = pg_url.replace("127.0.0.1", "localhost")
    assert other != pg_url, "the test server is not reached as 127.0.0.1"
    r = run("verify", "--db", other)
    assert r.exit_code == 0, r.output
    assert REMEMBERED in r.stdout
