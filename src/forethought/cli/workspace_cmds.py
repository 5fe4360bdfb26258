"""init, db upgrade, db current."""

from __future__ import annotations

from pathlib import Path

import click

from forethought.cli.common import SuggestingGroup, common, db_option, json_option, note, print_json


@click.command()
@click.option("--as", "forecaster", metavar="NAME",
              help="Your forecaster name (default: your login name).")
@db_option
@json_option
def init(forecaster: str | None, db: str | None, as_json: bool) -> None:
    """Create a workspace (`.forethought/`) in the current folder and build its database.

    With --db, the workspace keeps its data in that database (e.g. a shared PostgreSQL server).
    Running it again is harmless."""
    from forethought.services.workspace import init as init_workspace

    ws = init_workspace(Path.cwd(), forecaster=forecaster, db=db)
    try:
        revision = ws.store().current_revision()
    finally:
        ws.close()
    if as_json:
        print_json({"root": str(ws.root), "database": ws.url, "revision": revision})
    else:
        note(f"Workspace ready in {ws.root}/.forethought (schema {revision}).")
        note("Next: forethought ask \"Will it rain in Paris tomorrow?\" --by tomorrow")


@click.group(cls=SuggestingGroup)
def db() -> None:
    """Database schema: upgrade it or show its revision."""


@db.command()
@common
def upgrade(workspace, as_json: bool) -> None:
    """Bring the database schema up to this version of forethought (back it up first)."""
    from forethought.services.workspace import upgrade_schema

    revision = upgrade_schema(workspace)
    if as_json:
        print_json({"revision": revision})
    else:
        note(f"Database schema is at {revision} (current).")


@db.command()
@common
def current(workspace, as_json: bool) -> None:
    """Show the database's schema revision and the one this forethought needs."""
    from forethought.services.workspace import schema_revisions

    revision, head = schema_revisions(workspace)
    if as_json:
        print_json({"revision": revision, "head": head, "current": revision == head})
    else:
        click.echo(f"{revision} (head {head})")
