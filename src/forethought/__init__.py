"""forethought: a claim-and-assessment tracker for forecasting.

The package root stays light: importing it must not pull in pandas, matplotlib or SQLAlchemy.
`open_workspace` is resolved lazily so `import forethought` stays cheap.
"""

from __future__ import annotations

from typing import Any

# The one place the version is written: pyproject.toml reads it ([tool.setuptools.dynamic]).
__version__ = "0.1.0"

__all__ = ["__version__", "open_workspace"]


def open_workspace(path_or_url: str | None = None, **kwargs: Any) -> Any:
    """Open a workspace (a folder holding `.forethought/`, a SQLite file or a database URL)."""
    from forethought.api import open_workspace as _open

    return _open(path_or_url, **kwargs)
