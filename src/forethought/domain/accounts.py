"""Accounts on a team server: roles, what each may do, and who is acting.

A role grants everything the roles before it grant:

* ``viewer`` — read;
* ``forecaster`` — ask questions, forecast **as themselves only**, comment;
* ``resolver`` — also resolve questions and correct resolutions;
* ``admin`` — also manage accounts, tokens and the workspace's settings, and run verify.

Who may resolve a question is a workspace setting (``resolvers``): ``author-or-resolver`` (the
default: the question's author or any resolver) or ``resolvers-only`` (analysts never grade their
own questions).
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "forecaster", "resolver", "admin")
RESOLVERS = ("author-or-resolver", "resolvers-only")
SETTINGS = {
    "resolvers": RESOLVERS,
    "visibility": ("until-forecast", "open"),  # the default rule of a question asked on the server
}
SETTING_DEFAULTS = {"resolvers": "author-or-resolver", "visibility": "until-forecast"}


@dataclass(frozen=True)
class Actor:
    """Who is acting: an account with its role; ``read_only`` for a read-only API token. The
    command line acts with no actor (the workspace's owner, unrestricted)."""

    name: str
    role: str
    read_only: bool = False

    def at_least(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    @property
    def can_write(self) -> bool:
        return not self.read_only and self.at_least("forecaster")


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool
    recorded_at: object
    forecasts: int = 0


@dataclass(frozen=True)
class Token:
    id: int
    account: str
    read_only: bool
    label: str | None
    recorded_at: object
    revoked: bool = False
