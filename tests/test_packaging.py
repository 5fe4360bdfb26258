"""pyproject.toml ships what exists and takes its version from the package (nothing installed)."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

from click.testing import CliRunner

import forethought
from forethought.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "forethought"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _patterns() -> list[str]:
    return PYPROJECT["tool"]["setuptools"]["package-data"]["forethought"]


def _is_module(path: Path) -> bool:
    """Shipped anyway: a .py file inside a package that packages.find discovers."""
    return path.suffix == ".py" and (path.parent / "__init__.py").exists()


def test_every_package_data_pattern_matches_a_file():
    empty = [p for p in _patterns() if not any(f.is_file() for f in PACKAGE.glob(p))]
    assert not empty, f"package-data patterns matching no file under src/forethought: {empty}"


def test_every_data_file_is_shipped():
    shipped = {f for p in _patterns() for f in PACKAGE.glob(p)}
    files = [f for f in PACKAGE.rglob("*")
             if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"]
    left_out = sorted(str(f.relative_to(PACKAGE)) for f in files
                      if not _is_module(f) and f not in shipped)
    assert not left_out, f"files under src/forethought no package-data pattern ships: {left_out}"


def test_the_version_is_written_once():
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "forethought.__version__"}
    assert importlib.metadata.version("forethought") == forethought.__version__


def test_version_option_prints_the_package_version():
    result = CliRunner().invoke(cli, ["--version"], prog_name="forethought")
    assert result.exit_code == 0
    assert result.stdout == f"forethought, version {forethought.__version__}\n"


def test_license_is_an_spdx_expression():
    # a TOML table here makes setuptools >= 77 warn that the form is deprecated
    assert isinstance(PYPROJECT["project"]["license"], str)
