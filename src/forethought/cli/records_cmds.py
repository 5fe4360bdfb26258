"""import FORMAT PATH / export FORMAT --out PATH. Formats are sub-commands loaded on demand."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from forethought.cli.common import SuggestingGroup, common, note, print_json

IMPORTERS: dict[str, str] = {
    "jsonl": "forethought.cli.interop_cmds:import_jsonl",
    "csv": "forethought.cli.interop_cmds:import_csv",
    "fatebook": "forethought.cli.interop_cmds:import_fatebook",
    "predictionbook": "forethought.cli.interop_cmds:import_predictionbook",
    "metaculus": "forethought.cli.interop_cmds:import_metaculus",
    "forecastbench": "forethought.cli.interop_cmds:import_forecastbench",
}
EXPORTERS: dict[str, str] = {
    "jsonl": "forethought.cli.interop_cmds:export_jsonl",
    "csv": "forethought.cli.interop_cmds:export_csv",
    "fatebook": "forethought.cli.interop_cmds:export_fatebook",
    "ics": "forethought.cli.interop_cmds:export_ics",
}


class _Formats(SuggestingGroup):
    def __init__(self, *args, registry: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.registry = registry

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.registry))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.registry:
            module, _, attr = self.registry[name].partition(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)


@click.group(name="import", cls=_Formats, registry=IMPORTERS)
def import_() -> None:
    """Import records or another platform's export. Every import is all-or-nothing."""


@click.group(cls=_Formats, registry=EXPORTERS)
def export() -> None:
    """Export to records folders or another format."""


@import_.command("records")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@common
def import_records(folder, dry_run, workspace, as_json):
    """Import FOLDER's claims/*.yaml and forecasts/*.yaml (idempotent, all-or-nothing)."""
    from forethought.cli.interop_cmds import interruptible, print_report
    from forethought.services.records import import_records as run

    with interruptible():
        report = run(workspace.store(), folder, dry_run=dry_run)
    print_report(report, as_json)


@export.command("records")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write forecasts/ and claims/ into.")
@common
def export_records(out, workspace, as_json):
    """Write forecasts/<id>.yaml and claims/<source-id>.yaml, deterministically."""
    from forethought.services.records import export_records as run

    counts = run(workspace.store(), out)
    if as_json:
        print_json(counts | {"out": str(out)})
    else:
        note(f"Wrote {counts['questions']} question files and {counts['sources']} claims files "
             f"to {out}.")
