"""The `forethought` command. Sub-commands are imported only when used, so `--help` stays fast
(no pandas, matplotlib or SQLAlchemy at start-up)."""

from __future__ import annotations

import importlib
import os
import sys
import warnings

import click

from forethought import __version__
from forethought.charts.fonts import MissingGlyphs
from forethought.cli.common import SuggestingGroup
from forethought.errors import ForethoughtError

COMMANDS: dict[str, str] = {
    "init": "forethought.cli.workspace_cmds:init",
    "db": "forethought.cli.workspace_cmds:db",
    "ask": "forethought.cli.question_cmds:ask",
    "forecast": "forethought.cli.question_cmds:forecast",
    "predict": "forethought.cli.question_cmds:predict",
    "resolve": "forethought.cli.question_cmds:resolve",
    "list": "forethought.cli.question_cmds:list_",
    "show": "forethought.cli.question_cmds:show",
    "due": "forethought.cli.question_cmds:due",
    "source": "forethought.cli.claim_cmds:source",
    "claim": "forethought.cli.claim_cmds:claim",
    "score": "forethought.cli.score_cmds:score",
    "calibration": "forethought.cli.score_cmds:calibration",
    "import": "forethought.cli.records_cmds:import_",
    "export": "forethought.cli.records_cmds:export",
    "ingest": "forethought.cli.language_cmds:ingest",
    "rescale": "forethought.cli.language_cmds:rescale",
    "words": "forethought.cli.language_cmds:words",
    "verify": "forethought.cli.ledger_cmds:verify",
    "ledger": "forethought.cli.ledger_cmds:ledger",
    "report": "forethought.cli.report_cmds:report",
    "chart": "forethought.cli.report_cmds:chart",
    "user": "forethought.cli.account_cmds:user",
    "token": "forethought.cli.account_cmds:token",
    "setting": "forethought.cli.account_cmds:setting",
    "serve": "forethought.cli.server_cmds:serve",
}


class LazyGroup(SuggestingGroup):
    """Resolves sub-commands from :data:`COMMANDS` on demand and turns every
    :class:`ForethoughtError` into `Error: …` on stderr with a non-zero exit."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, _, attr = COMMANDS[cmd_name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ForethoughtError as exc:
            if os.environ.get("FORETHOUGHT_DEBUG"):
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="forethought")
def cli() -> None:
    """forethought — record claims and forecasts, resolve them, and score them honestly.

    Start with `forethought init` in a folder; every command then finds the workspace by looking
    upward, like git. `--db PATH_OR_URL` or FORETHOUGHT_DB points at another database
    (a SQLite file or a postgresql+psycopg:// URL). Every command takes --json.
    """


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A chart's :class:`~forethought.charts.fonts.MissingGlyphs` is a note for the user, not
    a Python warning with a file and line; every other warning is shown as Python shows it."""
    if issubclass(category, MissingGlyphs):
        click.echo(f"Note: {message}.", err=True)
        return
    _python_show_warning(message, category, filename, lineno, file, line)


_python_show_warning = warnings.showwarning


def main() -> None:
    """The console entry point."""
    warnings.showwarning = _show_warning
    cli(prog_name="forethought")


if __name__ == "__main__":
    main()
