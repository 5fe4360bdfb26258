"""No test times itself (issue 13, item 7: `make test` failed on a busy machine because of a
wall-clock assertion). A speed guard counts Python calls instead. A test may read a monotonic
clock to stop waiting for something (a server starting, a kill point), never to judge speed."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TIMERS = re.compile(r"\b(?:perf_counter|process_time|time\.time)\s*\(")
CLOCKS = re.compile(r"\b(?:perf_counter|process_time|monotonic|time\.time)\s*\(")


def _lines():
    for path in sorted(TESTS.rglob("*.py")):
        if path != Path(__file__).resolve():
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                yield f"{path.relative_to(TESTS)}:{n}", line


def test_no_test_measures_how_long_something_took():
    offenders = [where for where, line in _lines() if TIMERS.search(line)]
    assert not offenders, f"tests that time themselves: {offenders}"


def test_no_assertion_reads_the_clock():
    offenders = [where for where, line in _lines()
                 if line.lstrip().startswith("assert") and CLOCKS.search(line)]
    assert not offenders, f"assertions on the clock: {offenders}"
