"""Every command and option is documented, and docs/cli.md is what the commands say today."""

from __future__ import annotations

import difflib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "cli_reference.py"


def _load_reference_script():
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_reference_script()
COMMANDS = list(reference.commands())


def _documents() -> str:
    """README.md and every file under docs/, where a user would look."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


@pytest.fixture(scope="module")
def documents() -> str:
    return _documents()


def _name(path: tuple[str, ...]) -> str:
    return " ".join(path) or "forethought"


def _mentions_command(text: str, path: tuple[str, ...]) -> bool:
    """`forethought claim add`, `` `claim add`` or `import jsonl|csv` (a choice of formats)."""
    if not path:
        return "forethought" in text
    *groups, last = path
    pattern = r"(?:`|\bforethought )" + "".join(re.escape(g) + " " for g in groups)
    pattern += (r"(?:[\w-]+\|)*" if groups else "") + re.escape(last) + r"(?![\w-])"
    return re.search(pattern, text) is not None


def _mentions_option(text: str, option: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", text) is not None


def test_the_tree_includes_lazily_loaded_commands():
    paths = {path for path, _ in COMMANDS}
    assert {("score",), ("import", "jsonl"), ("import", "records"), ("export", "ics"),
            ("claim", "add"), ("ledger", "check-proof")} <= paths
    from forethought.cli.main import COMMANDS as TOP
    from forethought.cli.records_cmds import EXPORTERS, IMPORTERS

    assert {p[0] for p in paths if p} == set(TOP)
    assert {p[1] for p in paths if p[:1] == ("import",) and len(p) == 2} >= set(IMPORTERS)
    assert {p[1] for p in paths if p[:1] == ("export",) and len(p) == 2} >= set(EXPORTERS)


def test_cli_reference_is_up_to_date():
    expected = reference.render()
    actual = reference.OUT.read_text(encoding="utf-8") if reference.OUT.exists() else ""
    if actual != expected:
        diff = difflib.unified_diff(actual.splitlines(), expected.splitlines(),
                                    "docs/cli.md", "--help today", lineterm="", n=1)
        pytest.fail("docs/cli.md does not match the commands' --help: run python "
                    "scripts/cli_reference.py\n" + "\n".join(list(diff)[:30]), pytrace=False)


def test_the_reference_shows_each_command_s_usage_and_options():
    text = reference.OUT.read_text(encoding="utf-8")
    assert "Usage: forethought import metaculus [OPTIONS] EXPORT" in text
    assert "--before-first [skip|prior|crowd]" in text
    assert text.count("```text\n") == len(COMMANDS)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[_name(p) for p, _ in COMMANDS])
def test_every_command_is_documented(path, command, documents):
    assert _mentions_command(documents, path), (
        f"`{_name(path)}` appears neither in README.md nor under docs/")


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[_name(p) for p, _ in COMMANDS])
def test_every_option_is_documented(path, command, documents):
    options = [opt for param in command.params if isinstance(param, click.Option)
               and not param.hidden for opt in param.opts + param.secondary_opts]
    missing = [opt for opt in options if not _mentions_option(documents, opt)]
    assert not missing, f"{_name(path)}: {missing} appear neither in README.md nor under docs/"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[_name(p) for p, _ in COMMANDS])
def test_every_command_and_option_has_help(path, command):
    assert (command.help or "").strip(), f"`{_name(path)}` has no help text"
    silent = [param.opts for param in command.params
              if isinstance(param, click.Option) and not param.hidden and not param.help]
    assert not silent, f"{_name(path)}: options without help: {silent}"


def test_no_help_imports_heavy_libraries():
    code = ("import sys, importlib.util\n"
            f"spec = importlib.util.spec_from_file_location('ref', {str(SCRIPT)!r})\n"
            "ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)\n"
            "n = sum(1 for path, _ in ref.commands() if ref.help_text(path))\n"
            "heavy = [m for m in ('pandas', 'matplotlib', 'sqlalchemy', 'duckdb', 'numpy') "
            "if m in sys.modules]\nprint('HELPS', n, 'HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert f"HELPS {len(COMMANDS)} HEAVY []" in out.stdout


def test_mention_rules_are_not_vacuous():
    assert _mentions_command("run `forethought claim add`", ("claim", "add"))
    assert _mentions_command("`import jsonl|csv|fatebook`", ("import", "csv"))
    assert not _mentions_command("we claim to add things", ("claim", "add"))
    assert not _mentions_command("`import jsonl-extra`", ("import", "jsonl"))
    assert _mentions_option("`--dry-run`", "--dry-run")
    assert not _mentions_option("--dry-run-later", "--dry-run")
