"""The report folder (issue #12, item 11): `report --out` never deletes files it did not
write; a killed run's hidden folders are removed by the next run; its chart workers die with
it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _report(run, *args: str):
    return run("report", "--out", "rep", "--workers", "1", "--max-pages", "3", *args)


def test_a_file_the_report_did_not_write_is_never_deleted(run, sample):
    assert _report(run).exit_code == 0
    rep = sample["folder"] / "rep"
    (rep / "notes.txt").write_text("my notes", encoding="utf-8")
    (rep / "img" / "mine.png").write_bytes(b"\x89PNG")
    r = _report(run)
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {rep} is a forethought report, but 2 files in it the report "
                        "did not write (img/mine.png, notes.txt) would be deleted when it is "
                        "replaced; move them out, or give --out another folder\n")
    assert (rep / "notes.txt").read_text(encoding="utf-8") == "my notes"
    (rep / "notes.txt").unlink()
    (rep / "img" / "mine.png").unlink()
    assert _report(run).exit_code == 0


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_killed_runs_folders_are_removed_by_the_next(run, sample):
    folder = sample["folder"]
    dead = _dead_pid()
    stale = [folder / f".rep.building-{dead}", folder / f".rep.old-{dead}"]
    for path in stale:
        (path / "q").mkdir(parents=True)
    running = folder / f".rep.building-{os.getppid()}"  # a live process: not ours to remove
    running.mkdir()
    assert _report(run).exit_code == 0
    assert not any(p.exists() for p in stale)
    assert running.exists()


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_chart_workers_die_with_a_killed_report(sample, backend):
    if not backend.startswith("sqlite"):
        pytest.skip("the workers do not touch the database; once is enough")
    proc = subprocess.Popen([sys.executable, "-m", "forethought.cli.main", "report", "--out",
                             "rep", "--workers", "2"], cwd=sample["folder"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        workers |= _children(proc.pid)
        time.sleep(0.01)
    if proc.poll() is not None:
        pytest.skip("the report finished before its workers could be seen")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while any(_running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _running(w)]
