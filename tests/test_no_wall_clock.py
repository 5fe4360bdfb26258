"""No test times itself (issue 13, item 7: `make test` failed on a busy machine because of a
wall-clock assertion). A speed guard counts Python calls instead; only the crash scenarios read
the clock, to give up waiting and to choose when to kill an import — never to assert."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CLOCKS = re.compile(r"\b(?:perf_counter|process_time|monotonic|time\.time)\s*\(")
WAITS_ONLY = {TESTS / "services" / "scenarios.py"}


def test_no_test_reads_the_clock_to_judge_speed():
    offenders = [f"{path.relative_to(TESTS)}:{n}"
                 for path in sorted(TESTS.rglob("*.py")) if path not in WAITS_ONLY
                 and path != Path(__file__).resolve()
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if CLOCKS.search(line)]
    assert not offenders, f"tests that read the clock: {offenders}"


def test_the_scenarios_never_assert_on_the_clock():
    for path in WAITS_ONLY:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not (line.lstrip().startswith("assert") and CLOCKS.search(line)), \
                f"{path.name}:{n}"
