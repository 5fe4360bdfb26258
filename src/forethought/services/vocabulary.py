"""A source's words held to account: re-read its verbal forecasts on another scale, and see how
often each cue came true."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from forethought.domain.inputs import NewForecast, build
from forethought.domain.scales import read_cue
from forethought.domain.timeparse import utcnow
from forethought.errors import InvalidInput, SourceNotFound
from forethought.services.permissions import require
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store


@dataclass(frozen=True)
class RescaleResult:
    forecaster: str
    added: int
    unchanged: int
    unknown_cues: list[str]


def rescale(store: Store, source_id: str, scale: str, *, now: datetime | None = None
            ) -> list[RescaleResult]:
    """Re-derive ``source_id``'s verbal forecasts under ``scale`` as new forecasts by
    ``<forecaster>@<scale>`` (same question, same made_at; cue, scale and range stored).
    Idempotent: a forecast already re-derived is left alone."""
    require(store, "forecaster", "rescale a source")
    now = now or utcnow()
    read_cue("likely", scale)  # refuses an unknown scale with the list of scales

    def work(conn: Connection) -> list[RescaleResult]:
        if not repo.sources(conn, [source_id]):
            raise SourceNotFound(f"no source with id {source_id!r}; run `forethought source list`")
        verbal = [f for f in repo.forecasts(conn) if f.source_id == source_id and f.cue
                  and "@" not in f.forecaster]
        if not verbal:
            raise InvalidInput(f"source {source_id!r} has no forecasts made with words to rescale")
        existing = {(f.question_id, f.forecaster, f.made_at) for f in repo.forecasts(conn)}
        results: dict[str, list] = {}
        rows = []
        for f in verbal:
            name = f"{f.forecaster}@{scale}"
            tally = results.setdefault(name, [0, 0, set()])
            reading = read_cue(f.cue or "", scale)
            if reading is None:
                tally[2].add(f.cue)
                continue
            if (f.question_id, name, f.made_at) in existing:
                tally[1] += 1
                continue
            rows.append(build(NewForecast, question_id=f.question_id, forecaster=name,
                              probability=reading.point, made_at=f.made_at,
                              rationale=f"{f.cue!r} re-read on the {scale} scale"
                              + (" (no band on this scale; fallback table)"
                                 if reading.fallback else ""),
                              entered_as=f.entered_as, cue=reading.cue, scale=scale,
                              p_low=reading.low, p_high=reading.high, source_id=f.source_id))
            tally[0] += 1
        repo.add(conn, rows, now)
        return [RescaleResult(k, v[0], v[1], sorted(v[2])) for k, v in sorted(results.items())]

    return store.write(work)


@dataclass(frozen=True)
class WordRow:
    source_id: str
    cue: str
    scale: str | None
    assumed: float
    assumed_low: float | None
    assumed_high: float | None
    n: int
    happened: int
    interval_low: float | None
    interval_high: float | None

    @property
    def observed(self) -> float | None:
        return self.happened / self.n if self.n else None


WORDS_BY = ("source", "outlet", "all")


def words(store: Store, source_id: str | None = None, *, level: float = 0.95,
          by: str = "source") -> list[WordRow]:
    """Per source (or per outlet, or all sources pooled: ``by``) and cue: resolved yes/no
    assessments that used it, how many came true (with a Wilson interval), and what the scale
    assumed. Rescaled copies (`name@scale`) are left out. ``source_id`` on a row is the group:
    the source's id, its outlet (else its id), or ``all``."""
    if by not in WORDS_BY:
        raise InvalidInput(f"words --by {by!r}: choose one of {', '.join(WORDS_BY)}")
    import numpy as np

    from forethought.scoring import binomial_interval

    with store.read() as conn:
        if source_id is not None and not repo.sources(conn, [source_id]):
            raise SourceNotFound(f"no source with id {source_id!r}; run `forethought source list`")
        latest = repo.latest_resolutions(conn)
        outlets = {s.id: s.outlet or s.id for s in repo.sources(conn)}
        forecasts = [f for f in repo.forecasts(conn) if f.cue and f.source_id
                     and "@" not in f.forecaster
                     and (source_id is None or f.source_id == source_id)]
    groups: dict[tuple[str, str], list] = {}
    for f in forecasts:
        res = latest.get(f.question_id)
        if res is None or res.outcome not in ("yes", "no") or f.made_at >= res.known_at:
            continue
        sid = f.source_id or ""
        group = sid if by == "source" else outlets.get(sid, sid) if by == "outlet" else "all"
        g = groups.setdefault((group, f.cue or ""), [f, 0, 0])
        g[1] += 1
        g[2] += res.outcome == "yes"
    rows = []
    for (sid, cue), (f, n, k) in sorted(groups.items()):
        low, high = binomial_interval(np.array([k]), np.array([n]), "wilson", level)
        rows.append(WordRow(sid, cue, f.scale, float(f.probability or 0), f.p_low, f.p_high, n,
                            int(k), float(low[0]), float(high[0])))
    return rows


def draw_words(rows: list[WordRow], out) -> object:
    """Chart of :func:`words`: per source and cue, how often it came true (point and interval)
    beside the band the scale assumed (shaded) and its point (a tick)."""
    from matplotlib.figure import Figure

    from forethought.charts import save_figure

    fig = Figure(figsize=(8, max(2.8, 0.55 * len(rows) + 1.8)))
    ax = fig.add_subplot()
    labels = []
    for i, r in enumerate(rows):
        y = len(rows) - 1 - i
        labels.append(f"{r.source_id}: '{r.cue}'")
        if r.assumed_low is not None and r.assumed_high is not None:
            ax.barh(y, r.assumed_high - r.assumed_low, left=r.assumed_low, height=0.5,
                    color="#cfe3f3", label="scale's band" if i == 0 else None)
        ax.plot([r.assumed], [y], marker="|", markersize=16, color="#1f5f99",
                label=f"scale's point ({r.scale})" if i == 0 else None)
        if r.n and r.observed is not None:
            low = r.observed - (r.interval_low or 0.0)
            high = (r.interval_high or 0.0) - r.observed
            ax.errorbar([r.observed], [y], xerr=[[low], [high]], fmt="o", color="#c0392b",
                        capsize=3, label="came true (95% interval)" if i == 0 else None)
            ax.annotate(f"{r.happened} of {r.n}", (r.observed, y), xytext=(0, 7),
                        textcoords="offset points", ha="center", fontsize=8)
    ax.set_yticks(range(len(rows)), list(reversed(labels)))
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.8, max(len(rows) - 0.2, 0.8))
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
    ax.set_xlabel("How often it happened, and what the scale assumed")
    ax.set_title("When the source used these words")
    ax.grid(axis="x", color="#e5e5e5")
    if rows:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=3, fontsize=8,
                  frameon=False)
    fig.tight_layout()
    return save_figure(fig, out)
