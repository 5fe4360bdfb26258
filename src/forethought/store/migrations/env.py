"""Alembic environment for forethought: always run with a connection handed in by the store."""

from __future__ import annotations

from alembic import context

from forethought.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - offline mode is not offered
    raise RuntimeError("forethought migrations run through `forethought db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
