"""The scores page: the scoreboard (the choices `score` offers: rules, policy, Brier scale,
`--by`, the crowd, a tag) and the calibration of one person beside the team's, with its chart.

Both come from one read of the workspace's frames (as the viewer may see them) and are kept in
memory under the ledger head, so a page reloaded with the same choices is not scored again
until something is written.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from forethought.domain.choices import (
    BRIER_SCALES,
    BY_KEYS,
    CROWDS,
    INTERVALS,
    LOWER_IS_BETTER,
    POLICIES,
    RULES,
    WEIGHTINGS,
)
from forethought.errors import InvalidInput
from forethought.services.calibration import Calibrated, calibrate, draw, frame_series
from forethought.services.chart_cache import cache_for, plain
from forethought.services.integrity import head
from forethought.services.scores import load_frames
from forethought.store.engine import Store

BINS = ("10", "5", "20", "distinct", "centered", "metaculus")
TEAM = "team"
_KEEP = 32


@dataclass(frozen=True)
class Options:
    rules: tuple[str, ...] = ("brier", "log")
    policy: str = "time-averaged"
    by: tuple[str, ...] = ("forecaster",)
    brier_scale: int = 1
    crowd: str | None = None
    tag: str | None = None
    person: str | None = None     # whose calibration to show beside the team's
    strict_person: bool = True    # False: a person with no forecasts you may see is left out
    bins: str = "10"
    interval: str = "wilson"
    weighting: str = "time"


@dataclass
class Board:
    options: Options
    header: str                    # the policy and the scale, as `score` prints them
    columns: list[str]
    rows: list[list[Any]]
    footnotes: list[str]
    calibration: dict[str, Calibrated]
    people: list[str] = field(default_factory=list)  # forecasters the viewer may see
    version: str = ""

    @property
    def chart_key(self) -> str:
        return f"calibration|{self.version}"


def check(options: Options) -> Options:
    """Refuse a choice `score` or `calibration` would refuse, naming the choices."""
    many: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        ("rule", options.rules, RULES), ("by", options.by, BY_KEYS)]
    for name, chosen, allowed in many:
        for value in chosen:
            if value not in allowed:
                raise InvalidInput(f"{name} {value!r}: choose from {', '.join(allowed)}")
    if not options.rules:
        raise InvalidInput("choose at least one rule")
    single: list[tuple[str, str, tuple[str, ...]]] = [
        ("policy", options.policy, POLICIES),
        ("Brier scale", str(options.brier_scale), BRIER_SCALES),
        ("crowd", options.crowd or CROWDS[0], CROWDS), ("bins", options.bins, BINS),
        ("interval", options.interval, INTERVALS), ("weighting", options.weighting, WEIGHTINGS)]
    for name, value, choices in single:
        if value not in choices:
            raise InvalidInput(f"{name} {value!r}: choose one of {', '.join(choices)}")
    return options


_CACHE: OrderedDict[str, Board] = OrderedDict()
_LOCK = threading.Lock()


def scoreboard(store: Store, options: Options) -> Board:
    """Score the workspace as the viewer may see it, with ``options``."""
    check(options)
    viewer = store.actor.name if store.actor is not None else ""
    version = "|".join(map(str, (store.url, *head(store), viewer, options)))
    with _LOCK:
        if version in _CACHE:
            _CACHE.move_to_end(version)
            return _CACHE[version]
    board = _board(store, options)
    board.version = version
    with _LOCK:
        _CACHE[version] = board
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
    return board


def _board(store: Store, options: Options) -> Board:
    data = load_frames(store, tag=options.tag)
    from forethought.scoring import score_table

    result = score_table(data.questions, data.forecasts, data.tags, rules=options.rules,
                         policy=options.policy, brier_scale=options.brier_scale, by=options.by,
                         crowd=options.crowd)
    frame, meta = result.frame, result.meta
    people = sorted({str(n) for n in data.forecasts["forecaster"].unique()}, key=str.casefold)
    if options.person is not None and options.person not in people:
        if options.strict_person:
            raise InvalidInput(f"no forecasts by {options.person!r} that you may see; choose "
                               "one of the forecasters listed")
        options = replace(options, person=None)
    names = [options.person, None] if options.person else [None]
    series = frame_series(data, names, weighting=options.weighting)
    calibrated = calibrate(series, bins=options.bins, interval=options.interval)
    calibrated = {TEAM if name == "everyone" else name: c for name, c in calibrated.items()}
    rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False)]
    return Board(options, header(meta, options), [str(c) for c in frame.columns], rows,
                 footnotes(meta), calibrated, people)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def header(meta: dict, options: Options) -> str:
    scale = meta.get("scale") or ", ".join(
        f"{r} ({'lower' if LOWER_IS_BETTER[r] else 'higher'} is better)"
        for r in options.rules)
    return f"Policy: {meta.get('policy', options.policy)}. {scale}".strip()


def footnotes(meta: dict) -> list[str]:
    """What was counted and not scored, as `score` says it under its table."""
    lines = []
    after = meta.get("n_after_close") or 0
    if after:
        lines.append(f"{after} forecast(s) made after the outcome was known: counted, not "
                     "scored.")
    unscored = meta.get("n_unscored_questions") or {}
    if any(unscored.values()):
        parts = ", ".join(f"{n} {k}" for k, n in unscored.items() if n)
        lines.append(f"Questions not scored: {parts}.")
    clipped = meta.get("n_clipped") or 0
    if clipped:
        lines.append(f"{clipped} probabilities clipped to [0.001, 0.999] for the log score.")
    return lines


def calibration_chart(store: Store, options: Options) -> Path:
    """The calibration chart of the scores page (the person's and the team's series, with
    their intervals and counts) from the chart cache."""
    board = scoreboard(store, options)
    series = {plain(name): c for name, c in board.calibration.items()}
    return cache_for(store).get_or_draw(board.chart_key, lambda out: draw(series, out))
