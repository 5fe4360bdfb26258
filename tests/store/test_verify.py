"""Tampering with raw SQL, behind forethought's back: `verify` fails and names what changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine
from tests.store import tampering
from tests.store.conftest import sql

CHANGED = "was changed after it was recorded"


def _alter_entry_3(url: str) -> None:
    sql(url, "UPDATE ledger SET payload = replace(payload, :old, :new) WHERE seq = 3",
        old='"probability":0.55', new='"probability":0.95')


def _fails(run, *args: str) -> tuple[list[str], str]:
    r = run("verify", *args)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    mismatches = [line for line in r.stdout.splitlines() if line.startswith("MISMATCH ")]
    return [m.removeprefix("MISMATCH ") for m in mismatches], r.stderr.strip()


def _error(problems: list[str]) -> str:
    n = len(problems)
    return (f"Error: verification failed: {n} problem{'s' if n != 1 else ''}; "
            f"the first is {problems[0]}")


def checked(url: str) -> str:
    """The line `verify` prints for the database's own check of a sound database."""
    if url.startswith("sqlite"):
        return "Database check: SQLite integrity_check (every page, every index): ok."
    checksums = sql(url, "SHOW data_checksums")[0][0]
    return ("Database check: none: PostgreSQL's amcheck extension is not installed in this "
            f"database, so its pages were not checked (data checksums: {checksums}); a "
            "superuser can run CREATE EXTENSION amcheck to let verify check every table and "
            "index: ok.")


def test_untouched_workspace_verifies(run, seeded):
    r = run("verify")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "Checked 7 ledger entries and 7 records (questions: 2, forecasts: 4, resolutions: 1).",
        f"Head: 7 {seeded.hash_of(7)}",
        checked(seeded.url),
        "OK: every record matches the ledger and the chain is unbroken.",
    ]


FIELD_TAMPERS = [
    pytest.param("UPDATE forecasts SET probability = 0.95 WHERE id = 2", {},
                 f"forecast:2: {CHANGED} (ledger entry 3): field 'probability' is 0.95 in the "
                 "table but 0.55 in the ledger", id="probability"),
    pytest.param("UPDATE forecasts SET made_at = :t WHERE id = 4", {"t": datetime(2024, 1, 15)},
                 f"forecast:4: {CHANGED} (ledger entry 7): field 'made_at' is "
                 "'2024-01-15T00:00:00.000000Z' in the table but '2024-04-01T00:00:00.000000Z' "
                 "in the ledger", id="made_at"),
    pytest.param("UPDATE resolutions SET outcome = 'no' WHERE id = 1", {},
                 f"resolution:1: {CHANGED} (ledger entry 6): field 'outcome' is 'no' in the "
                 "table but 'yes' in the ledger", id="outcome"),
    pytest.param("UPDATE question_tags SET tag = 'sport' WHERE question_id = 'treaty'", {},
                 f"question:treaty: {CHANGED} (ledger entry 1): field 'tags' is ['sport'] in "
                 "the table but ['diplomacy'] in the ledger", id="tag"),
    pytest.param("DELETE FROM forecasts WHERE id = 3", {},
                 "forecast:3: is in the ledger (entry 5) but its row is missing: it was deleted",
                 id="delete-forecast-row"),
    pytest.param("INSERT INTO forecasts (id, question_id, forecaster, probability, made_at, "
                 "recorded_at) VALUES (99, 'treaty', 'mallory', 0.99, :t, :t)",
                 {"t": datetime(2024, 1, 2)},
                 "forecast:99: is in the table but not in the ledger: it was added behind "
                 "forethought's back, or its entry was deleted", id="insert-forecast-row"),
]


@pytest.mark.parametrize(("statement", "params", "problem"), FIELD_TAMPERS)
def test_a_changed_row_is_named_with_both_values(run, seeded, statement, params, problem):
    sql(seeded.url, statement, **params)
    problems, error = _fails(run)
    assert problems == [problem]
    assert error == _error(problems)


def test_deleted_ledger_entry(run, seeded):
    h3 = seeded.hash_of(3)
    sql(seeded.url, "DELETE FROM ledger WHERE seq = 3")
    problems, error = _fails(run)
    assert problems == [
        "ledger entry 4: the chain skips from entry 2 to 4: entry 3 is missing (deleted)",
        f"ledger entry 4: does not link to entry 2: the entry it followed (hash {h3[:12]}…) "
        "is gone — an entry was deleted or altered",
        "forecast:2: is in the table but not in the ledger: it was added behind forethought's "
        "back, or its entry was deleted",
    ]
    assert error == _error(problems)


def test_reordered_entries(run, seeded):
    sql(seeded.url, "UPDATE ledger SET seq = -3 WHERE seq = 3",
        "UPDATE ledger SET seq = 3 WHERE seq = 4", "UPDATE ledger SET seq = 4 WHERE seq = -3")
    problems, error = _fails(run)
    assert problems == [
        "ledger entry 3: links to entry 4, not to entry 2 before it: entries were reordered",
        "ledger entry 4: links to entry 2, not to entry 3 before it: entries were reordered",
        "ledger entry 5: links to entry 3, not to entry 4 before it: entries were reordered",
    ]
    assert error == _error(problems)


def test_altered_ledger_entry(run, seeded):
    _alter_entry_3(seeded.url)
    problems, error = _fails(run)
    assert problems == [
        "ledger entry 3: its content (forecast:2) no longer matches its hash: the entry was "
        "altered",
        f"forecast:2: {CHANGED} (ledger entry 3): field 'probability' is 0.55 in the table but "
        "0.95 in the ledger",
    ]
    assert error == _error(problems)


def test_truncated_ledger_tail_leaves_rows_without_entries(run, seeded):
    sql(seeded.url, "DELETE FROM ledger WHERE seq > 5")
    problems, error = _fails(run)
    tail = "is in the table but not in the ledger: it was added behind forethought's back, " \
           "or its entry was deleted"
    assert problems == [f"forecast:4: {tail}", f"resolution:1: {tail}"]
    assert error == _error(problems)


def _cut_tail_with_its_rows(url: str) -> None:
    sql(url, "DELETE FROM forecasts WHERE id = 4", "DELETE FROM resolutions WHERE id = 1",
        "DELETE FROM ledger WHERE seq > 5")


CUT = ("is not in the chain: the ledger now ends at entry 5, before entry 7: entries were cut "
       "from the end (or the database was restored from an older copy) after it was published")


def test_cutting_the_tail_with_its_rows_is_caught_only_against_a_head(run, seeded):
    h7 = seeded.hash_of(7)
    _cut_tail_with_its_rows(seeded.url)
    # The chain alone cannot tell: what is left is a consistent, shorter history.
    assert run("verify").exit_code == 0
    problems, error = _fails(run, "--against", f"7 {h7}")
    assert problems == [f"published head (7 {h7[:16]}…): {CUT}"]
    assert error == _error(problems)


def test_the_workspace_remembers_the_last_verified_head(run, seeded):
    h7 = seeded.hash_of(7)
    assert run("verify").exit_code == 0  # remembers head 7 in .forethought/heads.json
    _cut_tail_with_its_rows(seeded.url)
    problems, error = _fails(run)
    today = datetime.now(UTC).date().isoformat()
    assert len(problems) == 1
    assert problems[0].startswith("the head this workspace verified on ")
    assert problems[0].endswith(f"(7 {h7[:16]}…): {CUT}")
    assert problems[0].startswith(f"the head this workspace verified on {today} ")
    assert error.splitlines() == [
        "If you restored an older copy of the database on purpose, delete "
        ".forethought/heads.json so verify forgets the newer head it saw.", _error(problems)]


def _rechain(url: str, from_seq: int) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tampering.rechain(conn, from_seq)
    finally:
        engine.dispose()


def test_a_consistent_rewrite_is_caught_only_against_a_head(run, seeded):
    h7 = seeded.hash_of(7)
    sql(seeded.url, "UPDATE forecasts SET probability = 0.95 WHERE id = 2")
    _alter_entry_3(seeded.url)
    _rechain(seeded.url, 3)
    assert run("verify").exit_code == 0  # rows and ledger agree, every hash re-derives
    problems, error = _fails(run, "--against", f"7:{h7}")
    assert problems == [f"published head (7 {h7[:16]}…): is not in the chain: entry 7 now has "
                        "another hash: the ledger up to it was rewritten after it was published"]
    problems, _ = _fails(run, "--against", h7[:20])
    assert problems == [f"published head ({h7[:20]}): is not in the chain: no entry re-derives "
                        "to that hash: the ledger was cut short or rewritten after it was "
                        "published (or the hash was copied wrong)"]


def test_a_head_whose_hash_is_still_stored_but_no_longer_derives(run, seeded):
    h7 = seeded.hash_of(7)
    _alter_entry_3(seeded.url)
    problems, _ = _fails(run, "--against", f"7 {h7}")
    assert f"published head (7 {h7[:16]}…): is not in the chain: entry 7 still stores that " \
           "hash, but it no longer re-derives from the entries up to it: the ledger was " \
           "rewritten after it was published" in problems
