"""The tamper scenario for bench/reliability.py (tests/store/test_verify.py does the same
through the command line, one tampering per test): each raw-SQL change in its own transaction,
verified there, then rolled back."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text
from tests.services.scenarios import MADE, Outcome, backend_name, verify_text


def rechain(conn, from_seq: int) -> None:
    """What someone with write access and this code could do: re-hash the ledger from
    ``from_seq`` on, so every hash re-derives again."""
    from forethought.store import ledger

    rows = conn.execute(text("SELECT seq, kind, entity, written_at, payload, prev_hash FROM ledger "
                             "WHERE seq >= :s ORDER BY seq"), {"s": from_seq}).all()
    prev = rows[0][5]
    for seq, kind, entity, written_at, payload, _ in rows:
        if isinstance(written_at, str):  # SQLite hands back the stored text
            written_at = datetime.fromisoformat(written_at)
        stamp = written_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        digest = ledger.chain_hash(prev, kind, entity, stamp, payload)
        conn.execute(text("UPDATE ledger SET prev_hash = :p, hash = :h WHERE seq = :s"),
                     {"p": prev, "h": digest, "s": seq})
        prev = digest


def _tampers(head: int) -> list[tuple[str, Callable, str, bool]]:
    """(name, how, what `verify` must say, checked against the published head?)"""
    def run(*statements: str, **params) -> Callable:
        def apply(conn) -> None:
            for statement in statements:
                conn.execute(text(statement), params)
        return apply

    def rewrite(conn) -> None:
        from forethought.store import ledger

        seq, payload = conn.execute(text(
            "SELECT seq, payload FROM ledger WHERE entity = 'forecast:3'")).one()
        changed = json.loads(payload) | {"probability": 0.01}
        run("UPDATE forecasts SET probability = 0.01 WHERE id = 3",
            "UPDATE ledger SET payload = :p WHERE seq = :s",
            p=ledger.canonical(changed), s=seq)(conn)
        rechain(conn, seq)

    cut = head - 3
    return [
        ("change a probability", run("UPDATE forecasts SET probability = 0.99 WHERE id = 3"),
         "field 'probability'", False),
        ("change a made_at", run("UPDATE forecasts SET made_at = :t WHERE id = 4",
                                 t=datetime(2023, 1, 1)), "field 'made_at'", False),
        ("change an outcome", run("UPDATE resolutions SET outcome = 'no' WHERE id = 1"),
         "field 'outcome'", False),
        ("delete a forecast row", run("DELETE FROM forecasts WHERE id = 5"),
         "forecast:5: is in the ledger", False),
        ("delete a ledger entry", run("DELETE FROM ledger WHERE seq = 6"),
         "entry 6 is missing", False),
        ("reorder two entries", run("UPDATE ledger SET seq = -7 WHERE seq = 7",
                                    "UPDATE ledger SET seq = 7 WHERE seq = 8",
                                    "UPDATE ledger SET seq = 8 WHERE seq = -7"),
         "entries were reordered", False),
        ("truncate the ledger tail", run("DELETE FROM ledger WHERE seq > :c", c=cut),
         "is in the table but not in the ledger", False),
        ("truncate tail and its rows", run(
            "DELETE FROM forecasts WHERE id IN (SELECT CAST(substr(entity, 10) AS INTEGER) "
            "FROM ledger WHERE seq > :c AND kind = 'forecast')",
            "DELETE FROM ledger WHERE seq > :c", c=cut), "is not in the chain", True),
        ("consistent rewrite", rewrite, "is not in the chain", True),
    ]


def tamper(url: str, n_forecasts: int = 200) -> Outcome:
    """Each tampering in its own transaction, verified there and rolled back."""
    from forethought.services import questions as qs
    from forethought.store import ledger
    from forethought.store.engine import Store
    from forethought.store.verify import PublishedHead
    from forethought.store.verify import verify as verify_rows

    store = Store(url, upgrade=True)
    a = qs.ask(store, "Tamper target A", "2030-01-01", opened=MADE)
    b = qs.ask(store, "Tamper target B", "2030-01-01", opened=MADE)
    qs.resolve(store, b.id, "yes", known_at=MADE + timedelta(days=1))
    for j in range(n_forecasts):
        qs.forecast(store, a.id, f"{1 + j % 98}%", forecaster=f"f{j % 5}",
                    at=MADE + timedelta(minutes=j))
    with store.read() as conn:
        head = ledger.head(conn)
    store.dispose()
    published = PublishedHead(head[1], head[0])
    out = Outcome("tamper", backend_name(url))
    engine = create_engine(url)
    named = 0
    try:
        for name, how, expected, against in _tampers(head[0]):
            with engine.connect() as conn:
                tx = conn.begin()
                how(conn)
                plain = verify_rows(conn)
                report = verify_rows(conn, [published]) if against else plain
                tx.rollback()
            out.operations += 1
            hit = any(expected in p.describe() for p in report.problems)
            named += hit
            if not hit:
                out.notes.append(f"{name}: not named ({[p.describe() for p in report.problems]})")
            elif against and plain.ok:
                out.notes.append(f"{name}: only against the published head")
    finally:
        engine.dispose()
    untouched = verify_text(url)
    if not untouched.startswith("OK"):
        out.notes.append(f"the untouched database does not verify: {untouched}")
        named = -1
    out.verify = f"{'OK' if named == out.operations else 'MISSED'}: {named}/{out.operations} named"
    return out
