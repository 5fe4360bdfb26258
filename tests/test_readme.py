"""The README's Quick start, run verbatim in a fresh folder on whatever day the test runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the Quick start has no ```sh block"
    return block.group(1)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_quick_start_runs_verbatim(tmp_path, backend):
    script = "set -euo pipefail\npip() { :; }   # installed already\n" + quick_start()
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("FORETHOUGHT_DB", None)
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    out = done.stdout
    assert "alice" in out and "will-the-ecb" in out
    # the score has something to score: one resolved question, alice's two forecasts
    assert re.search(r"alice\s+1\s+2\s", out), out
    assert "OK: every record matches the ledger" in out
    assert re.search(r"forethought, version \d", out)
