"""kill -9 during a bulk import: afterwards none of it or all of it, `verify` passes, and running
the import again completes."""

from __future__ import annotations

import pytest
from tests.services import scenarios


@pytest.mark.slow
def test_kill_nine_during_an_import_leaves_none_or_all(backend, scratch, tmp_path):
    """`import jsonl` (the bulk path); bench/reliability.py also runs `import records`."""
    out = scenarios.crash(backend, scratch, n_forecasts=10_000, kills=3, seed=11, work=tmp_path)
    assert out.records_lost == 0, out.notes
    assert out.user_failures == 0, out.notes
    # a kill after the commit leaves all of it, and the next kills attack a new import
    n = out.completed
    assert out.verify == f"OK ({2 + n * 10_020} entries)", out.notes  # 20 questions per 10,000
    assert scenarios.count(backend, "forecasts") == 1 + n * 10_000


def test_the_scenario_notices_an_import_that_commits_per_file(tmp_path, monkeypatch):
    """The same scenario against an importer that commits file by file: kills leave part of
    the import behind, and the scenario says so."""
    monkeypatch.setenv(scenarios.SABOTAGE, "commit-per-file")
    out = scenarios.crash(f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}",
                          n_forecasts=2_000, kills=1, seed=3, work=tmp_path, fmt="records")
    assert out.records_lost > 0
    assert any(note.startswith("partial import: ") for note in out.notes)
