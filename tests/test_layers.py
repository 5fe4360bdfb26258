"""Imports point down only: the layering table of STYLE.md, for every package and module of
`src/forethought`, checked on the source (so a lazy import inside a function counts too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "forethought"
PROJECT = ("store", "services", "cli", "server", "api", "scoring", "language", "interop",
           "charts", "report", "domain")


def _ours(*names: str) -> tuple[str, ...]:
    return tuple(f"forethought.{n}" for n in names)


# layer → what it must never import (module prefixes); layers below may be imported
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "errors.py": ("sqlalchemy", "alembic", "click", "pandas", "numpy", "matplotlib", "duckdb",
                  "fastapi", *_ours(*PROJECT)),
    "domain": ("sqlalchemy", "alembic", "click", "pandas", "numpy", "matplotlib", "duckdb",
               "fastapi", *_ours(*[p for p in PROJECT if p != "domain"])),
    "scoring": ("sqlalchemy", "alembic", "click", "matplotlib", "duckdb", "fastapi",
                *_ours("store", "services", "cli", "server", "api", "language", "interop",
                       "charts", "report")),
    "language": ("sqlalchemy", "alembic", "click", "matplotlib", "duckdb", "fastapi",
                 *_ours("store", "services", "cli", "server", "api", "scoring", "interop",
                        "charts", "report")),
    "store": ("click", "fastapi", "matplotlib",
              *_ours("services", "cli", "server", "api", "scoring", "language", "interop",
                     "charts", "report")),
    "interop": ("click", "sqlalchemy", "duckdb", "fastapi",
                *_ours("store", "services", "cli", "server", "api")),
    "charts": ("click", "sqlalchemy", "duckdb", "fastapi",
               *_ours("store", "services", "cli", "server", "api", "report")),
    "report": ("click", "sqlalchemy", "duckdb", "fastapi",
               *_ours("store", "services", "cli", "server", "api")),
    "services": ("click", "fastapi", "starlette", *_ours("cli", "server", "api")),
    "cli": ("sqlalchemy", "alembic", "duckdb", "psycopg", "sqlite3", "fastapi",
            *_ours("store", "server", "api")),
    "server": ("sqlalchemy", "alembic", "duckdb", "psycopg", "sqlite3", "click",
               *_ours("store", "cli", "api")),
    "api.py": ("sqlalchemy", "alembic", "duckdb", "psycopg", "sqlite3", "click",
               *_ours("store", "cli", "server")),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _files(layer: str) -> list[Path]:
    target = SRC / layer
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


CASES = [(layer, path) for layer in FORBIDDEN for path in _files(layer)]


def test_every_module_belongs_to_a_layer():
    covered = {path for _, path in CASES} | {SRC / "__init__.py"}
    loose = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if p not in covered)
    assert not loose, f"modules outside every layer of the table: {loose}"


@pytest.mark.parametrize(("layer", "path"), CASES,
                         ids=[str(p.relative_to(SRC)) for _, p in CASES])
def test_layer_imports_point_down(layer, path):
    bad = sorted(m for m in imported_modules(path)
                 if any(m == f or m.startswith(f + ".") for f in FORBIDDEN[layer]))
    assert not bad, f"{path.relative_to(SRC)} imports {bad}"
