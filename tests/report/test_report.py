"""`forethought report --out DIR`: what it writes, that every piece of user text is escaped,
that a re-run replaces the folder cleanly, and that per-question pages are bounded."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from tests.helpers import db_fingerprint
from tests.report.sample import HOSTILE, SYNTHETIC, XSS

PNG = b"\x89PNG\r\n\x1a\n"


def pages(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.html"))}


def build(run, out: str = "rep", *args: str):
    result = run("report", "--out", out, "--workers", "1", *args)
    assert result.exit_code == 0, result.output
    return result


def test_report_writes_index_question_and_source_pages(run, sample):
    result = build(run)
    out = sample["folder"] / "rep"
    assert f"Open {(out / 'index.html').absolute().as_uri()}" in result.stdout
    assert "Every question (25) has its own page." in result.stderr
    site = pages(out)
    for name in ("index.html", "sources.html", "questions/index.html",
                 "q/xss-question.html", "q/multi-question.html",
                 "q/ukraine-escalation-by-2024-12-26.html", "s/evil-source.html",
                 "s/ukraine-war-escalates-2024-11.html"):
        assert name in site, name
    assert len([n for n in site if n.startswith("q/")]) == 25
    assert (out / "static/style.css").read_text().startswith("/* forethought report")
    assert (out / ".forethought-report").exists()
    for img in ("img/calibration.png", "img/scores-by-month.png", "img/q/xss-question.png",
                "img/q/multi-question.png", "img/s/evil-source-calibration.png"):
        assert (out / img).read_bytes().startswith(PNG), img
    # every image a page refers to exists, and every link inside the report resolves
    for name, text in site.items():
        here = (out / name).parent
        for ref in re.findall(r'(?:src|href)="([^"#]+)', text):
            if ref.startswith(("http://", "https://", "mailto:")):
                continue
            assert (here / html.unescape(ref)).resolve().exists(), (name, ref)
    index = site["index.html"]
    for section in ("Scoreboard", "Calibration", "Score by month", "Due or overdue",
                    "Open questions", "Recent resolutions"):
        assert f"<h2>{section}" in index
    for who in (*SYNTHETIC, "crowd:median"):
        assert f">{who}<" in index
    assert "Brier 0–1 (lower is better)" in index


def test_question_page_shows_criteria_history_forecasts_resolution_and_claims(run, sample):
    build(run, "rep", "--max-pages", "2", "--question", "ukraine-escalation",
          "--question", "xss-question")
    page = (sample["folder"] / "rep/q/ukraine-escalation-by-2024-12-26.html").read_text()
    assert "two major news organisations" in page  # criteria
    assert 'src="../img/q/ukraine-escalation-by-2024-12-26.png"' in page
    assert "with both sides preparing for intensified operations" in page  # rationale
    assert ("Recorded with the source&#x27;s assessment by ukraine-war-escalates-2024-11: "
            "70% (“likely”)") in page
    assert "Outcome: </strong><span class=\"badge yes\">yes</span>" in page
    assert "93 missiles" in page  # resolution note
    assert "188 drones against Ukraine" in page  # a linked claim
    source = "../s/ukraine-war-escalates-2024-11.html"
    assert f'href="{source}#claim-ukraine-war-escalates-2024-11' in page
    xss = (sample["folder"] / "rep/q/xss-question.html").read_text()
    assert "characters 10–42 of the source document" in xss
    assert "after the outcome was known" not in xss


def test_source_page_shows_claims_grades_assessments_and_calibration(run, sample):
    build(run, "rep", "--max-pages", "2")
    page = (sample["folder"] / "rep/s/evil-source.html").read_text()
    assert "<strong>B2</strong>" in page
    assert 'class="badge claim-disputed">disputed' in page
    assert 'id="claim-evil-source-c1-' in page
    assert 'src="../img/s/evil-source-calibration.png"' in page
    assert "Assessments (1)" in page
    assert "0.090" in page or "0.09" in page  # mallory's Brier at 70% on a yes question


def test_every_piece_of_user_text_is_escaped(run, sample):
    build(run, "rep", "--max-pages", "2", "--question", "xss-question")
    site = pages(sample["folder"] / "rep")
    everything = "\n".join(site.values())
    assert "<script" not in everything.lower()
    assert not re.search(r'(?i)(href|src)="\s*javascript:', everything)
    assert "onerror=" not in everything.replace("onerror=alert", "")  # only as escaped text
    for what, raw in {"title": XSS, **HOSTILE}.items():
        escaped = html.escape(raw, quote=True)
        assert escaped in everything, what
        assert raw not in everything or raw == escaped, what
    question = site["q/xss-question.html"]
    assert f"<h1>{html.escape(XSS)}</h1>" in question
    assert f"<title>{html.escape(XSS)} — forethought</title>" in question
    assert html.escape(HOSTILE["tag"]) in question  # tag name
    assert html.escape(HOSTILE["note"]) in question  # resolution note
    assert html.escape(HOSTILE["rationale"]) in question  # forecast rationale
    assert html.escape(HOSTILE["claim"]) in question  # claim text
    source = site["s/evil-source.html"]
    assert f"<h1>{html.escape(HOSTILE['source'])}</h1>" in source  # source name
    assert html.escape(HOSTILE["grade_note"]) in source
    assert html.escape(HOSTILE["status_note"]) in source
    assert html.escape(HOSTILE["source"]) in site["sources.html"]


def test_rerun_replaces_the_folder_and_leaves_the_database_alone(run, sample):
    """Pages the earlier report wrote and this one does not are gone (files a user added are
    never deleted: see test_report_folder.py)."""
    build(run, "rep", "--max-pages", "3")
    out = sample["folder"] / "rep"
    first = set(pages(out))
    before = db_fingerprint(_url(sample))
    build(run, "rep", "--max-pages", "1")
    stale = first - set(pages(out))
    assert stale
    assert not [p for p in stale if (out / p).exists()]
    assert (out / "index.html").exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".rep.")]
    assert db_fingerprint(_url(sample)) == before


def test_refuses_a_folder_that_is_not_a_report(run, sample):
    folder = sample["folder"] / "precious"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    result = run("report", "--out", "precious")
    assert result.exit_code == 1
    assert "Error: " in result.stderr and "is not a forethought report" in result.stderr
    assert (folder / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    (sample["folder"] / "afile").write_text("x")
    assert run("report", "--out", "afile").exit_code == 2


def test_pages_are_bounded_and_the_report_says_so(run, sample):
    result = run("report", "--out", "rep", "--max-pages", "5", "--question", "synthetic-03",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["question_pages"] == 5 and data["questions"] == 25
    out = sample["folder"] / "rep"
    written = sorted(p.stem for p in (out / "q").glob("*.html"))
    assert len(written) == 5 and "synthetic-03" in written
    assert len(list((out / "img/q").glob("*.png"))) == 5
    index = (out / "index.html").read_text()
    assert "Pages for 5 of 25 questions (at most 5)" in index
    assert "The other 20 are listed without a page" in index
    listing = (out / "questions/index.html").read_text()
    assert listing.count('class="q"') == 25  # every question is listed
    assert listing.count('<a href="../q/') == 5  # five of them with a link


def test_question_list_is_paginated(sample, monkeypatch, tmp_path):
    from forethought.report import index_pages
    from forethought.services.report import build_report
    from forethought.services.workspace import locate

    monkeypatch.setattr(index_pages, "LIST_PAGE_SIZE", 10)
    ws = locate(None, sample["folder"])
    try:
        build_report(ws.store(), tmp_path / "rep", max_pages=3, workers=1, now=sample["now"])
    finally:
        ws.close()
    listing = sorted(p.name for p in (tmp_path / "rep/questions").iterdir())
    assert listing == ["index.html", "page-2.html", "page-3.html"]
    last = (tmp_path / "rep/questions/page-3.html").read_text()
    assert "Page 3 of 3" in last and 'href="page-2.html"' in last


def test_a_large_workspace_gets_a_bounded_number_of_pages(tmp_path):
    from forethought.domain.inputs import NewQuestion
    from forethought.services.report import build_report
    from forethought.services.workspace import init
    from forethought.store import repository as repo

    ws = init(tmp_path / "big")
    now = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [NewQuestion(id=f"q{i:05d}", title=f"Question {i}", resolve_by=date(2026, 1, 1),
                        opened_at=now) for i in range(1_200)]
    ws.store().write(lambda conn: repo.add(conn, rows, now))
    result = build_report(ws.store(), tmp_path / "rep", max_pages=7, workers=1, now=now)
    ws.close()
    assert result.question_pages == 7 and result.questions == 1_200
    assert len(list((tmp_path / "rep/q").iterdir())) == 7
    assert len(list((tmp_path / "rep/questions").iterdir())) == 3  # 500 per list page
    assert "Pages for 7 of 1,200 questions" in result.selection


def test_an_empty_workspace_still_gives_a_report(run, workspace):
    result = build(run)
    index = (workspace / "rep/index.html").read_text()
    assert "No resolved questions to score yet." in index
    assert "no calibration" in index
    assert "Every question (0) has its own page." in result.stderr


def test_captions_name_both_brier_ranges_once_multiple_choice_is_scored(run, workspace):
    """A binary question's Brier runs 0–1, a multiple-choice one's 0–2 (summed over options):
    the month chart and its caption name both once the two are averaged together."""
    def month(m: str, *options: str, outcome: str, forecast: str) -> None:
        args = [a for o in options for a in ("--option", o)]
        qid = run("ask", f"Question {m} {outcome}?", "--by", f"2024-{m}-20", "--opened",
                  f"2024-{m}-01", *args).stdout.strip()
        assert run("forecast", qid, forecast, "--at", f"2024-{m}-02").exit_code == 0
        assert run("resolve", qid, outcome, "--known-at", f"2024-{m}-21").exit_code == 0

    for m in ("01", "02"):
        month(m, outcome="yes", forecast="70%")
    build(run, "binary")
    caption = "Mean time-averaged Brier ({}, lower is better)"
    assert caption.format("0–1") in (workspace / "binary/index.html").read_text()
    month("03", "Reds", "Blues", outcome="Blues", forecast="Reds=0.6,Blues=0.4")
    build(run, "mixed")
    assert caption.format("0–1 binary, 0–2 multiple choice") in (
        workspace / "mixed/index.html").read_text()


def test_unknown_requested_question_is_an_error(run, sample):
    result = run("report", "--out", "rep", "--question", "no-such-question")
    assert result.exit_code == 1
    assert "Error: no question id starts with 'no-such-question'" in result.stderr
    assert not (sample["folder"] / "rep").exists()


def _url(sample) -> str:
    url = sample["url"]
    return url if "://" in url else f"sqlite:///{url}"


def test_a_workspace_with_nothing_resolved_yet(run, workspace):
    assert run("predict", "Will it rain?", "70%", "--by", "2030-01-01").exit_code == 0
    result = build(run)
    index = (workspace / "rep/index.html").read_text()
    assert "No resolved questions to score yet." in index
    assert "Open questions (1)" in index
    assert "Every question (1) has its own page." in result.stderr
    assert (workspace / "rep/img/q/will-it-rain.png").exists()


def test_status_table_counts_and_medians_match_a_plain_pandas_reading(sample):
    from forethought.services.report import full_frames, status_table
    from forethought.store.engine import Store

    store = Store(sample["url"])
    data = full_frames(store)
    store.dispose()
    table = status_table(data.questions, data.forecasts, sample["now"]).set_index("question_id")
    f = data.forecasts
    latest = f.sort_values(["made_at", "forecast_id"]).drop_duplicates(
        ["question_id", "forecaster"], keep="last")
    medians = latest.groupby("question_id")["probability"].median()
    for qid, row in table.iterrows():
        assert row["forecasts"] == (f["question_id"] == qid).sum()
        expected = medians.get(qid)
        assert (pd.isna(row["median"]) and pd.isna(expected)) or row["median"] == expected, qid
    assert table.loc["xss-question", "median"] == pytest.approx(0.625)
    assert table.loc["xss-question", "status"] == "resolved"
    assert table.loc["synthetic-19", "status"] == "open"  # resolves 2025-09-01, after NOW
    assert table.loc["nato-more-military-support-ukraine", "status"] == "due"
