"""The index (scoreboard, calibration, due, open, recent resolutions), the paginated list of all
questions and the list of sources."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from forethought.report.html import (
    Safe,
    day,
    el,
    esc,
    figure,
    file_name,
    join,
    link,
    num,
    page,
    pct,
    plural,
    table,
)
from forethought.report.model import INDEX_ROWS, LIST_PAGE_SIZE, RECENT_ON_INDEX, Site

STATUS_TEXT = {"open": "open", "due": "due (no resolution yet)", "resolved": "resolved"}


def question_href(site: Site, qid: str, root: str) -> str | None:
    return f"{root}q/{file_name(qid)}.html" if qid in site.pages else None


def source_href(site: Site, sid: str | None, root: str) -> str | None:
    if sid is None or sid not in site.source_pages:
        return None
    return f"{root}s/{file_name(sid)}.html"


def question_cell(site: Site, qid: str, title: str, root: str) -> Safe:
    href = question_href(site, qid, root)
    inner = el("span", title, class_="title") + el("span", qid, class_="id")
    return el("a", inner, href=href, class_="q") if href else el("span", inner, class_="q")


def outcome_badge(outcome: Any) -> Safe:
    if outcome is None or outcome != outcome:
        return el("span", "open", class_="badge open")
    return el("span", outcome, class_=f"badge {outcome if outcome in ('yes', 'no') else 'other'}")


def status_badge(status: str, outcome: Any = None) -> Safe:
    if status == "resolved":
        return outcome_badge(outcome)
    return el("span", status, class_=f"badge {status}")


def _more(n_more: int, href: str) -> Safe:
    if n_more <= 0:
        return Safe("")
    return el("p", el("a", f"…and {n_more:,} more in the full list", href=href), class_="more")


def _question_rows(site: Site, frame, root: str, columns: tuple[str, ...]) -> Iterator[list]:
    for row in frame.itertuples(index=False):
        cells: list[Any] = [question_cell(site, row.question_id, row.title, root)]
        for col in columns:
            value = getattr(row, col)
            if col in ("resolve_by", "close_at", "resolved_at"):
                cells.append(day(value))
            elif col == "median":
                cells.append(pct(value))
            elif col == "forecasts":
                cells.append(num(int(value), 0))
            elif col == "outcome":
                cells.append(outcome_badge(value))
            else:
                cells.append(esc(value))
        yield cells


def scoreboard(site: Site, root: str) -> Safe:
    board = site.scoreboard
    meta = site.score_meta
    if board.empty:
        return el("p", "No resolved questions to score yet.", class_="empty")
    cols = [c for c in ("questions", "forecasts", "coverage", "brier", "log") if c in board]
    rows = []
    shown = board.head(200)
    for row in shown.itertuples(index=False):
        who = row.forecaster
        name = link(who, source_href(site, who, root))
        if str(who).startswith("crowd:"):
            name = el("span", who, class_="crowd")
        rows.append([name, *(num(getattr(row, c), 0 if c in ("questions", "forecasts") else 3)
                             for c in cols)])
    notes = [el("p", f"Policy: {meta.get('policy')}. ", meta.get("scale", ""), ".",
                class_="note")]
    after = meta.get("n_after_close") or 0
    if after:
        notes.append(el("p", f"{after:,} forecast(s) made after the outcome was known are "
                             "counted but not scored.", class_="note"))
    unscored = {k: v for k, v in (meta.get("n_unscored_questions") or {}).items() if v}
    if unscored:
        notes.append(el("p", "Questions not scored: "
                        + ", ".join(f"{v:,} {k}" for k, v in unscored.items()) + ".",
                        class_="note"))
    if len(board) > len(shown):
        notes.append(el("p", f"Showing the {len(shown)} forecasters with the most scored "
                             f"questions of {len(board):,}.", class_="note"))
    headers = ["forecaster", *cols]
    return join([table(headers, rows, numeric=range(1, len(headers))), *notes])


def calibration_section(site: Site, root: str) -> Safe:
    if site.calibration is None:
        return el("p", "No resolved binary questions with forecasts yet, so no calibration.",
                  class_="empty")
    return join([
        figure(f"{root}img/calibration.png", 640,
               "Calibration chart: observed frequency of yes against the mean forecast in each "
               "bin, with 95% intervals",
               f"Everyone's forecasts on resolved binary questions "
               f"({plural(site.calibration_n, 'forecast')}, each question-forecaster pair "
               f"weighted 1, spread by how long each forecast stood). Brier "
               f"{num(site.calibration_brier)} (0–1 scale)."),
        calibration_table(site.calibration),
    ])


def calibration_table(frame) -> Safe:
    rows = [[f"{pct(r.lower)}–{pct(r.upper)}", num(int(r.n), 0), pct(r.mean_forecast),
             pct(r.observed), f"{pct(r.interval_low)}–{pct(r.interval_high)}"
             if r.n else "–"] for r in frame.itertuples(index=False)]
    return el("details", el("summary", "Calibration table"),
              table(["bin", "n", "mean forecast", "observed", "95% interval"], rows,
                    numeric=(1, 2, 3)))


def index_page(site: Site) -> str:
    q = site.questions
    c = site.counts
    due = q[q["status"] == "due"].sort_values(["resolve_by", "question_id"])
    open_ = q[q["status"] == "open"].sort_values(["resolve_by", "question_id"])
    resolved = q[q["status"] == "resolved"].sort_values(
        ["resolved_at", "close_at", "question_id"], ascending=[False, False, True])
    recent = resolved.head(RECENT_ON_INDEX)
    lists = "questions/index.html"
    body = [
        el("h1", "Forecasting report"),
        el("p", f"{c.get('questions', 0):,} questions ({len(open_):,} open, {len(due):,} due, "
                f"{len(resolved):,} resolved), {c.get('forecasts', 0):,} forecasts by "
                f"{c.get('forecasters', 0):,} forecasters, {len(site.sources):,} sources.",
           class_="lede"),
        el("section", el("h2", "Scoreboard"), scoreboard(site, ""), id="scoreboard"),
        el("div",
           el("section", el("h2", "Calibration"), calibration_section(site, ""),
              id="calibration"),
           el("section", el("h2", "Score by month"), _monthly(site), id="months"),
           class_="grid"),
        el("section", el("h2", f"Due or overdue ({len(due):,})"),
           el("p", "Resolve-by date reached and no resolution recorded yet.", class_="note"),
           _list(site, due.head(INDEX_ROWS), ("resolve_by", "forecasts", "median")),
           _more(len(due) - INDEX_ROWS, lists), id="due"),
        el("section", el("h2", f"Open questions ({len(open_):,})"),
           _list(site, open_.head(INDEX_ROWS), ("resolve_by", "forecasts", "median")),
           _more(len(open_) - INDEX_ROWS, lists), id="open"),
        el("section", el("h2", "Recent resolutions"),
           _list(site, recent, ("outcome", "close_at", "resolved_at", "forecasts")),
           id="recent"),
        el("section", el("h2", "About this report"), el("p", site.selection),
           el("p", site.source_selection), id="about"),
    ]
    return page("Forecasting report", join(body), root="", generated=_stamp(site))


def _stamp(site: Site) -> str:
    return site.generated.strftime("%Y-%m-%d %H:%M UTC")


def _list(site: Site, frame, columns: tuple[str, ...]) -> Safe:
    if frame.empty:
        return el("p", "None.", class_="empty")
    headers = {"resolve_by": "resolve by", "forecasts": "forecasts",
               "median": "median of latest", "outcome": "outcome", "close_at": "known at",
               "resolved_at": "recorded", "status": "status"}
    numeric = [i + 1 for i, col in enumerate(columns) if col in ("forecasts", "median")]
    return table(["question", *(headers[c] for c in columns)],
                 _question_rows(site, frame, "", columns), numeric=numeric)


def _monthly(site: Site) -> Safe:
    if site.monthly.empty:
        return el("p", "No scored months yet.", class_="empty")
    if len(site.monthly) == 1:
        only = site.monthly.iloc[0]
        return el("p", f"One month so far: the questions that closed in {only['month']} "
                       f"({plural(int(only['questions']), 'question')}) score a mean "
                       f"time-averaged Brier of {num(only['brier'])} ({site.brier_range}, "
                       "lower is better). "
                       "The chart appears once there are two months.", class_="note")
    return figure("img/scores-by-month.png", 640,
                  "Brier score by month of close, with the number of questions",
                  f"Mean time-averaged Brier ({site.brier_range}, lower is better) of the "
                  "questions that closed in each month, everyone together.")


def list_pages(site: Site) -> Iterator[tuple[str, str]]:
    """(relative path, html) for every page of the full question list."""
    q = site.questions
    order = {"due": 0, "open": 1, "resolved": 2}
    frame = q.assign(_o=q["status"].map(order)).sort_values(
        ["_o", "resolve_by", "question_id"], ascending=[True, True, True])
    n_pages = max(1, math.ceil(len(frame) / LIST_PAGE_SIZE))
    for i in range(n_pages):
        chunk = frame.iloc[i * LIST_PAGE_SIZE:(i + 1) * LIST_PAGE_SIZE]
        name = "index.html" if i == 0 else f"page-{i + 1}.html"
        pager = _pager(i, n_pages)
        rows = _fast_rows(site, chunk)
        body = join([
            el("h1", "All questions"),
            el("p", f"{len(frame):,} questions: due first, then open, then resolved, each by "
                    f"resolve-by date. Page {i + 1} of {n_pages}.", class_="lede"),
            el("p", site.selection, class_="note"),
            pager,
            table(["question", "status", "resolve by", "forecasts", "median of latest"], [],
                  numeric=(3, 4), body=rows),
            pager,
        ])
        yield f"questions/{name}", page(f"All questions, page {i + 1}", body, root="../",
                                        generated=_stamp(site))


def _fast_rows(site: Site, chunk) -> Safe:
    """The list's table rows, written directly (the same HTML `question_cell` and the table
    helper give, every text through `esc`): a hundred thousand rows through `el` take seconds."""
    badges: dict[tuple[str, Any], Safe] = {}
    out = []
    for qid, title, status, outcome, by, n, median in zip(
            chunk["question_id"], chunk["title"], chunk["status"], chunk["outcome"],
            chunk["resolve_by"], chunk["forecasts"], chunk["median"], strict=True):
        key = (status, None if outcome is None or outcome != outcome else outcome)
        badge = badges.get(key)
        if badge is None:
            badge = badges[key] = status_badge(*key)
        inner = f'<span class="title">{esc(title)}</span><span class="id">{esc(qid)}</span>'
        cell = (f'<a href="../q/{esc(file_name(qid))}.html" class="q">{inner}</a>'
                if qid in site.pages else f'<span class="q">{inner}</span>')
        out.append(f'<tr><td>{cell}</td><td>{badge}</td><td>{esc(day(by))}</td>'
                   f'<td class="num">{int(n):,}</td><td class="num">{esc(pct(median))}</td></tr>')
    return Safe("".join(out))


def _pager(i: int, n: int) -> Safe:
    if n <= 1:
        return Safe("")

    def href(k: int) -> str:
        return "index.html" if k == 0 else f"page-{k + 1}.html"

    shown = sorted({0, n - 1, *range(max(0, i - 3), min(n, i + 4))})
    parts: list[Any] = []
    last = -1
    for k in shown:
        if k > last + 1:
            parts.append(el("span", "…", class_="gap"))
        parts.append(el("span", str(k + 1), class_="current") if k == i
                     else el("a", str(k + 1), href=href(k)))
        last = k
    return el("nav", *parts, class_="pager", aria_label="pages")


def sources_page(site: Site) -> str:
    rows = []
    for line in site.sources:
        s = line.source
        status = ", ".join(f"{n} {k}" for k, n in line.by_status.items() if n) or "–"
        rows.append([link(s.title, source_href(site, s.id, "")), esc(s.outlet or "–"),
                     day(s.published_at), num(line.claims, 0), status, num(line.forecasts, 0)])
    body = join([
        el("h1", "Sources"),
        el("p", site.source_selection, class_="note"),
        table(["source", "outlet", "published", "claims", "claim status", "assessments"], rows,
              numeric=(3, 5)) if rows else el("p", "No sources recorded.", class_="empty"),
    ])
    return page("Sources", body, root="", generated=_stamp(site))
