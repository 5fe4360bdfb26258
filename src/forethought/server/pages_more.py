"""More pages: scores, sources and claims, ingest from the browser, integrity, and the charts
the pages show (each a PNG from the chart cache, drawn for the caller by a service that decides
what the caller may see). Its router is included by the app beside that of :mod:`.pages`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from forethought.domain.choices import BY_KEYS, CROWDS, INTERVALS, POLICIES, RULES, WEIGHTINGS
from forethought.domain.scales import scale_names
from forethought.errors import ForethoughtError, InvalidInput
from forethought.server.pages import Me, done, fields, refusal, split, text, values
from forethought.server.render import digest, render

router = APIRouter(include_in_schema=False)
EDIT_FIELDS = ("title_suggestion", "criteria_suggestion", "p", "resolve_by", "said_by",
               "event_date")
DOCUMENT_FIELDS = ("title", "published", "as_name", "url", "author", "scale")


def _png(path: Path, request: Request) -> FileResponse:
    """A chart: cached by the browser when its URL names its version (``v``)."""
    cache = "private, max-age=86400" if request.query_params.get("v") else "private, no-cache"
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": cache})


# ---- scores ---------------------------------------------------------------------------------

def _options(request: Request, me: Me):  # -> scoreboard.Options
    from forethought.services.scoreboard import Options

    q = request.query_params
    scale = q.get("brier_scale") or "1"
    if scale not in ("1", "2"):
        raise InvalidInput(f"Brier scale {scale!r}: choose 1 or 2")
    person = q.get("person")
    return Options(rules=tuple(split(",".join(q.getlist("rule")))) or ("brier", "log"),
                   policy=q.get("policy") or "time-averaged",
                   by=tuple(split(",".join(q.getlist("by")))) or ("forecaster",),
                   brier_scale=int(scale), crowd=q.get("crowd") or None,
                   tag=q.get("tag") or None,
                   person=me.actor.name if person is None else person or None,
                   strict_person=person is not None, bins=q.get("bins") or "10",
                   interval=q.get("interval") or "wilson",
                   weighting=q.get("weighting") or "time")


@router.get("/scores")
def scores(request: Request, me: Me) -> Response:
    from forethought.services.scoreboard import BINS, scoreboard

    board = scoreboard(me.store, _options(request, me))
    o = board.options
    query = urlencode([*(("rule", r) for r in o.rules), ("policy", o.policy),
                       *(("by", b) for b in o.by), ("person", o.person or ""),
                       ("bins", o.bins), ("interval", o.interval), ("weighting", o.weighting),
                       *((("tag", o.tag),) if o.tag else ()), ("v", digest(board.chart_key))])
    choices = {"rules": RULES, "policies": POLICIES, "by": BY_KEYS, "crowds": CROWDS,
               "bins": BINS, "intervals": INTERVALS, "weightings": WEIGHTINGS}
    return render(request, "scores.html", me=me, board=board, choices=choices,
                  chart_src=f"/charts/calibration.png?{query}")


# ---- charts ---------------------------------------------------------------------------------

@router.get("/charts/desk.png")
def desk_chart(request: Request, me: Me) -> Response:
    from forethought.services.desk import desk_chart as draw

    return _png(draw(me.store), request)


@router.get("/charts/history/{question_id}.png")
def history_chart(request: Request, question_id: str, me: Me) -> Response:
    from forethought.services.browse import history_chart as draw

    return _png(draw(me.store, question_id), request)


@router.get("/charts/calibration.png")
def calibration_chart(request: Request, me: Me) -> Response:
    from forethought.services.scoreboard import calibration_chart as draw

    return _png(draw(me.store, _options(request, me)), request)


# ---- sources and claims ---------------------------------------------------------------------

@router.get("/sources")
def sources(request: Request, me: Me) -> Response:
    from forethought.services.claims import list_sources

    return render(request, "sources.html", me=me, sources=list_sources(me.store),
                  done=done(request))


@router.get("/sources/{source_id}")
def source(request: Request, source_id: str, me: Me) -> Response:
    from forethought.services.source_page import source_page

    return render(request, "source.html", me=me, page=source_page(me.store, source_id),
                  done=done(request))


@router.get("/claims/{claim_id:path}")
def claim(request: Request, claim_id: str, me: Me) -> Response:
    from forethought.services.source_page import claim_page

    return render(request, "claim.html", me=me, page=claim_page(me.store, claim_id))


# ---- ingest ---------------------------------------------------------------------------------

@router.get("/ingest")
def ingest_form(request: Request, me: Me) -> Response:
    from forethought.services.permissions import require

    require(me.store, "forecaster", "ingest documents")
    return render(request, "ingest.html", me=me, form={}, error=None, scales=scale_names())


def _review(request: Request, me: Me, doc, form: dict[str, str], status: int = 200,
            error: str | None = None, ticked: list[str] | None = None) -> Response:
    from forethought.services import documents

    review = documents.review(me.store, doc, published=form.get("published") or None,
                              as_name=form.get("as_name"), scale=form.get("scale") or "icd203")
    if ticked is None:
        ticked = [str(n) for n, c in enumerate(review.candidates, 1)
                  if c.kind in ("forecast", "claim")]
    shown = {k: v for k, v in form.items() if k in DOCUMENT_FIELDS}
    shown.setdefault("published", review.published.isoformat())
    edits = {f"{k.rsplit('-', 1)[1]}:{k.rsplit('-', 1)[0]}": v for k, v in form.items()
             if "-" in k and k.rsplit("-", 1)[0] in EDIT_FIELDS}
    return render(request, "ingest_review.html", status, me=me, review=review, form=shown,
                  ticked=ticked, edits=edits, shown=documents.shown, error=error,
                  scales=scale_names())


@router.post("/ingest")
async def ingest_review(request: Request, me: Me) -> Response:
    """Read an uploaded or pasted document and show its candidates for review."""
    from forethought.services.documents import Document

    form = await fields(request)
    upload = form.get("file")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    typed = values(form)
    try:
        if data:
            name = upload.filename if isinstance(upload, UploadFile) and upload.filename else ""
            doc = Document(name or f"{typed.get('title') or 'document'}.txt", data)
        elif text(form, "text").strip():
            doc = Document.pasted(text(form, "text"), typed.get("title"))
        else:
            raise InvalidInput("choose a file to upload or paste the document's text")
        return await run_in_threadpool(_review, request, me, doc, typed)
    except ForethoughtError as exc:
        status = refusal(exc)
        return render(request, "ingest.html", status, me=me, form=typed, error=str(exc),
                      scales=scale_names())


@router.post("/ingest/accept")
async def ingest_accept(request: Request, me: Me) -> Response:
    """Store the ticked candidates with the reviewer's edits (``ingest --edit --accept``)."""
    from forethought.services import documents

    form = await fields(request)
    typed = values(form)
    doc = documents.Document.decode(text(form, "name"), text(form, "document"))
    chosen = [v for v in form.getlist("accept") if isinstance(v, str)]
    edits: dict[int, dict[str, str]] = {}
    for key, value in typed.items():
        name, _, n = key.rpartition("-")
        if name in EDIT_FIELDS and n.isdigit():
            edits.setdefault(int(n), {})[name] = value
    try:
        numbers = [int(n) for n in chosen if n.isdigit()]
        result = await run_in_threadpool(
            documents.accept, me.store, doc, numbers, edits,
            published=typed.get("published") or None, as_name=typed.get("as_name"),
            title=typed.get("title"), url=typed.get("url"), author=typed.get("author"),
            scale=typed.get("scale") or "icd203")
    except ForethoughtError as exc:
        status = refusal(exc)
        return await run_in_threadpool(_review, request, me, doc, typed, status, str(exc),
                                       chosen)
    assert result.source is not None
    outcome = "already" if result.already else "ingested"
    return RedirectResponse(f"/sources/{quote(result.source.id, safe='')}?done={outcome}", 303)


# ---- integrity ------------------------------------------------------------------------------

def _integrity(request: Request, me: Me, status: int = 200, **shown) -> Response:
    from forethought.services.integrity import head

    seq, digest_ = head(me.store)
    shown = {"lines": None, "ok": True, "error": None, "against": None, **shown}
    return render(request, "integrity.html", status, me=me, head_seq=seq, head_hash=digest_,
                  **shown)


@router.get("/integrity")
def integrity(request: Request, me: Me) -> Response:
    return _integrity(request, me)


@router.post("/integrity/verify")
async def verify(request: Request, me: Me) -> Response:
    """Re-derive the chain and every record (admins), shown as `forethought verify` prints
    it."""
    from forethought.services.integrity import verify as run
    from forethought.services.verify_text import verify_lines

    form = await fields(request)
    against = text(form, "against").strip()
    try:
        report = await run_in_threadpool(run, me.store, [against] if against else [])
    except ForethoughtError as exc:
        status = refusal(exc)
        return await run_in_threadpool(_integrity, request, me, status, error=str(exc),
                                       against=against)
    return await run_in_threadpool(_integrity, request, me, 200, lines=verify_lines(report),
                                   ok=report.ok, against=against)
