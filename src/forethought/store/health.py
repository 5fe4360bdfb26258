"""The database's own checks of its files, which `verify` runs before the ledger walk.

A hash chain proves the rows agree with the ledger; it cannot see a damaged page that no row
read touches (an index, free space, a page the walk does not reach). Each backend checks that
itself:

* SQLite: ``PRAGMA integrity_check`` — every page, every index against its table;
* PostgreSQL: the ``amcheck`` extension when it is installed in the database —
  ``verify_heapam`` on every table of the workspace's schema and ``bt_index_check`` on every
  index; without it PostgreSQL offers no cheap read-only check, and the report says how to
  enable one.

The checks run inside the caller's read-only snapshot and write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forethought.store.damage import check_lines, corruption
from forethought.store.engine import Connection

MAX_MESSAGES = 20


@dataclass
class DatabaseCheck:
    """What the backend checked (``what``, one sentence) and each problem it found."""

    what: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(conn: Connection) -> DatabaseCheck:
    return _sqlite(conn) if conn.sqlite else _postgresql(conn)


def _sqlite(conn: Connection) -> DatabaseCheck:
    check = DatabaseCheck("SQLite integrity_check (every page, every index)")
    for pragma in ("integrity_check", "quick_check"):
        try:
            found = [r[0] for r in conn.rows(f"PRAGMA {pragma}({MAX_MESSAGES})")]
        except Exception as exc:  # noqa: BLE001 - some damage stops the check itself
            why = corruption(exc)
            if why is None:
                raise
            # integrity_check gives up on some damage that quick_check still describes
            check.problems = [f"SQLite's own check cannot read the file ({why})"]
            continue
        check.problems = check_lines(found)
        return check
    return check


def _postgresql(conn: Connection) -> DatabaseCheck:
    if conn.scalar("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'") is None:
        checksums = conn.scalar("SHOW data_checksums")
        return DatabaseCheck(
            "none: PostgreSQL's amcheck extension is not installed in this database, so its "
            f"pages were not checked (data checksums: {checksums}); a superuser can run "
            "CREATE EXTENSION amcheck to let verify check every table and index")
    # every table of the workspace's schema: the records, the ledger, the accounts and
    # settings of a team server, the migration bookkeeping
    tables = [r[0] for r in conn.rows(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.relname")]
    indexes = [r[0] for r in conn.rows(
        "SELECT ci.relname FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid "
        "JOIN pg_class ct ON ct.oid = i.indrelid JOIN pg_am am ON am.oid = ci.relam "
        "JOIN pg_namespace n ON n.oid = ct.relnamespace "
        "WHERE am.amname = 'btree' AND n.nspname = current_schema() AND ct.relname = ANY(?) "
        "ORDER BY ci.relname", (tables,))]
    check = DatabaseCheck(f"PostgreSQL amcheck (verify_heapam on {len(tables)} tables, "
                          f"bt_index_check on {len(indexes)} indexes)")
    for table in tables:
        for blkno, offnum, msg in _guarded(conn, "SELECT blkno, offnum, msg FROM "
                                           "verify_heapam(?::regclass)", f"table {table}",
                                           table, check):
            _add(check, f"table {table}, block {blkno}, item {offnum}: {msg}")
    for index in indexes:
        _guarded(conn, "SELECT bt_index_check(?::regclass)", f"index {index}", index, check)
    return check


def _guarded(conn: Connection, sql: str, what: str, name: str,
             check: DatabaseCheck) -> list[tuple]:
    """Run one amcheck call in a savepoint: a check that raises (a damaged index) is a problem
    of ``what``, and the snapshot stays usable for the rest."""
    conn.execute("SAVEPOINT health").close()
    try:
        rows = conn.rows(sql, (name,))
    except Exception as exc:  # noqa: BLE001 - amcheck reports some damage by raising
        conn.execute("ROLLBACK TO SAVEPOINT health").close()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _add(check, f"{what}: {first}")
        return []
    conn.execute("RELEASE SAVEPOINT health").close()
    return rows


def _add(check: DatabaseCheck, message: str) -> None:
    if len(check.problems) < MAX_MESSAGES:
        check.problems.append(message)
