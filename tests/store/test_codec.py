"""One encoder: a row written alone, written in a batch, and re-derived by `verify` carries the
same ledger payload, byte for byte, on both backends, for values at the edges."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from forethought.domain.inputs import NewClaim, NewForecast, NewQuestion, NewResolution, NewSource
from forethought.store import codec, repository
from forethought.store.engine import Store
from forethought.store.tables import TABLES
from forethought.store.verify import verify

NOW = datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
ODD = "naïve — 東京 \u0085 \u2028 🙂 \"quoted\" \\ back"
# a forecaster name holds no invisible character (domain/names.py): the rest of ODD
ODD_NAME = "naïve — 東京 🙂 \"quoted\" \\ back"


def _inputs() -> list:
    return [
        NewSource(id="src", title=ODD, published_at=date(1999, 12, 31), url="https://e.org/?a=1"),
        NewClaim(id="src/c1", text=ODD, source_id="src", event_date=date(1, 1, 1),
                 span_start=0, span_end=3),
        NewQuestion(id="early", title=ODD, opened_at=datetime(1, 1, 1, tzinfo=UTC),
                    resolve_by=date(9999, 12, 31), tags=("b", "a", "a"), claims=("src/c1",),
                    criteria=ODD),
        NewQuestion(id="pick", title="Which?", type="multiple", options=("Z", "a", "M"),
                    opened_at=datetime(2024, 1, 1, tzinfo=UTC), resolve_by=date(2024, 2, 1)),
    ]


def _forecasts() -> list:
    return [
        NewForecast(question_id="early", forecaster=ODD_NAME, made_at=datetime(
            2000, 2, 29, 23, 59, 59, 999999, tzinfo=UTC), probability=0.1 + 0.2,
            rationale=ODD, claims=("src/c1",), p_low=0.0, p_high=1.0),
        NewForecast(question_id="pick", forecaster="ann", made_at=datetime(
            2024, 1, 2, tzinfo=UTC), distribution={"Z": 1 / 3, "a": 1 / 3, "M": 1 / 3}),
        NewForecast(question_id="early", forecaster="bob", made_at=datetime(
            9999, 12, 31, 23, 59, 59, tzinfo=UTC), probability=1),
    ]


def _payloads(store: Store) -> dict[str, str]:
    with store.read() as conn:
        return {entity: payload for entity, payload in conn.rows(
            "SELECT entity, payload FROM ledger ORDER BY seq")}


def test_alone_in_a_batch_and_verified_give_the_same_payloads(backend, tmp_path):
    one = Store(backend, upgrade=True)
    other = Store(f"sqlite:///{tmp_path / 'batch.db'}", upgrade=True)
    try:
        for item in _inputs() + _forecasts():  # one write per record
            one.write(lambda conn, item=item: repository.add(conn, [item], NOW))
        one.write(lambda conn: repository.add(conn, [NewResolution(
            question_id="pick", outcome="a", known_at=NOW, evidence=("z", "a", "z"))], NOW))

        def batch(conn) -> None:  # the same records, several per write
            inputs = _inputs()
            repository.add(conn, inputs[:1], NOW)
            repository.add(conn, inputs[1:2], NOW)
            repository.add(conn, inputs[2:], NOW)
            repository.add(conn, _forecasts(), NOW)
            repository.add(conn, [NewResolution(question_id="pick", outcome="a", known_at=NOW,
                                                evidence=("z", "a", "z"))], NOW)

        other.write(batch)
        assert _payloads(one) == _payloads(other)
        for store in (one, other):
            with store.read() as conn:
                report = verify(conn)
            assert report.ok, [p.describe() for p in report.problems]
        payloads = _payloads(one)
        assert json.loads(payloads["forecast:1"])["forecaster"] == ODD_NAME
        assert json.loads(payloads["forecast:1"])["probability"] == 0.30000000000000004
        assert json.loads(payloads["question:early"])["tags"] == ["a", "b"]
        assert json.loads(payloads["question:pick"])["options"] == ["Z", "a", "M"]
        assert json.loads(payloads["resolution:1"])["evidence"] == ["a", "z"]
        assert json.loads(payloads["forecast:3"])["made_at"] == "9999-12-31T23:59:59.000000Z"
        assert json.loads(payloads["claim:src/c1"])["event_date"] == "0001-01-01"
    finally:
        one.dispose()
        other.dispose()


def test_the_payload_is_what_the_stored_row_decodes_to(backend):
    store = Store(backend, upgrade=True)
    try:
        store.write(lambda conn: [repository.add(conn, [item], NOW)
                                  for item in _inputs() + _forecasts()])
        table = TABLES["forecast"]
        names = ", ".join(f'"{c}"' for c in table.names)
        with store.read() as conn:
            rows = conn.rows(f"SELECT {names} FROM forecasts ORDER BY id")
            claims = {a: [b] for a, b in conn.rows("SELECT forecast_id, claim_id FROM "
                                                   "forecast_claims")}
        stored = _payloads(store)
        for row in rows:
            values = codec.decode(table, row)
            body = codec.payload(table, values, {"claims": claims.get(values["id"], [])})
            assert body == stored[f"forecast:{values['id']}"]
    finally:
        store.dispose()
