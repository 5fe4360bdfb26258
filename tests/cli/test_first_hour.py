"""A newcomer's first hour (issue 13): each thing that surprised someone, as they typed it."""

from __future__ import annotations

import json
import re

import pytest
from tests.helpers import db_fingerprint, workspace_url


def _ask(run, title, *extra):
    result = run("ask", title, "--by", "2030-01-01", *extra)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


# ---- 11, 12: what a forecast means, and why one is refused ----------------------------------

def test_a_forecast_on_a_resolved_question_says_it_will_not_be_scored(run):
    qid = _ask(run, "Will the ferry run on Sunday?", "--opened", "2025-01-01")
    assert run("resolve", qid, "yes", "--known-at", "2025-02-01").exit_code == 0
    result = run("forecast", qid, "80%")
    assert result.exit_code == 0
    assert ("is already resolved (yes, known 2025-02-01 00:00 UTC): this forecast is recorded "
            "but will not be scored") in result.stderr
    score = json.loads(run("score", "--json").stdout)
    assert score["meta"]["n_after_close"] == 1


def test_a_forecast_before_the_question_opened_says_why_and_what_to_do(run, workspace):
    qid = _ask(run, "Will the library extend its hours?")
    before = db_fingerprint(workspace_url(workspace))
    result = run("forecast", qid, "60%", "--at", "2024-03-01")
    assert result.exit_code == 1
    assert f"--at 2024-03-01 00:00 UTC is before question {qid!r} opened" in result.stderr
    assert "when it was asked, without --opened" in result.stderr
    assert "ask the question with --opened at or before the first of them" in result.stderr
    assert "--opened 2024-03-01" in result.stderr
    assert db_fingerprint(workspace_url(workspace)) == before


def test_the_forecast_echo_shows_a_backdated_date(run):
    qid = _ask(run, "Will the canal freeze?", "--opened", "2024-12-01")
    result = run("forecast", qid, "30%", "--at", "2024-12-05 09:30")
    assert result.stderr.strip() == (f"alice forecasts 30% on {qid!r}, made 2024-12-05 09:30 "
                                     "UTC.")
    assert "made" not in run("forecast", qid, "35%").stderr


# ---- 13: titles in any script ---------------------------------------------------------------

@pytest.mark.parametrize(("title", "expected"), [
    ("2026年の選挙で与党は勝つか？", "2026-nian-no-xuan-ju-de-yu-dang-ha-sheng-tsu-ka"),
    ("Будет ли перемирие в 2026?", "budet-li-peremirie-v-2026"),
    ("🚀 launch before June?", "rocket-launch-before-june"),
])
def test_ids_from_titles_in_any_script_are_readable(run, title, expected):
    assert _ask(run, title) == expected


def test_a_title_without_letters_gets_a_hash_not_question_2(run):
    first, second = _ask(run, "🙂❓"), _ask(run, "？？")
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)+", first) and first != "question", first
    assert re.fullmatch(r"q-[0-9a-f]{6}", second), second
    assert "question" not in second


def test_asking_the_same_title_twice_says_so(run):
    first = _ask(run, "Will the museum reopen?")
    again = run("ask", "will the  museum reopen?", "--by", "2030-01-01")
    assert again.exit_code == 0
    assert again.stdout.strip() == f"{first}-2"
    assert (f"Note: a question with this title exists already ({first}); asked anyway as "
            f"'{first}-2'") in again.stderr
    assert "exists already" not in run("ask", "Will the zoo reopen?", "--by",
                                       "2030-01-01").stderr


# ---- 14: what a person means ----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [("forcast", "forecast"), ("lst", "list"),
                                              ("resolv", "resolve")])
def test_a_mistyped_command_gets_the_one_meant(run, typed, meant):
    result = run(typed, "x")
    assert result.exit_code == 2
    assert f"No such command {typed!r}. Did you mean {meant!r}" in result.stderr


def test_a_mistyped_format_gets_the_one_meant(run):
    result = run("import", "fatebok", "x.csv")
    assert result.exit_code == 2
    assert "Did you mean 'fatebook'?" in result.stderr


@pytest.mark.parametrize(("typed", "extra", "value", "scale"), [
    ("0,7", (), 0.7, None), ("50/50", (), 0.5, None), ("toss-up", (), 0.5, "icd203"),
    ("likely", ("--scale", "KENT"), 0.75, "kent"),
])
def test_probabilities_as_people_write_them(run, typed, extra, value, scale):
    qid = _ask(run, "Will the tram line open?")
    result = run("forecast", qid, typed, *extra, "--json")
    assert result.exit_code == 0, result.output
    f = json.loads(result.stdout)
    assert (f["probability"], f["entered_as"], f["scale"]) == (value, typed, scale)


def test_a_mistyped_word_gets_the_one_meant(run, workspace):
    qid = _ask(run, "Will the tram line open?")
    before = db_fingerprint(workspace_url(workspace))
    result = run("forecast", qid, "very likley")
    assert result.exit_code == 1
    assert "cannot read 'very likley' as a probability; did you mean 'very likely'?" in \
        result.stderr
    ambiguous = run("forecast", qid, "1/4")
    assert "'1/4' is ambiguous" in ambiguous.stderr
    assert db_fingerprint(workspace_url(workspace)) == before


# ---- 15: options in their declared order ----------------------------------------------------

def test_options_keep_their_declared_order_everywhere(run, workspace, tmp_path):
    qid = _ask(run, "How many seats?", "--option", "Low", "--option", "Medium", "--option",
               "High")
    assert run("forecast", qid, "Low=0.2,Medium=0.5,High=0.3").exit_code == 0
    order = ["Low", "Medium", "High"]
    assert "Low=20%, Medium=50%, High=30%" in run("show", qid).stdout
    shown = json.loads(run("show", qid, "--json").stdout)
    assert list(shown["forecasts"][0]["distribution"]) == order
    assert "Low=20%/Medium=50%/High=30%" in run("list").stdout
    assert list(json.loads(run("list", "--json").stdout)[0]["standing"]["alice"]) == order
    run("export", "jsonl", "--out", str(tmp_path / "all.jsonl"))
    line = json.loads((tmp_path / "all.jsonl").read_text().splitlines()[-1])
    assert list(line["forecasts"][0]["distribution"]) == order
    run("export", "records", "--out", str(tmp_path / "rec"))
    text = (tmp_path / "rec" / "forecasts" / f"{qid}.yaml").read_text()
    assert text.index("Low:") < text.index("Medium:") < text.index("High:")


# ---- 16: the small things -------------------------------------------------------------------

def test_list_shows_a_past_due_question_as_due(run):
    qid = run("ask", "Will the pier be rebuilt?", "--by", "2025-01-31", "--opened",
              "2024-06-01").stdout.strip()
    _ask(run, "Will the lighthouse reopen?")
    rows = {r["id"]: r["status"] for r in json.loads(run("list", "--json").stdout)}
    assert rows[qid] == "due"
    line = next(x for x in run("list").stdout.splitlines() if x.startswith(qid))
    assert line.split()[2] == "due"


def test_export_ics_quotes_options_with_spaces(run, tmp_path):
    qid = _ask(run, "Which city hosts the final?", "--option", "New York", "--option",
               "Boston")
    assert run("export", "ics", "--out", str(tmp_path / "due.ics")).exit_code == 0
    raw = (tmp_path / "due.ics").read_bytes().decode("utf-8")
    text = raw.replace("\r\n ", "").replace("\\,", ",")
    assert (f"forethought resolve {qid} OUTCOME, where OUTCOME is one of: 'New York', Boston, "
            "ambiguous, annulled") in text


def test_a_fatebook_round_trip_does_not_warn_about_float_noise(run, tmp_path):
    qid = _ask(run, "Which river floods first?", "--option", "Elbe", "--option", "Oder",
               "--option", "Vistula", "--opened", "2024-01-01")
    # 0.7 + 0.2 + 0.1 is 0.9999999999999999 in binary floating point
    assert run("forecast", qid, "Elbe=0.7,Oder=0.2,Vistula=0.1", "--at",
               "2024-01-02").exit_code == 0
    run("export", "fatebook", "--out", str(tmp_path / "fatebook.csv"))
    result = run("import", "fatebook", str(tmp_path / "fatebook.csv"), "--json")
    report = json.loads(result.stdout)
    assert report["added"]["forecasts"] == 1
    assert not [n for n in report["notes"] if "renormalised" in n]


def test_ctrl_c_during_an_import_says_nothing_was_imported(run, workspace, tmp_path,
                                                           monkeypatch):
    from forethought.interop import fatebook

    for n in range(3):
        qid = _ask(run, f"Will bridge {n} open?", "--opened", "2024-01-01")
        run("forecast", qid, "40%", "--at", "2024-01-02")
    run("export", "fatebook", "--out", str(tmp_path / "fatebook.csv"))
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    real, calls = fatebook.FatebookReader._bundle, []

    def interrupted(self, *args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(fatebook.FatebookReader, "_bundle", interrupted)
    result = run("import", "fatebook", str(tmp_path / "fatebook.csv"), "--no-compare")
    assert result.exit_code == 130
    assert "Interrupted: nothing was imported" in result.stderr
    assert db_fingerprint(url) == before


def test_calibration_says_it_leaves_out_multiple_choice_forecasts(run):
    qid = _ask(run, "Which team wins?", "--option", "Reds", "--option", "Blues", "--opened",
               "2024-01-01")
    run("forecast", qid, "Reds=0.6,Blues=0.4", "--at", "2024-01-02")
    run("resolve", qid, "Reds", "--known-at", "2024-02-01")
    binary = _ask(run, "Will it rain?", "--opened", "2024-01-01")
    run("forecast", binary, "70%", "--at", "2024-01-02")
    run("resolve", binary, "yes", "--known-at", "2024-02-01")
    result = run("calibration")
    assert result.exit_code == 0
    assert ("Note: 1 forecast(s) on resolved multiple-choice questions are left out") in \
        result.stderr


# ---- 9: the score table's footnotes ---------------------------------------------------------

def test_the_metaculus_policy_warning_is_printed_under_the_table(run):
    qid = _ask(run, "Will the dam hold?", "--opened", "2024-01-01")
    run("forecast", qid, "90%", "--at", "2024-01-20")
    run("resolve", qid, "yes", "--known-at", "2024-02-01")
    out = run("score", "--policy", "metaculus").stdout
    assert ("* Metaculus policy: time before a forecaster's first forecast adds 0, which is "
            "neutral for baseline and peer but counts as a perfect score for Brier and log."
            ) in out
    assert "Metaculus policy" not in run("score").stdout


# ---- 16, 17: ingest ---------------------------------------------------------------------------

DOCUMENT = ("The harbour authority said on Monday that it had dredged the channel. "
            "There is a roughly even chance that the council approves the new ferry route next "
            "year. Officials said the old pier will likely reopen in the coming weeks. "
            "Traffic on the bridge rose by 12 percent in March, according to the city. ")


def test_the_ingest_listing_fits_the_terminal_and_cuts_nothing(run, tmp_path, monkeypatch):
    doc = tmp_path / "harbour-notes.txt"
    doc.write_text(DOCUMENT * 2, encoding="utf-8")
    monkeypatch.setenv("COLUMNS", "80")
    out = run("ingest", str(doc), "--published", "2025-03-10").stdout
    assert out and max(len(line) for line in out.splitlines()) <= 80
    assert "the council approves the new ferry route next year." in " ".join(out.split())


def test_reingesting_after_accepting_some_can_add_the_others(run, tmp_path):
    doc = tmp_path / "harbour-notes.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    found = json.loads(run("ingest", str(doc), "--published", "2025-03-10", "--json").stdout)
    numbers = [c["n"] for c in found["candidates"]]
    assert len(numbers) >= 3
    first = run("ingest", str(doc), "--published", "2025-03-10", "--accept",
                ",".join(map(str, numbers[1:])))
    assert first.exit_code == 0, first.output
    again = json.loads(run("ingest", str(doc), "--published", "2025-03-10", "--json").stdout)
    assert again["already_ingested"] and again["stored_before"] == numbers[1:]
    added = run("ingest", str(doc), "--published", "2025-03-10", "--accept", "all")
    assert added.exit_code == 0, added.output
    assert "Added to source 'harbour-notes'" in added.stderr
    final = json.loads(run("ingest", str(doc), "--published", "2025-03-10", "--json").stdout)
    assert final["stored_before"] == numbers
    assert run("verify").exit_code == 0
