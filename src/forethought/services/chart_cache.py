"""Drawn charts kept on disk, so that a page does not redraw what did not change.

A chart is named by a key that holds everything it shows (the question and its last forecast and
resolution, the viewer where the picture depends on who looks, the day for a chart that marks
today) and this version of forethought; the file is the sha256 of that key. Every worker of a
server shares the folder, files are written whole (a temporary file renamed into place) and the
folder is bounded: past LIMIT files the oldest are removed.

Where: beside a SQLite workspace's database (``.forethought/cache/charts``), else in the
system's temporary folder under a name derived from the database URL; FORETHOUGHT_CHART_CACHE
overrides both.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from forethought import __version__
from forethought.store.engine import Store, describe

ENV = "FORETHOUGHT_CHART_CACHE"
LIMIT = 2000
_DRAWING = threading.Lock()  # matplotlib's font and text caches are not thread-safe


class ChartCache:
    """PNG charts in ``folder``, at most ``limit`` of them."""

    def __init__(self, folder: Path, limit: int = LIMIT) -> None:
        self.folder, self.limit = folder, limit

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{__version__}|{key}".encode()).hexdigest()[:40]
        return self.folder / f"{digest}.png"

    def get_or_draw(self, key: str, draw: Callable[[Path], object]) -> Path:
        """The chart named ``key``, drawn by ``draw(path)`` if it is not here yet."""
        path = self.path(key)
        if path.exists():
            return path
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(suffix=".png", dir=self.folder, prefix=".drawing-")
        os.close(fd)
        try:
            with _DRAWING:
                draw(Path(tmp))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self._prune()
        return path

    def _prune(self) -> None:
        files = [p for p in self.folder.glob("*.png")]
        if len(files) <= self.limit:
            return
        by_age = sorted(files, key=lambda p: p.stat().st_mtime)
        for old in by_age[: len(files) - int(self.limit * 0.9)]:
            try:
                old.unlink()
            except FileNotFoundError:  # another worker pruned it first
                pass


def cache_for(store: Store) -> ChartCache:
    """The chart cache of ``store``'s database."""
    override = os.environ.get(ENV)
    if override:
        return ChartCache(Path(override))
    if store.path is not None:
        return ChartCache(store.path.parent / "cache" / "charts")
    name = hashlib.sha256(describe(store.url).encode()).hexdigest()[:16]
    return ChartCache(Path(tempfile.gettempdir()) / f"forethought-charts-{name}")


def plain(text: str) -> str:
    """Text for a chart's title or legend as it was typed: matplotlib reads ``$…$`` as
    mathematics (and refuses an unbalanced one), so dollar signs are escaped."""
    return text.replace("$", r"\$")
