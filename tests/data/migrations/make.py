"""Build ``tests/data/migrations/<REVISION>.db``: a small SQLite database at schema REVISION with
one of every kind of record, written through forethought's own services; and ``<REVISION>.json``,
what it holds (rows per table, the ledger head).

Run it once, when a revision is released, and commit both files:

    .venv/bin/python tests/data/migrations/make.py 0002

Never rebuild an old file: it stands for the databases users already have, and
tests/store/test_migrations.py upgrades each one to the head and checks nothing was lost. (The
services used here must still write the tables of REVISION as they were, which holds when the
file is made at the time the revision is released.)
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from forethought.domain.inputs import NewSourceNote
from forethought.services import claims, questions
from forethought.store import ledger, migrate
from forethought.store import repository as repo
from forethought.store.engine import Store

HERE = Path(__file__).resolve().parent
T0 = datetime(2024, 11, 20, 9, 0, tzinfo=UTC)


def at(day: int, hour: int = 9) -> datetime:
    return T0.replace(day=day, hour=hour)


def populate(store: Store) -> None:
    src = claims.add_source(store, title="Analysis: the war escalates", outlet="Example Wire",
                            author="A. Writer", published="2024-11-28",
                            url="https://example.org/analysis", id="wire-2024-11-28",
                            now=at(28))
    c1 = claims.add_claim(store, "The air force reported a record number of drone attacks.",
                          source=src.id, said_by="Air Force", event_date="2024-11-27",
                          now=at(28, 10))
    c2 = claims.add_claim(store, "The stockpile commitment was dropped.", source=src.id,
                          said_by="Officials", now=at(28, 11))
    claims.add_claim(store, "An unsourced note, in Ünïcödé — with “quotes”.", now=at(28, 12))
    claims.grade(store, c1.id, "B2", note="two outlets agree", now=at(29))
    claims.grade(store, c1.id, "A1", now=at(30))
    claims.mark(store, c1.id, "corroborated", evidence=["https://example.org/second"],
                note="independent report", now=at(30, 12))
    claims.mark(store, c2.id, "disputed", evidence=["a denial"], now=at(30, 13))

    q = questions.ask(store, "Will engagements intensify in the coming weeks?", "2024-12-26",
                      id="engagements", opened="2024-11-28", tags=["war", "escalation"],
                      criteria="Reported by two outlets.", source_id=src.id, span=(10, 80),
                      claims=[c1.id], now=at(28, 13))
    questions.forecast(store, q.id, "likely", forecaster="wire", at="2024-11-28",
                       claims=[c1.id], source_id=src.id, now=at(28, 14))
    questions.forecast(store, q.id, "70%", forecaster="alice", at=at(29),
                       why="the trend is clear", now=at(29, 10))
    questions.forecast(store, q.id, "3:1", forecaster="bob", at=at(29, 11), now=at(29, 12))
    questions.resolve(store, q.id, "yes", known_at=at(30), note="two outlets", evidence=["url"],
                      now=at(30, 14))
    questions.resolve(store, q.id, "no", known_at=at(30), correct="misread the report",
                      now=at(30, 15))

    m = questions.ask(store, "Which alliance member moves first?", "2025-06-30",
                      id="first-mover", options=["North", "South", "Neither"],
                      opened="2024-11-28", now=at(28, 15))
    questions.forecast(store, m.id, "North=0.2,South=0.3,Neither=0.5", forecaster="alice",
                       at=at(29), now=at(29, 13))
    a = questions.ask(store, "Will the talks be held?", "2025-01-31", id="talks",
                      opened="2024-11-20", now=at(28, 16))
    questions.forecast(store, a.id, "1 in 20", forecaster="carol", at="2024-11-21",
                       now=at(28, 17))
    questions.resolve(store, a.id, "annulled", known_at=at(30), note="cancelled",
                      now=at(30, 16))

    with store.read() as conn:
        has_notes = conn.has_table("source_notes")
    if has_notes:  # 0002: a source's interpretive sentence (as ingest keeps it)
        note = NewSourceNote(source_id=src.id, text="This indicates a shift in strategy.",
                             span_start=120, span_end=155)
        store.write(lambda conn: repo.add(conn, [note], at(28, 18)))
    with store.read() as conn:
        has_accounts = conn.has_table("accounts")
    if has_accounts:  # 0003: the team server's accounts, a token, a setting, and writes by them
        from forethought.domain.accounts import Actor
        from forethought.services import accounts

        accounts.add_user(store, "ada", "admin", "correct horse battery", now=at(29, 8))
        accounts.add_user(store, "bob", "forecaster", "another long one", now=at(29, 9))
        accounts.set_role(store, "bob", "resolver", now=at(29, 10))
        token, _ = accounts.create_token(store, "bob", read_only=True, label="script",
                                         now=at(29, 11))
        accounts.revoke_token(store, token.id, now=at(29, 12))
        accounts.set_setting(store, "resolvers", "resolvers-only", now=at(29, 13))
        as_bob = store.acting_as(Actor("bob", "resolver"))
        hidden = questions.ask(as_bob, "Will the server keep this hidden?", "2025-03-01",
                               id="hidden", opened="2024-11-29", now=at(29, 14))
        questions.forecast(as_bob, hidden.id, "60%", forecaster="bob", now=at(29, 15))


def manifest(store: Store, revision: str) -> dict:
    with store.read() as conn:
        names = sorted(r[0] for r in conn.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table'") if r[0] != "alembic_version")
        rows = {n: conn.scalar(f'SELECT COUNT(*) FROM "{n}"') for n in names}
        seq, digest = ledger.head(conn)
    return {"revision": revision, "rows": rows, "head": {"seq": seq, "hash": digest}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default=migrate.head_revisions()[0])
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args()
    path = HERE / f"{args.revision}.db"
    if path.exists() and not args.force:
        sys.exit(f"{path} exists; old files are never rebuilt (use --force if it was never "
                 "committed)")
    for stale in (path, path.with_suffix(".db-wal"), path.with_suffix(".db-shm")):
        stale.unlink(missing_ok=True)
    migrate.upgrade_url(f"sqlite:///{path}", "sqlite", args.revision)
    store = Store(f"sqlite:///{path}", check=False)
    populate(store)
    data = manifest(store, args.revision)
    store.dispose()
    raw = sqlite3.connect(path, isolation_level=None)  # one self-contained file, no -wal beside it
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.execute("VACUUM")
    raw.close()
    path.with_suffix(".json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB): {data['rows']}")


if __name__ == "__main__":
    main()
