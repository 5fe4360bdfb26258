"""Build the repository's example track record with the forethought CLI, and export it.

In a temporary workspace this script
1. imports the seed records (examples/seed: the November 2024 document as first recorded);
2. ingests each analysis in examples/analyses with `forethought ingest --published --as`,
   keeps the candidates named in examples/review.yaml and corrects their drafted titles,
   criteria, horizons and attributions through `ingest --edit` (review_editor.py plays the
   reviewer's editor), then accepts them;
3. records the fictional forecasters' forecasts (examples/forecasters.yaml) with
   `forethought forecast --as --at --why`;
4. resolves every question as examples/outcomes.yaml says, with `forethought resolve
   --known-at --evidence --note` (a correction where the seed's resolution lacked an address);
5. checks the ledger with `forethought verify` and writes the whole workspace with
   `forethought export records` into the repository's claims/ and forecasts/ (or --out).

It uses the CLI only, never forethought's modules, so it shows what a user would type.
Run it with the project's virtualenv: .venv/bin/python examples/build.py
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def forethought_command() -> list[str]:
    """The CLI beside this Python (the project's virtualenv), else the one on PATH."""
    local = Path(sys.executable).parent / "forethought"
    if local.exists():
        return [str(local)]
    found = shutil.which("forethought")
    if found is None:
        raise SystemExit("forethought is not installed here: run `make install` first")
    return [found]


class Workspace:
    """A temporary forethought workspace and a way to run commands in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.command = forethought_command()
        self.calls = 0

    def run(self, *args: str, env: dict[str, str] | None = None) -> str:
        self.calls += 1
        done = subprocess.run([*self.command, *args], cwd=self.folder, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"forethought {shlex.join(args)} failed:\n{done.stderr.strip()}")
        return done.stdout

    def run_json(self, *args: str, env: dict[str, str] | None = None) -> Any:
        return json.loads(self.run(*args, "--json", env=env))


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def _normal(text: str) -> str:
    return " ".join(text.split())


def find_candidate(candidates: list[dict], kind: str, start: str) -> dict:
    """The one candidate of this kind whose sentence starts with `start`."""
    hits = [c for c in candidates
            if c["kind"] == kind and _normal(c["text"]).startswith(_normal(start))]
    if len(hits) != 1:
        raise SystemExit(f"review.yaml: {len(hits)} {kind} candidates start with {start!r}")
    return hits[0]


def review_edits(candidates: list[dict], document: dict) -> tuple[dict, list[int], list[str]]:
    """The corrections to make through --edit, the numbers to accept, and the forecast keys
    in the order the accepted questions come back (by candidate number)."""
    edits: dict[str, dict] = {}
    chosen: list[int] = []
    keys: dict[int, str] = {}
    fields = {"title": "title_suggestion", "criteria": "criteria_suggestion",
              "resolve_by": "resolve_by", "said_by": "said_by", "event_date": "event_date"}
    for kind, entries in (("claim", document.get("claims", [])),
                          ("forecast", document.get("forecasts", []))):
        for entry in entries:
            candidate = find_candidate(candidates, kind, entry["text"])
            changes = {fields[k]: _plain(v) for k, v in entry.items() if k in fields}
            if kind == "forecast" and candidate.get("said_by"):
                changes.setdefault("said_by", None)  # the desk's own forecast, not a quote
            changes = {k: v for k, v in changes.items() if candidate.get(k) != v}
            if changes:
                edits[str(candidate["n"])] = {"text": candidate["text"], "set": changes}
            chosen.append(candidate["n"])
            if kind == "forecast":
                keys[candidate["n"]] = entry["key"]
    return edits, sorted(chosen), [keys[n] for n in sorted(keys)]


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def ingest_documents(ws: Workspace, review: dict) -> dict[str, str]:
    """Ingest and accept every reviewed analysis; return question id by review key."""
    ids: dict[str, str] = {}
    for document in review["documents"]:
        path = str(HERE / document["file"])
        base = [path, "--published", str(document["published"]), "--as", review["outlet"],
                "--title", document["title"], "--author", review["author"]]
        candidates = ws.run_json("ingest", *base)["candidates"]
        edits, chosen, keys = review_edits(candidates, document)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(edits, handle)
        editor = shlex.join([sys.executable, str(HERE / "review_editor.py"), handle.name])
        env = dict(os.environ, EDITOR=editor, VISUAL=editor)
        try:
            result = ws.run_json("ingest", *base, "--edit", "--accept",
                                 ",".join(map(str, chosen)), env=env)
        finally:
            os.unlink(handle.name)
        if len(result["questions"]) != len(keys):
            raise SystemExit(f"{document['file']}: {len(result['questions'])} questions stored, "
                             f"the review accepts {len(keys)}")
        ids.update(zip(keys, result["questions"], strict=True))
        print(f"  {document['file']}: {result['stored']}")
    return ids


def record_forecasts(ws: Workspace, forecasts: dict[str, list[dict]], ids: dict[str, str]) -> int:
    count = 0
    for key, rows in forecasts.items():
        for row in rows:
            ws.run("forecast", ids.get(key, key), str(row["p"]), "--as", row["by"],
                   "--at", str(row["at"]), "--why", row["why"])
            count += 1
    return count


def record_outcomes(ws: Workspace, resolutions: list[dict], ids: dict[str, str]) -> int:
    for entry in resolutions:
        args = ["resolve", ids.get(entry["question"], entry["question"]), entry["outcome"],
                "--note", entry["note"]]
        for url in entry["evidence"]:
            args += ["--evidence", url]
        if "correct" in entry:
            args += ["--correct", entry["correct"]]
        else:
            args += ["--known-at", str(entry["known_at"])]
        ws.run(*args)
    return len(resolutions)


def export(ws: Workspace, out: Path) -> None:
    """Replace out/claims and out/forecasts with the workspace's records."""
    for sub in ("claims", "forecasts"):
        for old in (out / sub).glob("*.yaml"):
            old.unlink()
    ws.run("export", "records", "--out", str(out))


def build(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="forethought-example-") as tmp:
        ws = Workspace(Path(tmp))
        ws.run("init", "--as", "example-builder")
        ws.run("import", "records", str(HERE / "seed"))
        print("Ingesting the analyses:")
        ids = ingest_documents(ws, load("review.yaml"))
        forecasts = record_forecasts(ws, load("forecasters.yaml")["forecasts"], ids)
        resolved = record_outcomes(ws, load("outcomes.yaml")["resolutions"], ids)
        print(f"Recorded {forecasts} forecasts by the fictional forecasters and {resolved} "
              f"resolutions ({ws.calls} CLI calls).")
        print(ws.run("verify").strip())
        export(ws, out)
        print(f"Exported the records to {out / 'claims'} and {out / 'forecasts'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT,
                        help="folder to export claims/ and forecasts/ into (default: the repo)")
    build(parser.parse_args().out.resolve())


if __name__ == "__main__":
    main()
