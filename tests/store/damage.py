"""The damaged-file scenario for bench/reliability.py (issue #12, item 2), at a size the test
suite does not run: a bulk-imported SQLite workspace, then trial after trial one random page
overwritten and the commands a user would try run against it.

A trial counts a failure seen by a user when a command shows a traceback or more than one
`Error:` line, when `verify` says OK about a file SQLite's own check finds damaged, or when a
write goes into a file a command has already found damaged. Records lost are the forecasts
`export jsonl --salvage` could not bring back.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path

from tests.services.scenarios import Outcome, make_bulk

PAGE = 16384
COMMANDS = (("list",), ("show", "bulk-0001"), ("score",), ("export", "jsonl", "--out", "x.jsonl"),
            ("ledger", "head"))


def _run(*args: str):
    from click.testing import CliRunner

    from forethought.cli.main import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def _clean_error(result) -> bool:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return False
    if result.exit_code == 0:
        return True
    lines = result.stderr.splitlines()
    return result.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error: ")


def _integrity_ok(db: Path) -> bool:
    try:
        with sqlite3.connect(db) as conn:
            return [r[0] for r in conn.execute("PRAGMA integrity_check(1)")] == ["ok"]
    except sqlite3.DatabaseError:
        return False


def damaged_file(n_forecasts: int = 20_000, trials: int = 20, seed: int = 12) -> Outcome:
    import os

    from forethought.services.workspace import init

    out = Outcome("damaged file", "sqlite")
    rng = random.Random(seed)
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        init(base, forecaster="alice").close()
        db = base / ".forethought" / "forethought.db"
        bulk = make_bulk(Path(tmp) / "bulk", n_forecasts, per_question=200)
        assert _run("import", "jsonl", str(bulk), "--db", str(db)).exit_code == 0
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
        named = found = 0
        try:
            for trial in range(trials):
                ws = Path(tmp) / f"t{trial}"
                shutil.copytree(base, ws)
                target = ws / ".forethought" / "forethought.db"
                page = rng.randint(1, pages)
                with target.open("r+b") as fh:
                    fh.seek((page - 1) * PAGE)
                    fh.write(bytes(rng.randrange(256) for _ in range(64)) * (PAGE // 64))
                os.chdir(ws)
                verify = _run("verify")
                results = [verify, *(_run(*c) for c in COMMANDS)]
                out.operations += len(results) + 2
                bad = [r for r in results if not _clean_error(r)]
                damaged = not _integrity_ok(target)
                if damaged and verify.exit_code == 0:
                    out.notes.append(f"page {page}: verify said OK on a damaged file")
                    out.user_failures += 1
                found += damaged
                named += damaged and verify.exit_code == 1
                wrote = _run("forecast", "bulk-0002", "0.5")
                if damaged and verify.exit_code == 1 and wrote.exit_code == 0:
                    out.notes.append(f"page {page}: a write went into the damaged file")
                    out.user_failures += 1
                bad += [] if _clean_error(wrote) else [wrote]
                salvage = _run("export", "jsonl", "--salvage", "--out", "rescued.jsonl")
                if not _clean_error(salvage) or salvage.exit_code != 0:
                    bad.append(salvage)
                else:
                    got = sum(len(json.loads(line).get("forecasts", []))
                              for line in (ws / "rescued.jsonl").read_text().splitlines())
                    out.records_lost += max(0, n_forecasts - got)
                out.user_failures += len(bad)
                out.notes += [f"page {page}: {r.output.strip()[-200:]}" for r in bad[:2]]
                os.chdir(here)
                shutil.rmtree(ws)
        finally:
            os.chdir(here)
    out.verify = (f"{'OK' if named == found else 'FAILED'}: damage named in {named} of the "
                  f"{found} damaged files")
    return out
