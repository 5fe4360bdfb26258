"""Shared options and output helpers for the commands (click only; no database here)."""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import click


class SuggestingGroup(click.Group):
    """A command group that answers a mistyped command with the one meant: `forethought
    forcast` → "No such command 'forcast'. Did you mean 'forecast'?"."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.6)
            if close and not ctx.resilient_parsing:
                ctx.fail(f"No such command {name!r}. Did you mean "
                         f"{' or '.join(repr(c) for c in close)}?")
        return super().resolve_command(ctx, args)


def scale_choice(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A --scale as a person types it (``KENT``, ``Kent``) → its name (``kent``); a name no
    scale has is left for the command to refuse with the list of scales."""
    from forethought.domain.scales import SCALES

    if value is None:
        return None
    key = value.strip().lower()
    return key if key in SCALES else value


db_option = click.option(
    "--db", "db", metavar="PATH_OR_URL", envvar="FORETHOUGHT_DB", default=None,
    help="Database to use instead of the workspace's (SQLite path or URL; env FORETHOUGHT_DB).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")


def common(func: Callable) -> Callable:
    """--db and --json on a command; the function receives `workspace` and `as_json`."""

    @db_option
    @json_option
    @functools.wraps(func)
    def wrapper(*args: Any, db: str | None, as_json: bool, **kwargs: Any) -> Any:
        from forethought.services.workspace import locate

        workspace = locate(db)
        try:
            return func(*args, workspace=workspace, as_json=as_json, **kwargs)
        finally:
            workspace.close()

    return wrapper


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, default=_default, ensure_ascii=False, indent=2, allow_nan=False))


def note(message: str) -> None:
    """A message for the person: stderr, so stdout stays data."""
    click.echo(message, err=True)


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain aligned text table."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def pct(p: float | None) -> str:
    if p is None:
        return "-"
    text = f"{p * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def when(value: datetime | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d %H:%M")
