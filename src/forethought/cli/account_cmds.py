"""user, token, setting: the team server's accounts, API tokens and workspace settings.

From the command line these act as the workspace's owner (no account): the first admin is made
here, with `forethought user add NAME --role admin`.
"""

from __future__ import annotations

import sys

import click

from forethought.cli.common import common, note, print_json, table, when
from forethought.domain.accounts import ROLES, SETTINGS


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)


@click.group()
def user() -> None:
    """Accounts of the team server (`forethought serve`): add, list, change a role, disable."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="viewer: read; forecaster: ask, forecast as themselves; resolver: also "
                   "resolve; admin: also manage accounts, tokens and settings.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin.")
@common
def user_add(name, role, password_stdin, workspace, as_json):
    """Create the account NAME (its forecaster name: history recorded under NAME from the
    command line is theirs)."""
    from forethought.services import accounts

    account = accounts.add_user(workspace.store(), name, role, _password(password_stdin))
    if as_json:
        print_json(account.__dict__)
    else:
        note(f"Added {account.name!r} ({account.role}).")


@user.command("list")
@common
def user_list(workspace, as_json):
    """Every account with its role, whether it is disabled, and its forecasts."""
    from forethought.services import accounts

    rows = accounts.list_users(workspace.store())
    if as_json:
        print_json([a.__dict__ for a in rows])
        return
    if not rows:
        note("No accounts yet: `forethought user add NAME --role admin` makes the first.")
        return
    click.echo(table([[a.name, a.role, "disabled" if a.disabled else "active", a.forecasts,
                       when(a.recorded_at)] for a in rows],
                     ["name", "role", "state", "forecasts", "since (UTC)"]))


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@common
def user_role(name, role, workspace, as_json):
    """Give NAME a new ROLE (recorded, never edited)."""
    from forethought.services import accounts

    account = accounts.set_role(workspace.store(), name, role)
    print_json(account.__dict__) if as_json else note(f"{name!r} is now {account.role}.")


@user.command("disable")
@click.argument("name")
@common
def user_disable(name, workspace, as_json):
    """Disable NAME: it cannot log in, and its sessions and tokens stop working at once."""
    from forethought.services import accounts

    account = accounts.disable(workspace.store(), name)
    print_json(account.__dict__) if as_json else note(f"{name!r} is disabled.")


@user.command("enable")
@click.argument("name")
@common
def user_enable(name, workspace, as_json):
    """Enable NAME again."""
    from forethought.services import accounts

    account = accounts.enable(workspace.store(), name)
    print_json(account.__dict__) if as_json else note(f"{name!r} is enabled.")


@user.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from stdin.")
@common
def user_password(name, password_stdin, workspace, as_json):
    """Set NAME's password (the change is recorded; the password never is)."""
    from forethought.services import accounts

    accounts.set_password(workspace.store(), name, _password(password_stdin))
    note(f"Password of {name!r} changed.")


@click.group()
def token() -> None:
    """Personal API tokens (`Authorization: Bearer …`): create, list, revoke."""


@token.command("create")
@click.option("--user", "name", required=True, metavar="NAME", help="The account it acts for.")
@click.option("--read-only", is_flag=True, help="It can read but never write.")
@click.option("--label", help="What it is for (shown in `token list`).")
@common
def token_create(name, read_only, label, workspace, as_json):
    """Create a token for NAME and print it alone on stdout: it is shown once and stored
    hashed."""
    from forethought.services import accounts

    record, secret = accounts.create_token(workspace.store(), name, read_only=read_only,
                                           label=label)
    if as_json:
        print_json({"id": record.id, "user": name, "read_only": read_only, "token": secret})
        return
    click.echo(secret)
    note(f"Token {record.id} for {name!r}{' (read-only)' if read_only else ''}: copy it now, "
         "it is not shown again.")


@token.command("list")
@click.option("--user", "name", metavar="NAME", help="Only this account's tokens.")
@common
def token_list(name, workspace, as_json):
    """Tokens with their account, whether read-only and whether revoked (never the secret)."""
    from forethought.services import accounts

    rows = accounts.list_tokens(workspace.store(), name)
    if as_json:
        print_json([t.__dict__ for t in rows])
        return
    click.echo(table([[t.id, t.account, "read-only" if t.read_only else "read-write",
                       "revoked" if t.revoked else "active", t.label or "",
                       when(t.recorded_at)] for t in rows],
                     ["id", "user", "access", "state", "label", "created (UTC)"]))


@token.command("revoke")
@click.argument("token_id", type=int)
@common
def token_revoke(token_id, workspace, as_json):
    """Revoke token TOKEN_ID (from `token list`): it stops working at once."""
    from forethought.services import accounts

    accounts.revoke_token(workspace.store(), token_id)
    note(f"Token {token_id} revoked.")


@click.group()
def setting() -> None:
    """Workspace settings the team server follows (recorded, never edited)."""


@setting.command("list")
@common
def setting_list(workspace, as_json):
    """Every setting and its value."""
    from forethought.services import accounts

    values = accounts.settings(workspace.store())
    if as_json:
        print_json(values)
        return
    click.echo(table([[k, v, " | ".join(SETTINGS[k])] for k, v in values.items()],
                     ["setting", "value", "choices"]))


@setting.command("set")
@click.argument("key", type=click.Choice(list(SETTINGS)))
@click.argument("value")
@common
def setting_set(key, value, workspace, as_json):
    """Set KEY to VALUE. resolvers: author-or-resolver (a question's author may resolve it) or
    resolvers-only. visibility: the rule of questions asked on the server (until-forecast or
    open)."""
    from forethought.services import accounts

    values = accounts.set_setting(workspace.store(), key, value)
    print_json(values) if as_json else note(f"{key} = {values[key]}")
