"""What the acting account may do. Every service that writes asks here first; the command line
acts with no account (``store.actor`` is None) and may do everything, as the workspace's owner.
"""

from __future__ import annotations

from forethought.errors import Forbidden
from forethought.store.engine import Connection, Store


def require(store: Store, role: str, what: str) -> None:
    """At least ``role``, and not through a read-only token."""
    actor = store.actor
    if actor is None:
        return
    if actor.read_only:
        raise Forbidden(f"a read-only token cannot {what}")
    if not actor.at_least(role):
        raise Forbidden(f"{actor.role}s cannot {what}; it needs the {role} role")


def require_self(store: Store, forecaster: str) -> None:
    """A forecaster forecasts as themselves only."""
    require(store, "forecaster", "forecast")
    actor = store.actor
    if actor is not None and forecaster != actor.name:
        raise Forbidden(f"you forecast as {actor.name!r} only, not as {forecaster!r}")


def question_author(conn: Connection, question_id: str) -> str | None:
    """The account that asked the question (its ledger entry names it), None from the CLI."""
    row = conn.one("SELECT author FROM ledger WHERE entity = ? ORDER BY seq LIMIT 1",
                   (f"question:{question_id}",))
    return row[0] if row else None


def require_resolver(store: Store, conn: Connection, question_id: str) -> None:
    """Resolvers resolve; the question's own author too when the workspace allows it
    (setting ``resolvers``: author-or-resolver, the default, or resolvers-only)."""
    actor = store.actor
    if actor is None:
        return
    if actor.read_only:
        raise Forbidden("a read-only token cannot resolve")
    if actor.at_least("resolver"):
        return
    from forethought.services.accounts import read_settings

    if (actor.at_least("forecaster") and read_settings(conn)["resolvers"] == "author-or-resolver"
            and question_author(conn, question_id) == actor.name):
        return
    raise Forbidden(f"{actor.role}s cannot resolve question {question_id!r}: it needs the "
                    "resolver role" + ("" if actor.role == "viewer" else
                                       " (or being its author, where the workspace allows it)"))
