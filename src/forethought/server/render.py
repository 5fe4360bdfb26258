"""Rendering the pages: one Jinja2 environment (autoescaping on, unknown names an error), the
filters every template uses, and the response every page gets.

Every user string reaches the HTML through autoescaping; the filters here build markup only from
values forethought made itself (times, numbers). Times are shown in UTC with a machine-readable
``<time>`` that the small script in ``static/local-time.js`` rewrites in the reader's own time
zone (keeping the UTC time on hover); with JavaScript off the page shows UTC.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
NO_STORE = {"Cache-Control": "no-store"}  # pages carry personal data and CSRF tokens


def when(value: datetime | None) -> Markup:
    """A moment as ``<time>``: UTC text (rewritten to local time by the script) and UTC on
    hover."""
    if value is None:
        return Markup("")
    utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    stamp = utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"{stamp[:10]} {stamp[11:16]} UTC"
    return Markup(f'<time datetime="{stamp}" title="{text}" data-local>{text}</time>')


def day(value: date | None) -> Markup:
    if value is None:
        return Markup("")
    text = value.isoformat()
    return Markup(f'<time datetime="{text}">{text}</time>')


def pct(value: float | None) -> str:
    """0.7 → 70%, 0.8317 → 83.2%, 0.0004 → 0.04%."""
    if value is None:
        return "–"
    shown = value * 100
    digits = next((d for d in (0, 1) if abs(round(shown, d) - shown) < 1e-9), 2)
    return f"{shown:.{digits}f}%"


def forecast_text(value: float | dict[str, float] | None,
                  options: list[str] | None = None) -> str:
    """A binary probability (70%) or a distribution (A 50% · B 50%, in the question's order
    of ``options`` where given)."""
    if isinstance(value, dict):
        order = [o for o in options or () if o in value] or list(value)
        return " · ".join(f"{option} {pct(value[option])}" for option in order)
    return pct(value)


def entered(text: str | None) -> str:
    """How a forecast was typed, when it says more than its number (``3:1``, ``likely``, not
    ``70%`` or ``0.7``)."""
    if not text or re.fullmatch(r"\s*[\d.]+\s*%?\s*", text):
        return ""
    return text


def plural(n: Any, word: str) -> str:
    """``1 forecast``, ``2 forecasts``, ``1.5 forecasts``."""
    shown = number(n, 1) if isinstance(n, float) and n != int(n) else str(int(n))
    return f"{shown} {word}" + ("" if shown == "1" else "s")


def ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def number(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def is_http(url: Any) -> bool:
    """Only http(s) URLs become links (never ``javascript:``, ``data:`` or a relative path)."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def segment(value: Any) -> str:
    """A path segment (an id), percent-encoded."""
    return quote(str(value), safe="")


def path(value: Any) -> str:
    """A path of segments (a claim id such as ``source/c01``), each percent-encoded."""
    return quote(str(value), safe="/")


def digest(value: str) -> str:
    """A short stable name for a key (a chart's version in its URL)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=when, day=day, pct=pct, forecast=forecast_text, number=number,
                       segment=segment, path=path, digest=digest, entered=entered,
                       plural=plural, ago=ago)
    env.tests["http"] = is_http
    return env


ENV = _environment()


class Typed(dict):
    """What was typed into a form, to show it again: a field not typed reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """``template`` with ``context`` and what every page shows (who is reading, the CSRF token
    its forms carry, where it is)."""
    caller = context.pop("me", None)
    if isinstance(context.get("form"), dict):
        context["form"] = Typed(context["form"])
    page = ENV.get_template(template).render(
        me=caller.actor if caller is not None else None,
        csrf=caller.csrf if caller is not None else None,
        here=request.url.path, **context)
    return HTMLResponse(page, status, headers=NO_STORE)


def message(text: str) -> Markup:
    """A plain message as escaped HTML (for errors assembled outside a template)."""
    return escape(text)
