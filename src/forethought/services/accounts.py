"""Accounts, API tokens, sessions and workspace settings of the team server.

Accounts are records like any other: created, given a role, disabled, re-enabled — each an
append-only, ledgered entry (``accounts``, ``account_events``), so `verify` covers who was
allowed to do what. Secrets never enter the ledger: a password is kept as an argon2id hash
(argon2-cffi's ``PasswordHasher``, the library's recommended parameters), a token as the sha256 of
its 256 random bits (a fast hash is enough for a secret that long, and a lookup must find it), in
the operational ``secrets`` table. Sessions live in the database (so every worker and machine
sees the same ones, and logging out ends a session everywhere); only the sha256 of a session id
is stored. Failed logins are counted per address and name, to throttle guessing.
"""

from __future__ import annotations

import hashlib
import secrets as random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from forethought.domain.accounts import (
    ROLES,
    SETTING_DEFAULTS,
    SETTINGS,
    Account,
    Actor,
    Token,
)
from forethought.domain.inputs import (
    NewAccount,
    NewAccountEvent,
    NewSetting,
    NewToken,
    build,
)
from forethought.domain.timeparse import utcnow
from forethought.errors import (
    AlreadyExists,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from forethought.store import codec
from forethought.store import repository as repo
from forethought.store.engine import Connection, Store

MIN_PASSWORD = 10
SESSION_HOURS = 12
FAILURES = 5                 # failed logins per address and name ...
FAILURE_WINDOW = timedelta(minutes=15)  # ... within this window before logins answer 429
TOKEN_PREFIX = "ft_"
WRONG = "wrong name or password"  # the same answer for an unknown name and a wrong password


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def require_admin(store: Store) -> None:
    """Only an admin (or the command line, which acts with no account) manages accounts."""
    actor = store.actor
    if actor is not None and (actor.read_only or not actor.at_least("admin")):
        raise Forbidden("only an admin can manage accounts, tokens and settings")


# ---- accounts -------------------------------------------------------------------------------

def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")
    if "\x00" in password:
        raise InvalidInput("a password cannot contain a NUL character")
    return password


def _events(conn: Connection, name: str | None = None) -> list[tuple]:
    sql = "SELECT account, action, role, token_id FROM account_events"
    params: tuple = ()
    if name is not None:
        sql, params = sql + " WHERE account = ?", (name,)
    return conn.rows(sql + " ORDER BY id", params)


def _accounts(conn: Connection, counts: bool = True) -> list[Account]:
    """Every account with its role and state; ``counts``: with its number of forecasts (a
    scan of every forecast: not on the path that checks a session or token)."""
    rows = conn.rows("SELECT name, role, recorded_at FROM accounts ORDER BY name")
    state = {name: [role, False] for name, role, _ in rows}
    for name, action, role, _token in _events(conn):
        if action == "role":
            state[name][0] = role
        elif action in ("disable", "enable"):
            state[name][1] = action == "disable"
    made = dict(conn.rows("SELECT forecaster, COUNT(*) FROM forecasts GROUP BY forecaster")
                ) if counts else {}
    return [Account(name, state[name][0], state[name][1], codec.from_db("time", at),
                    int(made.get(name, 0))) for name, _, at in rows]


def _account(conn: Connection, name: str) -> Account:
    found = [a for a in _accounts(conn) if a.name == name]
    if not found:
        raise NotFound(f"no account named {name!r}; run `forethought user list`")
    return found[0]


def _set_secret(conn: Connection, kind: str, ref: str, secret_hash: str, now: datetime) -> None:
    ident = int(conn.scalar("SELECT COALESCE(MAX(id), 0) FROM secrets")) + 1
    conn.insert("secrets", ("id", "kind", "ref", "hash", "recorded_at"),
                [(ident, kind, ref, secret_hash, codec.to_db("time", now, conn.sqlite))])


def add_user(store: Store, name: str, role: str, password: str, *,
             now: datetime | None = None) -> Account:
    """Create an account. A name already used by forecasts (recorded from the command line)
    is claimed: that history is the account's."""
    require_admin(store)
    now = now or utcnow()
    new = build(NewAccount, name=name.strip(), role=role)
    secret = _hasher().hash(_check_password(password))

    def work(conn: Connection) -> Account:
        if conn.one("SELECT 1 FROM accounts WHERE name = ?", (new.name,)):
            raise AlreadyExists(f"an account named {new.name!r} exists already")
        repo.add(conn, [new], now)
        _set_secret(conn, "password", new.name, secret, now)
        return _account(conn, new.name)

    return store.write(work)


def list_users(store: Store) -> list[Account]:
    with store.read() as conn:
        return _accounts(conn)


def _event(store: Store, name: str, action: str, now: datetime | None, **fields: Any
           ) -> Account:
    require_admin(store)
    now = now or utcnow()
    event = build(NewAccountEvent, account=name, action=action, **fields)

    def work(conn: Connection) -> Account:
        before = _account(conn, name)
        if action == "role" and before.role == event.role:
            raise InvalidInput(f"{name!r} is already {event.role}")
        if action in ("disable", "enable") and before.disabled == (action == "disable"):
            raise InvalidInput(f"{name!r} is already {action}d")
        repo.add(conn, [event], now)
        return _account(conn, name)

    return store.write(work)


def set_role(store: Store, name: str, role: str, *, now: datetime | None = None) -> Account:
    if role not in ROLES:
        raise InvalidInput(f"{role!r} is not a role; choose one of: {', '.join(ROLES)}")
    return _event(store, name, "role", now, role=role)


def disable(store: Store, name: str, *, now: datetime | None = None) -> Account:
    """A disabled account cannot log in; its sessions and tokens stop working at once."""
    return _event(store, name, "disable", now)


def enable(store: Store, name: str, *, now: datetime | None = None) -> Account:
    return _event(store, name, "enable", now)


def set_password(store: Store, name: str, password: str, *, now: datetime | None = None
                 ) -> None:
    actor = store.actor
    if actor is not None and actor.name != name:
        require_admin(store)
    now = now or utcnow()
    secret = _hasher().hash(_check_password(password))

    def work(conn: Connection) -> None:
        _account(conn, name)
        repo.add(conn, [build(NewAccountEvent, account=name, action="password")], now)
        _set_secret(conn, "password", name, secret, now)

    store.write(work)


# ---- tokens ---------------------------------------------------------------------------------

def create_token(store: Store, name: str, *, read_only: bool = False, label: str | None = None,
                 now: datetime | None = None) -> tuple[Token, str]:
    """A new API token for ``name``: (its record, the secret — shown once, stored hashed). An
    account may create its own tokens; an admin anyone's."""
    actor = store.actor
    if actor is not None and (actor.name != name or actor.read_only):
        require_admin(store)
    now = now or utcnow()
    secret = TOKEN_PREFIX + random.token_urlsafe(32)
    new = build(NewToken, account=name, read_only=int(read_only), label=label)

    def work(conn: Connection) -> Token:
        account = _account(conn, name)
        if account.disabled:
            raise InvalidInput(f"{name!r} is disabled; enable it first")
        (ident,) = repo.add(conn, [new], now)
        _set_secret(conn, "token", str(ident), _digest(secret), now)
        return Token(ident, name, bool(read_only), new.label, now)

    return store.write(work), secret


def _revoked(conn: Connection) -> set[int]:
    return {t for _a, action, _r, t in _events(conn) if action == "revoke-token"}


def list_tokens(store: Store, name: str | None = None) -> list[Token]:
    actor = store.actor
    if actor is not None and name != actor.name:
        require_admin(store)
    with store.read() as conn:
        revoked = _revoked(conn)
        sql = "SELECT id, account, read_only, label, recorded_at FROM tokens"
        params: tuple[str, ...] = ()
        if name is not None:
            sql, params = sql + " WHERE account = ?", (name,)
        return [Token(i, a, bool(ro), label, codec.from_db("time", at), i in revoked)
                for i, a, ro, label, at in conn.rows(sql + " ORDER BY id", params)]


def revoke_token(store: Store, token_id: int, *, now: datetime | None = None) -> Token:
    now = now or utcnow()
    if not 1 <= token_id < 2**62:
        raise NotFound(f"no token {token_id}; run `forethought token list`")

    def work(conn: Connection) -> Token:
        row = conn.one("SELECT id, account, read_only, label, recorded_at FROM tokens "
                       "WHERE id = ?", (token_id,))
        if row is None:
            raise NotFound(f"no token {token_id}; run `forethought token list`")
        actor = store.actor
        if actor is not None and actor.name != row[1]:
            require_admin(store)
        if token_id in _revoked(conn):
            raise InvalidInput(f"token {token_id} is already revoked")
        repo.add(conn, [build(NewAccountEvent, account=row[1], action="revoke-token",
                              token_id=token_id)], now)
        return Token(row[0], row[1], bool(row[2]), row[3], codec.from_db("time", row[4]), True)

    return store.write(work)


# ---- authentication -------------------------------------------------------------------------

# one account's role and state, as _accounts derives them, in one query (this is on the path of
# every request: a round trip saved here is saved on every page and API call)
_STATE = ("a.name, a.role, a.recorded_at, "
          "(SELECT e.role FROM account_events e WHERE e.account = a.name AND e.action = 'role' "
          "ORDER BY e.id DESC LIMIT 1), "
          "(SELECT e.action FROM account_events e WHERE e.account = a.name "
          "AND e.action IN ('disable', 'enable') ORDER BY e.id DESC LIMIT 1)")


def _state(row: tuple) -> Account | None:
    """The active account a row of _STATE describes (None: disabled)."""
    name, role, at, changed, switched = row
    if switched == "disable":
        return None
    return Account(name, changed or role, False, codec.from_db("time", at))


def _active(conn: Connection, name: str) -> Account | None:
    row = conn.one(f"SELECT {_STATE} FROM accounts a WHERE a.name = ?", (name,))
    return _state(row) if row is not None else None


def actor_for_token(store: Store, secret: str) -> Actor:
    """The account a bearer token acts for; Unauthorized for an unknown or revoked token or a
    disabled account."""
    with store.read() as conn:
        row = conn.one("SELECT ref FROM secrets WHERE kind = 'token' AND hash = ?",
                       (_digest(secret),))
        if row is None or int(row[0]) in _revoked(conn):
            raise Unauthorized("unknown or revoked API token")
        token = conn.one("SELECT account, read_only FROM tokens WHERE id = ?", (int(row[0]),))
        account = _active(conn, token[0]) if token else None
        if account is None or token is None:
            raise Unauthorized("unknown or revoked API token")
        return Actor(account.name, account.role, read_only=bool(token[1]))


def _failures(conn: Connection, key: str, now: datetime) -> int:
    since = codec.to_db("time", now - FAILURE_WINDOW, conn.sqlite)
    return int(conn.scalar("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?",
                           (key, since)))


@dataclass(frozen=True)
class Session:
    id: str        # the cookie's value (only its sha256 is stored)
    csrf: str      # the token every form post of this session must carry
    actor: Actor
    expires_at: datetime


def log_in(store: Store, name: str, password: str, address: str, *,
           now: datetime | None = None) -> Session:
    """Check a name and password and open a session. The same answer (and about the same time)
    for an unknown name as for a wrong password; after FAILURES failures from one address for
    one name within FAILURE_WINDOW, TooManyRequests until the window passes."""
    now = now or utcnow()
    key = f"{address}|{name.strip().casefold()}"
    hasher = _hasher()
    with store.read() as conn:
        if _failures(conn, key, now) >= FAILURES:
            raise TooManyRequests("too many failed logins; try again in a few minutes",
                                  int(FAILURE_WINDOW.total_seconds()))
        account = _active(conn, name.strip())
        row = conn.one("SELECT hash FROM secrets WHERE kind = 'password' AND ref = ? "
                       "ORDER BY id DESC LIMIT 1", (name.strip(),)) if account else None
    ok = False
    try:
        from argon2.exceptions import VerificationError

        # an unknown name still pays for one verification, so timing tells nothing
        hasher.verify(row[0] if row else _decoy(), password)
        ok = row is not None and account is not None
    except VerificationError:
        ok = False
    if not ok:
        def failed(conn: Connection) -> None:
            ident = int(conn.scalar("SELECT COALESCE(MAX(id), 0) FROM login_failures")) + 1
            conn.insert("login_failures", ("id", "key", "at"),
                        [(ident, key, codec.to_db("time", now, conn.sqlite))])

        store.write(failed)
        raise Unauthorized(WRONG)
    assert account is not None
    return _open_session(store, Actor(account.name, account.role), now)


_DECOY: list[str] = []


def _decoy() -> str:
    if not _DECOY:
        _DECOY.append(_hasher().hash(random.token_urlsafe(16)))
    return _DECOY[0]


def _open_session(store: Store, actor: Actor, now: datetime) -> Session:
    session_id, csrf = random.token_urlsafe(32), random.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)

    def work(conn: Connection) -> None:
        conn.insert("sessions", ("id", "account", "csrf", "created_at", "expires_at"),
                    [(_digest(session_id), actor.name, csrf,
                      codec.to_db("time", now, conn.sqlite),
                      codec.to_db("time", expires, conn.sqlite))])

    store.write(work)
    return Session(session_id, csrf, actor, expires)


def session(store: Store, session_id: str, *, now: datetime | None = None) -> Session:
    """The open session ``session_id`` names; Unauthorized when it is unknown, ended, expired,
    or its account is disabled."""
    now = now or utcnow()
    with store.read() as conn:
        row = conn.one(f"SELECT s.csrf, s.expires_at, s.ended_at, {_STATE} FROM sessions s "
                       "JOIN accounts a ON a.name = s.account WHERE s.id = ?",
                       (_digest(session_id),))
    if row is None or row[2] is not None or codec.from_db("time", row[1]) <= now:
        raise Unauthorized("your session has ended; log in again")
    account = _state(row[3:])
    if account is None:
        raise Unauthorized("your session has ended; log in again")
    return Session(session_id, row[0], Actor(account.name, account.role),
                   codec.from_db("time", row[1]))


def log_out(store: Store, session_id: str, *, now: datetime | None = None) -> None:
    now = now or utcnow()

    def work(conn: Connection) -> None:
        conn.execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                     (codec.to_db("time", now, conn.sqlite), _digest(session_id))).close()

    store.write(work)


# ---- settings -------------------------------------------------------------------------------

def settings(store: Store) -> dict[str, str]:
    """The workspace's settings: the latest value of each key, else its default."""
    with store.read() as conn:
        return read_settings(conn)


def read_settings(conn: Connection) -> dict[str, str]:
    values = dict(SETTING_DEFAULTS)
    for key, value in conn.rows("SELECT key, value FROM settings ORDER BY id"):
        values[key] = value
    return values


def set_setting(store: Store, key: str, value: str, *, now: datetime | None = None
                ) -> dict[str, str]:
    require_admin(store)
    if key not in SETTINGS:
        raise InvalidInput(f"{key!r} is not a setting; choose one of: {', '.join(SETTINGS)}")
    if value not in SETTINGS[key]:
        raise InvalidInput(f"{value!r} is not a value of {key}; choose one of: "
                           f"{', '.join(SETTINGS[key])}")
    now = now or utcnow()

    def work(conn: Connection) -> dict[str, str]:
        repo.add(conn, [build(NewSetting, key=key, value=value)], now)
        return read_settings(conn)

    return store.write(work)
