"""The rule deciding whether a forecast counts (domain/rules.py, forecast_exclusion): a table of
cases worked by hand, at both trust levels."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forethought.domain.rules import OutcomeTimes, forecast_exclusion, recorded_time


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# resolved yes: known 2026-06-15, resolve typed (recorded and written) 2026-06-16
TYPED = [OutcomeTimes(t("2026-06-15"), t("2026-06-16"), t("2026-06-16"))]
# the same, corrected on 2026-07-01 with a later known_at
CORRECTED = TYPED + [OutcomeTimes(t("2026-06-20"), t("2026-07-01"), t("2026-07-01"))]

CASES = [
    # (made_at, recorded, written, outcomes, the reason's start or None)
    ("2026-01-02", "2026-01-02", "2026-01-02", TYPED, None),
    ("2026-01-02", "2026-06-14", "2026-06-14", TYPED, None),
    # the attack: typed after the outcome was known, backdated with --at
    ("2026-01-02", "2026-06-15 12:00", "2026-06-15 12:00", TYPED, "recorded 2026-06-15 12:00 "
     "UTC, after the outcome was known (2026-06-15 00:00 UTC)"),
    ("2026-06-15", "2026-06-15", "2026-06-15", TYPED, "made 2026-06-15 00:00 UTC, after"),
    # a correction does not reopen the window: the first known_at still closes it
    ("2026-06-17", "2026-06-17", "2026-06-17", CORRECTED, "recorded 2026-06-17 00:00 UTC, "
     "after the outcome was known (2026-06-15 00:00 UTC)"),
    # the close for made_at is the latest resolution's known_at (what the scores use)
    ("2026-06-20", "2026-06-10", "2026-06-10", CORRECTED, "made 2026-06-20 00:00 UTC"),
    # an import stating an early recorded time, written after this ledger had the outcome
    ("2026-01-02", "2026-01-02", "2026-06-17", TYPED, "written into this ledger 2026-06-17 "
     "00:00 UTC, after it had recorded the outcome (2026-06-16 00:00 UTC)"),
    # history imported with its outcome in one transaction: as stated
    ("2026-01-02", "2026-01-02", "2026-12-01",
     [OutcomeTimes(t("2026-06-15"), t("2026-06-16"), t("2026-12-01"))], None),
    # a resolution on record before its stated known_at closes the window at the record
    ("2026-01-02", "2026-05-02", "2026-05-02",
     [OutcomeTimes(t("2026-06-15"), t("2026-05-01"), t("2026-05-01"))],
     "recorded 2026-05-02 00:00 UTC, after the outcome was on record (2026-05-01 00:00 UTC)"),
    ("2026-01-02", "2026-01-02", "2026-01-02", [], None),
]


@pytest.mark.parametrize(("made", "recorded", "written", "outcomes", "reason"), CASES)
def test_forecast_exclusion(made, recorded, written, outcomes, reason):
    got = forecast_exclusion(t(made), t(recorded), t(written), outcomes)
    if reason is None:
        assert got is None
    else:
        assert got is not None and got.startswith(reason), got


def test_the_trust_levels_pick_the_clock():
    stated, ledger = t("2026-01-02"), t("2026-12-01")
    assert recorded_time(stated, ledger, "stated") == stated
    assert recorded_time(stated, ledger, "recorded") == ledger
    with pytest.raises(ValueError, match="unknown trust level 'anything'"):
        recorded_time(stated, ledger, "anything")
