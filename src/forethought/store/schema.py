"""The SQLAlchemy metadata of the schema, built from :mod:`forethought.store.tables`.

Only alembic (``migrations/env.py``) and the tests import this: the running program reads and
writes through the DB-API (see ``engine.py``). A test checks that the migrations build exactly
this schema, so `tables.py`, the migrations and the database cannot drift apart.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from forethought.store import tables as spec

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _type(column: spec.Column):
    if column.kind == "int":
        return Integer()
    if column.kind == "float":
        return Float()
    if column.kind == "time":
        return DateTime()
    if column.kind == "date":
        return Date()
    return String(column.size) if column.size else Text()


def _table(t: spec.Table) -> Table:
    columns = []
    for c in t.columns:
        args = [ForeignKey(c.references)] if c.references else []
        columns.append(Column(c.name, _type(c), *args, primary_key=c.name == t.key,
                              nullable=c.nullable and c.name != t.key, index=c.index,
                              autoincrement=False, server_default=c.default))
    table = Table(t.name, metadata, *columns)
    for names in t.indexes:
        Index(f"ix_{t.name}_{'_'.join(n.split('_')[0] for n in names)}",
              *[table.c[n] for n in names])
    for link in t.links:
        target = ([ForeignKey(link.references)] if link.references else [])
        Table(link.table, metadata,
              Column(link.own, String(120) if t.key == "id" and t.columns[0].kind == "text"
                     else Integer(), ForeignKey(f"{t.name}.{t.key}"), primary_key=True),
              Column(link.target, String(link.target_size), *target, primary_key=True,
                     index=link.target == "tag"))
    return table


for _spec in (*spec.TABLES.values(), spec.LEDGER, *spec.OPERATIONAL):
    _table(_spec)
