"""Charts drawn once: a content-addressed folder of PNGs, so a report draws only the charts
whose inputs changed and copies the others.

A chart's key is the SHA-256 of everything that decides its pixels: the renderer, its data and
options (encoded exactly: numbers by their bytes, text and dates by their repr), the resolution
and layout, and the code version — the source of `forethought/charts/` and of
`report/charts.py`, the versions of matplotlib, numpy and pandas, and matplotlib's settings in
effect (a `matplotlibrc` changes the pixels too). The chart lives at `<key>.png`.

The report keeps its cache in `.forethought/cache/charts/` beside the workspace's database
(:func:`forethought.services.report.default_chart_cache`). It is bounded: after each report the
least recently used charts are deleted until the folder holds at most :data:`CACHE_BYTES`, never
one that report used. A chart is written under a temporary name and renamed into place, so two
reports at once never read half a file; one deleted between lookup and copy is drawn again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forethought.report.charts import ChartJob

#: at most this much is kept (about 1,200 question charts); one report's own charts always stay
CACHE_BYTES = 64 * 2**20
#: chart inputs encoded by their repr
SCALARS = (str, int, float, bool, date, datetime, timedelta, Path)


def chart_key(job: ChartJob) -> str:
    """The content address of the chart ``job`` draws."""
    digest = hashlib.sha256(code_version().encode())
    for part in _encoded((job.kind, job.dpi, job.fixed, job.options, job.data)):
        digest.update(part)
    return digest.hexdigest()


@cache
def code_version() -> str:
    """A hash of the chart code, the libraries' versions, matplotlib's settings and the
    fonts installed to draw text in other scripts."""
    from importlib.metadata import version

    import matplotlib

    from forethought import charts
    from forethought.report import charts as report_charts

    digest = hashlib.sha256()
    sources = sorted(Path(charts.__file__).parent.glob("*.py"))
    for path in [*sources, Path(report_charts.__file__)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for lib in ("matplotlib", "numpy", "pandas"):
        digest.update(f"{lib} {version(lib)}\0".encode())
    settings = [(k, matplotlib.rcParams[k]) for k in sorted(matplotlib.rcParams)
                if not k.startswith("backend")]  # reading the backend could switch it
    digest.update(repr(settings).encode())
    from forethought.charts.fonts import font_chain

    digest.update(repr(font_chain()).encode())  # a font installed since draws what was □
    return digest.hexdigest()


def _encoded(value: Any) -> Iterable[bytes]:
    """An unambiguous byte encoding of chart inputs: frames, mappings, sequences, scalars."""
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        yield f"frame {len(value)} {list(value.columns)!r} {value.index.tolist()!r}".encode()
        for name in value.columns:
            yield from _column(value[name])
    elif isinstance(value, pd.Series):
        yield f"series {len(value)} {value.name!r} {value.index.tolist()!r}".encode()
        yield from _column(value)
    elif isinstance(value, Mapping):
        yield f"map {len(value)}".encode()
        for key, item in value.items():
            yield repr(key).encode()
            yield from _encoded(item)
    elif isinstance(value, list | tuple):
        yield f"seq {len(value)}".encode()
        for item in value:
            yield from _encoded(item)
    elif value is None or isinstance(value, (*SCALARS, np.generic)):  # their repr is exact
        yield f"{type(value).__name__} {value!r}".encode()
    else:  # a repr may be abridged ("...") and so name two inputs alike
        raise TypeError(f"no exact encoding for a chart input of type {type(value).__name__}")


def _column(values: Any) -> Iterable[bytes]:
    import numpy as np
    import pandas as pd

    yield f"column {values.dtype}".encode()  # a time zone is part of the dtype
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    array = values.to_numpy()
    if array.dtype.kind in "biufcmM":
        yield np.ascontiguousarray(array).tobytes()
    else:
        yield repr(array.tolist()).encode()


class ChartCache:
    """The folder of drawn charts, by key."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def fetch(self, key: str, dest: Path) -> bool:
        """Copy the chart ``key`` to ``dest`` and say whether it was there."""
        source = self._path(key)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            os.utime(source)  # recently used: pruned last
        except OSError:
            return False
        return True

    def keep(self, key: str, drawn: Path) -> bool:
        """Store the chart just drawn at ``drawn`` under ``key``; say whether it could (a full
        disk or a read-only workspace costs the next report a redraw, not this one its run)."""
        temporary = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(drawn, temporary)
            os.replace(temporary, self._path(key))
        except OSError:
            with suppress(OSError):
                temporary.unlink(missing_ok=True)
            return False
        return True

    def prune(self, used: set[str], limit: int = CACHE_BYTES) -> int:
        """Delete the least recently used charts not in ``used`` until the folder holds at most
        ``limit`` bytes; return how many were deleted."""
        entries = []
        for path in self.folder.glob("*.png"):
            try:
                stat = path.stat()
            except OSError:  # deleted meanwhile by another report
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        deleted = 0
        for _, size, path in sorted(entries, key=lambda e: (e[0], e[2].name)):
            if total <= limit:
                break
            if path.stem in used:
                continue
            try:
                path.unlink(missing_ok=True)
            except OSError:
                continue
            total -= size
            deleted += 1
        return deleted
