"""`verify` while others write (issue #12, item 3): on PostgreSQL it used to name rows committed
between its ledger and table reads as "added behind forethought's back". Every run must now be
clean, on both backends."""

from __future__ import annotations

import pytest
from tests.services import load


@pytest.mark.slow
def test_verify_never_raises_a_false_alarm_while_others_write(backend):
    out = load.verify_under_load(backend, writers=6, per_writer=150)
    assert out.operations >= 3, out.notes  # verify really ran while the writers wrote
    assert out.user_failures == 0, out.notes
    assert out.records_lost == 0
    assert out.verify == f"OK ({10 + 6 * (2 + 150 + 2)} entries)"


def test_the_scenario_notices_reads_without_one_snapshot(pg_url):
    """The same load with verify reading statement by statement: false alarms appear, so the
    test above can fail."""
    out = load.verify_under_load(pg_url, writers=6, per_writer=150, sabotage="no-snapshot")
    assert out.user_failures > 0, out.notes
    assert any("is in the table but not in the ledger" in n for n in out.notes), out.notes
