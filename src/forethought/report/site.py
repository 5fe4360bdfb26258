"""Write a report folder: pages, charts and the style sheet, replacing the previous report whole.

The new report is built in a hidden sibling folder and swapped in by renames, so a re-run leaves
no stale page behind and a failed run leaves the old report as it was. A folder that holds other
files and no report marker is never deleted, and neither is a report folder holding files the
report did not write (its marker lists the files it wrote). A run that was killed leaves its
hidden folders behind; the next run removes them, and the chart workers die with the run.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
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


#: what a report writes, for a marker from before markers listed their files
LAYOUT = ("index.html", "sources.html", "questions/", "static/", "img/", "q/", "s/")


def check_target(out: Path) -> None:
    """Refuse a target that is a file, a non-empty folder that is not a forethought report, or
    a report folder holding files the report did not write (replacing it would delete them)."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} is a file; give --out a folder for the report")
    if not out.is_dir():
        return
    if not (out / MARKER).exists():
        if any(out.iterdir()):
            raise InvalidInput(
                f"{out} already holds files and is not a forethought report; give --out an "
                "empty or new folder (a previous report there is replaced whole)"
            )
        return
    foreign = _not_written(out)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                         else "")
        raise InvalidInput(
            f"{out} is a forethought report, but {len(foreign)} file"
            f"{'s' if len(foreign) != 1 else ''} in it the report did not write ({shown}) "
            "would be deleted when it is replaced; move them out, or give --out another folder"
        )


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() or p.is_symlink())


def _not_written(out: Path) -> list[str]:
    """The files of the report folder ``out`` that its last run did not write."""
    try:
        listed = json.loads((out / MARKER).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        listed = None
    present = [f for f in _files(out) if f != MARKER]
    if isinstance(listed, list):
        return [f for f in present if f not in set(listed)]
    return [f for f in present if not f.startswith(LAYOUT)]


def _leftovers(out: Path) -> None:
    """Remove the hidden folders of earlier runs of this report that were killed (their
    process is gone); a run still going keeps its own."""
    for stale in out.parent.glob(f".{out.name}.*-*"):
        kind, _, pid = stale.name.removeprefix(f".{out.name}.").partition("-")
        if kind not in ("building", "old") or not pid.isdigit() or not stale.is_dir():
            continue
        if int(pid) == os.getpid() or not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


_rendering = False  # set while this process forks chart workers


def _die_with_parent() -> None:
    """In a chart worker just forked: ask Linux to kill it when the report's process dies, so
    a killed report leaves no worker drawing on (elsewhere the pool's own shutdown is all)."""
    if not _rendering or not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_die_with_parent)


def chart_jobs(site: Site, root: Path) -> list[ChartJob]:
    jobs = []
    if site.calibration is not None:
        jobs.append(ChartJob("calibration", root / "img/calibration.png", site.calibration,
                             {"title": "Calibration — everyone", "brier": site.calibration_brier,
                              "scale_label": "Brier 0–1"}))
    if len(site.monthly) >= 2:  # one month is a sentence on the index, not a chart
        jobs.append(ChartJob("score_history", root / "img/scores-by-month.png", site.monthly,
                             {"rule": "brier", "scale_label": f"Brier {site.brier_range}",
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
    _leftovers(out)
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
            "files": _files(build),
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
    global _rendering
    _rendering = True
    try:
        pages = render_all([jobs[i] for i in todo], workers,
                           meanwhile=lambda: _pages(site, build)) or 0
    finally:
        _rendering = False
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
