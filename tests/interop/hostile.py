"""The hostile-files scenario for bench/reliability.py (issue #12, items 4–9): each file an
attacker might hand a user is imported into a workspace; each must be refused with one
`Error:` line naming the file, leave the database unchanged, and take no more than a moment
(the alias bomb used to run 222 s and 11 GB). The round trips of every control character and
of formula-like cells are checked too.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.services.scenarios import Outcome, backend_name

QUESTION = ("format_version: 1\nid: q\ntitle: Will it rain?\n"
            "opened_at: '2024-01-01T00:00:00.000000Z'\nresolve_by: '2030-01-01'\n")
BOMB = "a0: &a0 [lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))


def _records(folder: Path, text: str | None = None, size: int = 0) -> list[str]:
    (folder / "forecasts").mkdir(parents=True)
    path = folder / "forecasts" / "q.yaml"
    path.write_text(text or "", encoding="utf-8")
    if size:
        with path.open("r+b") as fh:
            fh.truncate(size)
    return ["records", str(folder)]


def _jsonl(folder: Path, text: str) -> list[str]:
    folder.mkdir(parents=True)
    (folder / "in.jsonl").write_text(text, encoding="utf-8")
    return ["jsonl", str(folder / "in.jsonl")]


def _line(**changes) -> str:
    doc = {"format_version": 1, "id": "q", "title": "Will it rain?",
           "opened_at": "2024-01-01T00:00:00.000000Z", "resolve_by": "2030-01-01",
           "forecasts": [{"forecaster": "ana", "made_at": "2024-02-01T00:00:00.000000Z",
                          "probability": 0.4}], "resolutions": []}
    doc["forecasts"][0].update(changes)
    return json.dumps(doc) + "\n"


FILES: dict[str, Callable[[Path], list[str]]] = {
    "alias bomb (0.4 KB, 9 levels)": lambda f: _records(f, BOMB),
    "records file of 2 GB (sparse)": lambda f: _records(f, size=2 * 2**30),
    "key given twice": lambda f: _records(f, QUESTION + "title: Other\n"),
    "merge key": lambda f: _records(f, QUESTION + "<<: {criteria: x}\n"),
    "character YAML cannot take": lambda f: _records(f, QUESTION + "criteria: a\x07b\n"),
    "JSON key given twice": lambda f: _jsonl(f, _line().replace('"title"', '"title": "x", '
                                                                '"title"', 1)),
    "forecast dated 2099": lambda f: _jsonl(f, _line(made_at="2099-02-01T00:00:00Z")),
    "look-alike forecaster": lambda f: _jsonl(f, _line(forecaster="b\u043eb")),
    "invisible character in a name": lambda f: _jsonl(f, _line(forecaster="bob\u200b")),
}


def _run(*args: str):
    from click.testing import CliRunner

    from forethought.cli.main import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def hostile_files(url: str) -> Outcome:
    """Every file of FILES against the database at ``url`` (one forecaster ``bob`` in it)."""
    from tests.helpers import db_fingerprint

    from forethought.store.engine import Store

    Store(url, upgrade=True).dispose()
    out = Outcome("hostile files", backend_name(url))
    seeded = _run("predict", "Seed?", "0.5", "--by", "2030-01-01", "--as", "bob", "--db", url)
    if seeded.exit_code != 0:
        raise RuntimeError(f"cannot seed {url}: {seeded.output}")
    slowest = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, build) in enumerate(FILES.items()):
            args = build(Path(tmp) / f"f{i}")
            before = db_fingerprint(url)
            start = time.monotonic()
            r = _run("import", *args, "--db", url)
            slowest = max(slowest, time.monotonic() - start)
            out.operations += 1
            lines = r.stderr.splitlines()
            ok = (r.exit_code == 1 and len(lines) == 1 and lines[0].startswith("Error: ")
                  and args[-1] in lines[0] and db_fingerprint(url) == before)
            if not ok:
                out.user_failures += 1
                out.notes.append(f"{name}: exit {r.exit_code}: {r.output.strip()[:200]}")
    out.verify = (f"OK: all refused, slowest {slowest:.2f}s" if not out.user_failures
                  else "FAILED: see the notes")
    return out
