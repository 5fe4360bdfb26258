"""0003 team server: accounts, their events and API tokens (ledgered), workspace settings
(ledgered), secrets, sessions and login failures (operational, never ledgered), the author of a
ledger entry, and a question's visibility rule (older questions: open).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        _time("recorded_at"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_accounts")),
    )
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=True),
        _time("recorded_at"),
        sa.ForeignKeyConstraint(["account"], ["accounts.name"],
                                name=op.f("fk_account_events_account_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_events")),
    )
    op.create_index(op.f("ix_account_events_account"), "account_events", ["account"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("read_only", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        _time("recorded_at"),
        sa.ForeignKeyConstraint(["account"], ["accounts.name"],
                                name=op.f("fk_tokens_account_accounts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
    )
    op.create_index(op.f("ix_tokens_account"), "tokens", ["account"])
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        _time("recorded_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settings")),
    )
    op.create_index(op.f("ix_settings_key"), "settings", ["key"])
    op.create_table(
        "secrets",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        _time("recorded_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secrets")),
    )
    op.create_index(op.f("ix_secrets_ref"), "secrets", ["ref"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        _time("created_at"),
        _time("expires_at"),
        _time("ended_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_account"), "sessions", ["account"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        _time("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(op.f("ix_login_failures_key"), "login_failures", ["key"])
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.Text(), nullable=True))
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visibility", sa.String(length=40), nullable=False,
                                      server_default="open"))


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("visibility")
    with op.batch_alter_table("ledger", schema=None) as batch_op:
        batch_op.drop_column("author")
    for table in ("login_failures", "sessions", "secrets", "settings", "tokens",
                  "account_events", "accounts"):
        op.drop_table(table)
