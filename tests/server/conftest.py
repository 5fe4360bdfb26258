"""A served workspace with one account per role, on SQLite and PostgreSQL, driven through the
ASGI test client (tests/server/test_process.py starts a real `forethought serve`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

PASSWORD = "a long enough password"
ROLES = ("viewer", "forecaster", "resolver", "admin")


@dataclass
class Team:
    url: str
    app: Any
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, name: str | None = None) -> Any:
        """A test client authenticated with ``name``'s API token (None: anonymous)."""
        from fastapi.testclient import TestClient

        headers = {"Authorization": f"Bearer {self.tokens[name]}"} if name else {}
        return TestClient(self.app, headers=headers, raise_server_exceptions=True)

    def login(self, name: str) -> tuple[Any, str]:
        """A client holding ``name``'s session cookie, and the session's CSRF token."""
        from fastapi.testclient import TestClient

        client = TestClient(self.app, raise_server_exceptions=True)
        r = client.post("/api/login", json={"name": name, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return client, r.json()["csrf"]


def make_team(url: str) -> Team:
    """Accounts ``viewer``, ``forecaster``, ``forecaster2``, ``resolver``, ``admin`` (named for
    their roles), each with an API token, and the app serving ``url``."""
    from forethought.server.app import create_app
    from forethought.services import accounts
    from forethought.store.engine import Store

    store = Store(url, upgrade=True)
    tokens = {}
    for name, role in (*((r, r) for r in ROLES), ("forecaster2", "forecaster")):
        accounts.add_user(store, name, role, PASSWORD)
        tokens[name] = accounts.create_token(store, name)[1]
    store.dispose()
    return Team(url, create_app(url), tokens)


@pytest.fixture
def team(backend: str) -> Iterator[Team]:
    made = make_team(backend)
    yield made
    made.app.state.store.dispose()


@pytest.fixture(scope="module")
def module_team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    """One team on a SQLite file for a whole module (tests that make their own objects)."""
    made = make_team(f"sqlite:///{tmp_path_factory.mktemp('team') / 'forethought.db'}")
    yield made
    made.app.state.store.dispose()
