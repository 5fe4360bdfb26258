"""Write a report folder: pages, charts and the style sheet, replacing the previous report whole.

The new report is built in a hidden sibling folder and swapped in by renames, so a re-run leaves
no stale page behind and a failed run leaves the old report as it was. A folder that holds other
files and no report marker is never deleted.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from forethought.errors import InvalidInput
from forethought.report.chart_cache import ChartCache, chart_key
from forethought.report.charts import ChartJob, render_all
from forethought.report.html import file_name
from forethought.report.index_pages import index_page, list_pages, sources_page
from forethought.report.model import Site
from forethought.report.record_pages import (
    calibration_image,
    history_image,
    question_page,
    source_page,
)

MARKER = ".forethought-report"
#: per-question charts are many and shown about 760 px wide: 110 dpi is sharp there and draws
#: a third faster than the 150 dpi of the index charts
HISTORY_DPI = 110
#: legend labels up to this long fit the history chart's fixed layout; longer ones get a tight
#: bounding box (slower) so nothing is cut off
SHORT_LABEL = 30


@dataclass
class Written:
    pages: int
    charts: int
    drawn: int  # the others were copied from the chart cache


def check_target(out: Path) -> None:
    """Refuse a target that is a file, or a non-empty folder that is not a forethought report."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} is a file; give --out a folder for the report")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise InvalidInput(
            f"{out} already holds files and is not a forethought report; give --out an empty "
            "or new folder (a previous report there is replaced whole)"
        )


def chart_jobs(site: Site, root: Path) -> list[ChartJob]:
    jobs = []
    if site.calibration is not None:
        jobs.append(ChartJob("calibration", root / "img/calibration.png", site.calibration,
                             {"title": "Calibration — everyone", "brier": site.calibration_brier,
                              "scale_label": "Brier 0–1"}))
    if len(site.monthly) >= 2:  # one month is a sentence on the index, not a chart
        jobs.append(ChartJob("score_history", root / "img/scores-by-month.png", site.monthly,
                             {"rule": "brier", "scale_label": "Brier 0–1",
                              "title": "Brier score by month of close"}))
    for qid, info in site.pages.items():
        if info.history is not None:
            options = dict(info.history)
            data = options.pop("forecasts")
            labels = [*map(str, data["forecaster"].unique()), *(options.get("options") or ())]
            jobs.append(ChartJob("history", root / history_image(qid), data, options,
                                 dpi=HISTORY_DPI,
                                 fixed=max(map(len, labels), default=0) <= SHORT_LABEL))
    for sid, sinfo in site.source_pages.items():
        if sinfo.calibration is not None:
            jobs.append(ChartJob("calibration", root / calibration_image(sid), sinfo.calibration,
                                 {"title": f"Calibration — {sinfo.source.title}",
                                  "brier": sinfo.brier, "scale_label": "Brier 0–1"}))
    return jobs


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_site(site: Site, out: Path, *, workers: int | None = None,
               chart_cache: Path | None = None) -> Written:
    """Render ``site`` into the folder ``out`` (created, or replaced if it is a report). With
    ``chart_cache`` (a folder), charts drawn for an earlier report from the same inputs are
    copied from it instead of drawn (:mod:`forethought.report.chart_cache`)."""
    out = Path(out).absolute()
    check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    build = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir()
    try:
        static = build / "static"
        static.mkdir()
        css = resources.files("forethought.report").joinpath("static/style.css")
        (static / "style.css").write_text(css.read_text(encoding="utf-8"), encoding="utf-8")
        jobs = chart_jobs(site, build)
        pages, drawn = _charts_and_pages(site, build, jobs, workers, chart_cache)
        (build / MARKER).write_text(json.dumps({
            "generated": site.generated.isoformat(), "pages": pages, "charts": len(jobs),
            "note": "Written by `forethought report`; the whole folder is replaced on re-run.",
        }, indent=2) + "\n", encoding="utf-8")
        _swap(build, out)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return Written(pages=pages, charts=len(jobs), drawn=drawn)


def _charts_and_pages(site: Site, build: Path, jobs: list[ChartJob], workers: int | None,
                      folder: Path | None) -> tuple[int, int]:
    """Copy the charts the cache holds, draw the others while the pages are written, keep what
    was drawn; return (pages, charts drawn)."""
    cache = ChartCache(folder) if folder is not None else None
    keys = [chart_key(job) for job in jobs] if cache is not None else []
    todo = [i for i, job in enumerate(jobs) if cache is None or not cache.fetch(keys[i], job.path)]
    pages = render_all([jobs[i] for i in todo], workers,
                       meanwhile=lambda: _pages(site, build)) or 0
    if cache is not None:
        for i in todo:
            cache.keep(keys[i], jobs[i].path)
        cache.prune(set(keys))
    return pages, len(todo)


def _pages(site: Site, build: Path) -> int:
    """Write every page; return how many."""
    _write(build / "index.html", index_page(site))
    _write(build / "sources.html", sources_page(site))
    pages = 2
    for rel, text in list_pages(site):
        _write(build / rel, text)
        pages += 1
    for info in site.pages.values():
        _write(build / "q" / f"{file_name(info.question.id)}.html", question_page(site, info))
        pages += 1
    for sinfo in site.source_pages.values():
        _write(build / "s" / f"{file_name(sinfo.source.id)}.html", source_page(site, sinfo))
        pages += 1
    return pages


def _swap(build: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(build, out)
    shutil.rmtree(old, ignore_errors=True)
