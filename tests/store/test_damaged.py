"""Issue #12, item 2: a SQLite file with pages overwritten (as a failing disk or a stray write
leaves it). Every command says so in one `Error:` line naming the file and what to do; `verify`
runs SQLite's own integrity check; writes stop once damage is seen, in later processes too;
`export jsonl --salvage` gets out every record that can still be read and names the rest.

The damaged files are real databases built by forethought, then overwritten page by page."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.services.scenarios import make_bulk

from forethought.cli.main import cli

PAGE = 16384
N_QUESTIONS, PER_QUESTION = 12, 150


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a bulk import and a few typed records, its WAL checkpointed; tests copy
    it before damaging it."""
    from forethought.services.workspace import init

    folder = tmp_path_factory.mktemp("built") / "ws"
    folder.mkdir()
    init(folder, forecaster="alice").close()
    bulk = make_bulk(folder.parent / "bulk", N_QUESTIONS * PER_QUESTION,
                     per_question=PER_QUESTION)
    runner = CliRunner()
    for args in (("import", "jsonl", str(bulk)), ("resolve", "bulk-0001", "yes"),
                 ("export", "jsonl", "--out", str(folder.parent / "clean.jsonl"))):
        r = runner.invoke(cli, [*args, "--db", str(_db(folder))], catch_exceptions=False)
        assert r.exit_code == 0, r.output
    with sqlite3.connect(_db(folder)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            conn.execute("SELECT 1 FROM dbstat LIMIT 1")
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat table to find a table's pages with")
    return folder


def _db(folder: Path) -> Path:
    return folder / ".forethought" / "forethought.db"


def pages(db: Path, name: str, kind: str = "leaf") -> list[int]:
    """The pages of table or index ``name`` (``kind``: leaf, internal or root)."""
    with sqlite3.connect(db) as conn:
        if kind == "root":
            return [conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                 (name,)).fetchone()[0]]
        return [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno",
            (name, kind))]


def overwrite(db: Path, *numbers: int) -> None:
    """Overwrite whole pages with a byte pattern no page holds."""
    with db.open("r+b") as fh:
        for n in numbers:
            fh.seek((n - 1) * PAGE)
            fh.write(b"\xa5" * PAGE)


@pytest.fixture
def ws(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(built, folder)
    monkeypatch.chdir(folder)
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(r, db: Path) -> str:
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"Error: the database file {db} is damaged ("), lines[0]
    assert "`forethought export jsonl --salvage --out FILE`" in lines[0]
    return lines[0]


COMMANDS = [
    ("verify",), ("list",), ("due",), ("show", "bulk-0001"), ("score",),
    ("score", "--by", "tag"), ("calibration", "--out", "c.png"), ("report", "--out", "site"),
    ("export", "jsonl", "--out", "x.jsonl"), ("export", "csv", "--out", "x.csv"),
    ("export", "records", "--out", "recs"), ("export", "fatebook", "--out", "fb.csv"),
    ("export", "ics", "--out", "x.ics"), ("ledger", "head"), ("ledger", "prove", "bulk-0001"),
    ("forecast", "bulk-0002", "0.5"), ("resolve", "bulk-0002", "no"),
    ("ask", "Another?", "--by", "2030-01-01"), ("chart", "history", "bulk-0001", "--out", "h.png"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_names_the_damaged_file(ws, args):
    db = _db(ws)
    overwrite(db, *(pages(db, name, "root")[0]
                    for name in ("ledger", "questions", "forecasts", "resolutions")))
    before = digest(db)
    _one_error_line(run(*args), db)
    assert digest(db) == before


def test_verify_runs_sqlites_integrity_check(ws):
    """Damage to an index no row read touches: the ledger walk alone said OK."""
    db = _db(ws)
    damaged = pages(db, "ix_forecasts_forecaster", "root")[0]
    overwrite(db, damaged)
    r = run("verify")
    line = _one_error_line(r, db)
    assert f"(Page {damaged}: " in line
    assert "Run `forethought verify`" not in line  # it has just run
    assert "OK:" not in r.stdout
    assert "Database check: SQLite integrity_check (every page, every index): found damage." \
        in r.stdout
    assert f"DAMAGED database file: Page {damaged}: " in r.stdout
    report = json.loads(run("verify", "--json").stdout)
    assert report["ok"] is False and report["database"]["ok"] is False


def test_verify_reports_the_check_on_a_sound_file(ws):
    r = run("verify")
    assert r.exit_code == 0, r.output
    assert "Database check: SQLite integrity_check (every page, every index): ok." in r.stdout


def test_writes_stop_once_damage_is_seen_also_in_later_processes(ws, built):
    """The first forecasts' page is damaged; a new forecast never touches it, so only what an
    earlier command saw can stop the write."""
    db = _db(ws)
    overwrite(db, pages(db, "forecasts")[0])
    _one_error_line(run("export", "jsonl", "--out", "x.jsonl"), db)
    marker = db.with_name(db.name + ".damaged")
    assert marker.exists()
    before = digest(db)
    _one_error_line(run("forecast", "bulk-0002", "0.5"), db)  # a new Store, as a new process
    assert digest(db) == before
    # a backup restored in its place takes writes again, and the marker goes
    shutil.copyfile(_db(built), db)
    r = run("forecast", "bulk-0002", "0.5")
    assert r.exit_code == 0, r.output
    assert not marker.exists()


def _questions(path: Path) -> dict[str, dict]:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {d["id"]: d for d in docs if "id" in d}


def test_salvage_reads_around_damaged_table_pages(ws, built):
    """Every forecast row on the damaged pages is also in its ledger entry: nothing is lost,
    and the file is the clean export, byte for byte."""
    db = _db(ws)
    overwrite(db, *pages(db, "forecasts")[:2], pages(db, "question_tags", "root")[0])
    r = run("export", "jsonl", "--salvage", "--out", "rescued.jsonl")
    assert r.exit_code == 0, r.output
    assert "forecasts: rowids " in r.stderr and "No record is known to be lost." in r.stderr
    assert (ws / "rescued.jsonl").read_bytes() == (built.parent / "clean.jsonl").read_bytes()


def test_salvage_names_what_is_lost_and_the_rest_imports(ws, built, tmp_path):
    """The first forecasts' rows and the ledger entries vouching for them are both damaged:
    those forecasts are lost, named by id; everything else comes out and imports cleanly."""
    db = _db(ws)
    overwrite(db, pages(db, "forecasts")[0], *pages(db, "ledger")[:3])
    r = run("export", "jsonl", "--salvage", "--out", "rescued.jsonl", "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    lost = [line for line in report["lost"] if line.startswith("forecast")]
    assert lost and all(line.endswith(": neither the row nor the ledger entry can be read")
                        for line in lost)
    n_lost = 0
    for line in lost:
        span = line.split(":")[0].split(" ")[1]
        a, _, b = span.partition("–")
        n_lost += int(b or a) - int(a) + 1
    clean, rescued = _questions(built.parent / "clean.jsonl"), _questions(ws / "rescued.jsonl")
    assert set(rescued) == set(clean)
    total = sum(len(q["forecasts"]) for q in clean.values())
    assert report["written"]["forecasts"] == total - n_lost
    for qid, q in rescued.items():
        assert all(f in clean[qid]["forecasts"] for f in q["forecasts"])
        assert q["resolutions"] == clean[qid]["resolutions"]
    fresh = tmp_path / "fresh.db"
    r = run("import", "jsonl", str(ws / "rescued.jsonl"), "--db", str(fresh))
    assert r.exit_code == 0, r.output
    assert run("verify", "--db", str(fresh)).exit_code == 0
