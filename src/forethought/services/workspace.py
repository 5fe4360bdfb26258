"""Find or create a workspace, like git finds `.git`.

`forethought init` creates `.forethought/` (holding `forethought.db` and `config.toml`) in the
current folder; commands look upward for it. `--db URL` and the `FORETHOUGHT_DB` environment
variable override the search (a SQLite path, `sqlite:///PATH`, or `postgresql+psycopg://…`).
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from forethought.errors import InvalidInput, WorkspaceNotFound

if TYPE_CHECKING:
    from forethought.store.engine import Store

DIR_NAME = ".forethought"
DB_NAME = "forethought.db"
CONFIG_NAME = "config.toml"
ENV_DB = "FORETHOUGHT_DB"


@dataclass
class Workspace:
    """Where the data lives. ``root`` is the folder holding `.forethought/` (None for --db)."""

    url: str
    root: Path | None = None
    config: dict[str, Any] = field(default_factory=dict)
    _store: Store | None = None

    @property
    def forecaster(self) -> str:
        """Default forecaster: the workspace config, else the login name."""
        name = self.config.get("forecaster")
        if name:
            return str(name)
        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers
            return "me"

    @property
    def records_dir(self) -> Path:
        return self.root if self.root is not None else Path.cwd()

    def store(self) -> Store:
        if self._store is None:
            from forethought.store.engine import Store

            self._store = Store(self.url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
            self._store = None


def find_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / DIR_NAME).is_dir():
            return folder
    return None


def read_config(root: Path) -> dict[str, Any]:
    path = root / DIR_NAME / CONFIG_NAME
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path} is not valid TOML ({exc}); fix or delete it") from None


def locate(db: str | None = None, cwd: Path | None = None) -> Workspace:
    """The workspace for this command: --db, else $FORETHOUGHT_DB, else the nearest
    `.forethought/` folder at or above ``cwd``."""
    cwd = cwd or Path.cwd()
    root = find_root(cwd)
    config = read_config(root) if root else {}
    target = db or os.environ.get(ENV_DB)
    if target:
        return Workspace(url=target, root=root, config=config)
    if root is None:
        raise WorkspaceNotFound(
            f"no forethought workspace here ({cwd}) or in any folder above it; run "
            "`forethought init` to create one here, or pass --db PATH_OR_URL"
        )
    url = str(config.get("db") or root / DIR_NAME / DB_NAME)
    return Workspace(url=url, root=root, config=config)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def init(folder: Path, *, forecaster: str | None = None, db: str | None = None) -> Workspace:
    """Create `.forethought/` in ``folder`` (idempotent) and build its database."""
    folder = folder.resolve()
    home = folder / DIR_NAME
    home.mkdir(parents=True, exist_ok=True)
    config_path = home / CONFIG_NAME
    if not config_path.exists():
        lines = ["# forethought workspace settings", 'timezone = "UTC"']
        if forecaster:
            lines.append(f"forecaster = {_toml_string(forecaster)}")
        if db:
            lines.append(f"db = {_toml_string(db)}")
        config_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (home / ".gitignore").write_text("*.db\n*.db-wal\n*.db-shm\n*.db.damaged\n", encoding="utf-8")
    config = read_config(folder)
    ws = Workspace(url=str(config.get("db") or home / DB_NAME), root=folder, config=config)
    from forethought.store.engine import Store

    store = Store(ws.url, upgrade=True)
    ws._store = store
    return ws


def check_forecaster(name: str) -> str:
    """A forecaster name as typed, normalised (NFKC, white space tidied; see
    domain/names.py); refused when empty, too long or holding an invisible character."""
    from forethought.domain.names import normalised

    name = name.strip()
    if not name or len(name) > 200 or re.search(r"[\x00-\x1f]", name):
        raise InvalidInput(f"forecaster name {name!r} is not valid: give 1–200 printable "
                           "characters")
    try:
        return normalised(name)
    except ValueError as exc:
        raise InvalidInput(f"forecaster name {exc}") from None


def open_store(url: str) -> Store:
    """The store at ``url`` (a SQLite file upgrades itself; PostgreSQL must be current)."""
    from forethought.store.engine import Store

    return Store(url)


def upgrade_schema(workspace: Workspace) -> str | None:
    """Bring the workspace's database to this version's schema; return the revision."""
    from forethought.store.engine import Store

    store = Store(workspace.url, upgrade=True)
    try:
        return store.current_revision()
    finally:
        store.dispose()


def schema_revisions(workspace: Workspace) -> tuple[str | None, str]:
    """(the database's schema revision, the one this forethought needs)."""
    from forethought.store import migrate
    from forethought.store.engine import Store

    store = Store(workspace.url, check=False)
    try:
        return store.current_revision(), migrate.head_revisions()[0]
    finally:
        store.dispose()
