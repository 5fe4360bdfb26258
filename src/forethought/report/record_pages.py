"""A page per question and a page per source."""

from __future__ import annotations

from typing import Any

from forethought.domain.records import Claim, Forecast
from forethought.report.html import (
    Safe,
    day,
    el,
    esc,
    external,
    figure,
    file_name,
    join,
    link,
    num,
    page,
    pct,
    plural,
    safe_url,
    table,
    when,
)
from forethought.report.index_pages import (
    calibration_table,
    question_cell,
    source_href,
    status_badge,
)
from forethought.report.model import QuestionInfo, Site, SourceInfo

ROOT = "../"
MAX_ROWS = 500


def history_image(qid: str) -> str:
    return f"img/q/{file_name(qid)}.png"


def calibration_image(sid: str) -> str:
    return f"img/s/{file_name(sid)}-calibration.png"


def claim_anchor(claim_id: str) -> str:
    return "claim-" + file_name(claim_id)


def _text_block(label: str, text: str | None) -> Safe:
    if not text:
        return Safe("")
    return el("div", el("h3", label), el("p", text, class_="prose"))


def _forecast_value(f: Forecast) -> str:
    if f.distribution is not None:
        return ", ".join(f"{k} {pct(v)}" for k, v in f.distribution.items())
    return pct(f.probability)


def _range(f: Forecast) -> str:
    parts = []
    if f.p_low is not None and f.p_high is not None:
        parts.append(f"{pct(f.p_low)}–{pct(f.p_high)}")
    if f.scale:
        parts.append(f"scale {f.scale}")
    return ", ".join(parts) or "–"


def _claim_links(site: Site, claim_ids: list[str], claims: dict[str, Claim]) -> Safe:
    out = []
    for cid in claim_ids:
        claim = claims.get(cid)
        href = source_href(site, claim.source_id if claim else None, ROOT)
        out.append(link(cid, f"{href}#{claim_anchor(cid)}" if href else None))
    return join(out, ", ") if out else esc("–")


def _grade(claim: Claim) -> Safe:
    if not claim.grades:
        return esc("ungraded")
    latest = claim.grades[-1]
    text = el("strong", latest.code)
    if latest.note:
        text += el("span", f" — {latest.note}", class_="muted")
    if len(claim.grades) > 1:
        earlier = ", ".join(f"{g.code} ({day(g.graded_at)})" for g in claim.grades[:-1])
        text += el("div", f"earlier: {earlier}", class_="muted")
    return text


def _status(claim: Claim) -> Safe:
    out = el("span", claim.status, class_=f"badge claim-{claim.status}")
    for s in reversed(claim.statuses):
        detail = [f"{s.status} on {day(s.marked_at)}"]
        if s.note:
            detail.append(f": {s.note}")
        items = [el("li", external(e, e)) for e in s.evidence]
        out += el("div", "".join(detail), el("ul", *items) if items else "", class_="muted")
    return out


def _scores_table(frame) -> Safe:
    if frame is None or frame.empty:
        return Safe("")
    cols = [c for c in ("forecasts", "coverage", "brier", "log") if c in frame]
    rows = [[el("span", r["forecaster"], class_="crowd") if str(r["forecaster"]).startswith(
             "crowd:") else esc(r["forecaster"]),
             *(num(r[c], 0 if c == "forecasts" else 3) for c in cols)]
            for _, r in frame.iterrows()]
    return table(["forecaster", *cols], rows, numeric=range(1, len(cols) + 1))


def question_page(site: Site, info: QuestionInfo) -> str:
    q = info.question
    res = info.resolutions[-1] if info.resolutions else None
    known_at = res.known_at if res is not None else None
    claims = {c.id: c for c in info.claims}
    facts = [el("span", q.id, class_="id"), status_badge(info.status, res.outcome if res else None),
             esc(f"{q.type}" + (f": {', '.join(q.options)}" if q.options else "")),
             esc(f"opened {day(q.opened_at)}"), esc(f"resolve by {day(q.resolve_by)}")]
    if q.tags:
        facts.append(join([el("span", t, class_="tag") for t in q.tags], " "))
    body: list[Any] = [
        el("h1", q.title),
        el("p", join(facts, " · "), class_="facts"),
        el("section", el("h2", "Resolution criteria"),
           _text_block("Criteria", q.criteria) if q.criteria
           else el("p", "No criteria written.", class_="empty"),
           _text_block("Fine print", q.fine_print), _text_block("Condition", q.condition)),
        el("section", el("h2", "Where it comes from"), _origin(site, info)),
        el("section", el("h2", "Forecast history"), _history(info)),
    ]
    if info.scores is not None and not info.scores.empty:
        body.append(el("section", el("h2", "Scores"),
                       el("p", info.score_note, class_="note"), _scores_table(info.scores)))
    rows = []
    for f in info.forecasts:
        late = known_at is not None and f.made_at >= known_at
        made = esc(when(f.made_at))
        if late:
            made += el("div", "after the outcome was known: not scored", class_="flag")
        rows.append([made, link(f.forecaster, source_href(site, f.forecaster, ROOT)),
                     _forecast_value(f), esc(f.entered_as or "–"), _range(f),
                     el("span", f.rationale or "–", class_="prose"),
                     _claim_links(site, f.claims, claims), when(f.recorded_at)])
    body.append(el("section", el("h2", f"Forecasts ({len(info.forecasts):,})"),
                   table(["made at", "forecaster", "forecast", "entered as", "range", "rationale",
                          "evidence", "recorded"], rows, numeric=(2,))
                   if rows else el("p", "No forecasts yet.", class_="empty")))
    body.append(el("section", el("h2", "Resolution"), _resolutions(info)))
    body.append(el("section", el("h2", "Linked claims"), _claims_table(site, info.claims, True)))
    crumbs = [el("a", "Questions", href=f"{ROOT}questions/index.html"), esc(q.id)]
    return page(q.title, join(body), root=ROOT, generated=_stamp(site), crumbs=crumbs)


def _stamp(site: Site) -> str:
    return site.generated.strftime("%Y-%m-%d %H:%M UTC")


def _origin(site: Site, info: QuestionInfo) -> Safe:
    q, src = info.question, info.source
    if src is None:
        return el("p", "Asked directly, not drawn from a recorded source.", class_="empty")
    parts = [el("p", "Source: ", link(src.title, source_href(site, src.id, ROOT)),
                *([" (", external("original", src.url), ")"] if safe_url(src.url) else []),
                f", {src.outlet}" if src.outlet else "",
                f", published {day(src.published_at)}" if src.published_at else "", ".")]
    if q.span_start is not None and q.span_end is not None:
        kept = f" (sha256 {src.sha256[:12]}…)" if src.sha256 else ""
        parts.append(el("p", f"The sentence: characters {q.span_start:,}–{q.span_end:,} of the "
                             f"source document{kept}. forethought keeps the document's hash, "
                             "not its text.", class_="note"))
    own = [f for f in info.forecasts
           if f.rationale and (f.forecaster == src.id or f.source_id == src.id)]
    if own:
        f = own[0]
        parts.append(el("blockquote", el("p", f.rationale),
                        el("footer", f"Recorded with the source's assessment by {f.forecaster}: "
                                     f"{_forecast_value(f)}"
                                     + (f" (“{f.entered_as}”)" if f.entered_as else ""))))
    return join(parts)


def _history(info: QuestionInfo) -> Safe:
    if info.history is None:
        return el("p", "No forecasts yet, so no chart.", class_="empty")
    caption = ("Each forecaster's standing forecast as steps; dashed: the crowd median; dotted "
               "line: the resolve-by date; the outcome is marked when known.")
    if info.question.type == "multiple":
        who = info.history.get("forecaster")
        caption = (f"One line per option for {who}'s forecasts (the most active forecaster); "
                   "dashed: the crowd median per option.")
    return figure(ROOT + history_image(info.question.id), 760,
                  f"Forecast history chart for: {info.question.title}", caption)


def _resolutions(info: QuestionInfo) -> Safe:
    if not info.resolutions:
        return el("p", f"Not resolved yet (resolve by {day(info.question.resolve_by)}).",
                  class_="empty")
    out = []
    for i, r in enumerate(reversed(info.resolutions)):
        current = i == 0
        head = el("p", el("strong", "Outcome: " if current else "Superseded: "),
                  el("span", r.outcome, class_=f"badge {r.outcome}"),
                  f" — known at {when(r.known_at)}, recorded {when(r.recorded_at)}")
        items = [el("li", external(e, e)) for e in r.evidence]
        out.append(el("div", head,
                      el("p", r.note, class_="prose") if r.note else "",
                      el("p", f"Correction: {r.correction}", class_="note")
                      if r.correction else "",
                      el("h3", "Evidence") if items else "", el("ul", *items) if items else "",
                      class_="resolution" + (" old" if not current else "")))
    return join(out)


def _claims_table(site: Site, claims: list[Claim], with_source: bool) -> Safe:
    if not claims:
        return el("p", "No linked claims.", class_="empty")
    rows = []
    for c in claims[:MAX_ROWS]:
        anchor = claim_anchor(c.id)
        href = source_href(site, c.source_id, ROOT)
        ident = (link(c.id, f"{href}#{anchor}" if href else None) if with_source
                 else el("span", c.id, id=anchor, class_="id"))
        rows.append([ident, esc(c.said_by or "–"), el("span", c.text, class_="prose"),
                     day(c.event_date), _status(c), _grade(c)])
    more = len(claims) - MAX_ROWS
    note = el("p", f"…and {more:,} more claims.", class_="note") if more > 0 else ""
    return table(["claim", "said by", "text", "event", "status", "grade"], rows) + note


def source_page(site: Site, info: SourceInfo) -> str:
    s = info.source
    facts = [esc(x) for x in (s.outlet, s.author) if x]
    if s.published_at:
        facts.append(esc(f"published {day(s.published_at)}"))
    if s.url:
        facts.append(external(s.url, s.url))
    if s.sha256:
        facts.append(el("span", f"sha256 {s.sha256}", class_="id"))
    body: list[Any] = [el("h1", s.title), el("p", join(facts, " · "), class_="facts")
                       if facts else "",
                       el("section", el("h2", f"Claims ({len(info.claims):,})"),
                          _claims_table(site, info.claims, False))]
    qrows = [[question_cell(site, r.question_id, r.title, ROOT), status_badge(r.status,
                                                                              r.outcome)]
             for r in info.questions.head(MAX_ROWS).itertuples(index=False)]
    body.append(el("section", el("h2", f"Questions drawn from it ({len(info.questions):,})"),
                   table(["question", "status"], qrows) if qrows
                   else el("p", "None.", class_="empty")))
    arows = []
    for r in info.assessments.head(MAX_ROWS).itertuples(index=False):
        arows.append([question_cell(site, r.question_id, r.title, ROOT),
                      link(r.forecaster, source_href(site, r.forecaster, ROOT)),
                      num(int(r.forecasts), 0), pct(r.latest),
                      status_badge(r.status, r.outcome),
                      num(r.brier), num(r.log)])
    more = len(info.assessments) - MAX_ROWS
    body.append(el("section", el("h2", f"Assessments ({len(info.assessments):,})"),
                   el("p", "Forecasts that carry this source, per question and forecaster, "
                           f"scored time-averaged (Brier {site.brier_range} and log in bits, "
                           "lower is better) "
                           "once the question resolved.", class_="note"),
                   table(["question", "forecaster", "forecasts", "latest", "status", "brier",
                          "log"], arows, numeric=(2, 3, 5, 6)) if arows
                   else el("p", "No forecasts carry this source.", class_="empty"),
                   el("p", f"…and {more:,} more.", class_="note") if more > 0 else ""))
    body.append(el("section", el("h2", "Calibration"), _source_calibration(info)))
    crumbs = [el("a", "Sources", href=f"{ROOT}sources.html"), esc(s.id)]
    return page(s.title, join(body), root=ROOT, generated=_stamp(site), crumbs=crumbs)


def _source_calibration(info: SourceInfo) -> Safe:
    if info.calibration is None:
        return el("p", "None of its assessments is on a resolved binary question yet.",
                  class_="empty")
    return join([
        figure(ROOT + calibration_image(info.source.id), 560,
               f"Calibration chart for {info.source.title}",
               f"{plural(info.n_calibration, 'forecast')} carrying this source; Brier "
               f"{num(info.brier)} (0–1 scale)."),
        calibration_table(info.calibration),
    ])
