"""ask, forecast, predict, resolve, list, show, due."""

from __future__ import annotations

import click

from forethought.cli.common import common, note, pct, print_json, scale_choice, table, when

criteria_option = click.option("--criteria", help="How the question resolves.")
tag_option = click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable).")
option_option = click.option("--option", "options", multiple=True, metavar="NAME",
                             help="An option of a multiple-choice question (repeat, ≥ 2).")
scale_option = click.option("--scale", default="icd203", show_default=True,
                            callback=scale_choice,
                            help="Scale for estimative words: icd203, kent, phia, nato, survey.")
claim_option = click.option("--claim", "claims", multiple=True, metavar="ID",
                            help="A claim this rests on (repeatable).")


def _forecaster(workspace, name: str | None) -> str:
    return name or workspace.forecaster


class _Notes(list):
    """What a service accepted but had a word about, printed after the command's own line."""

    def say(self) -> None:
        for message in self:
            note(f"Note: {message}.")


def _echo(f, backdated: bool) -> str:
    """"alice forecasts 70% on 'q' (made 2024-01-05 09:00 UTC)": the date when backdated."""
    shown = pct(f.probability) if f.distribution is None else \
        ", ".join(f"{k}={pct(v)}" for k, v in f.distribution.items())
    via = f" (from {f.entered_as!r} on {f.scale})" if f.cue else ""
    made = f", made {when(f.made_at)} UTC" if backdated else ""
    return f"{f.forecaster} forecasts {shown} on {f.question_id!r}{via}{made}"


@click.command()
@click.argument("title")
@click.option("--by", "resolve_by", required=True, metavar="DATE",
              help="Resolve-by date (YYYY-MM-DD); the question closes at the end of that day, UTC.")
@criteria_option
@click.option("--fine-print", help="Edge cases and details of the criteria.")
@tag_option
@option_option
@click.option("--id", "qid", metavar="SLUG", help="Readable id (default: made from the title).")
@click.option("--opened", metavar="WHEN",
              help="Backdate when the question was opened: forecasts can be dated (--at) from "
                   "then on, never before (default: now).")
@click.option("--visibility", metavar="RULE",
              help="On the team server, who sees others' forecasts before it resolves: open, "
                   "until-forecast (until you have forecast it) or until:YYYY-MM-DD "
                   "[default: open here; the workspace setting on the server].")
@claim_option
@common
def ask(title, resolve_by, criteria, fine_print, tags, options, qid, opened, visibility, claims,
        workspace, as_json):
    """Record a new question TITLE that resolves by --by DATE."""
    from forethought.services import questions

    notes = _Notes()
    q = questions.ask(workspace.store(), title, resolve_by, criteria=criteria, tags=tags,
                      options=options, id=qid, opened=opened, fine_print=fine_print,
                      claims=claims, visibility=visibility, warn=notes.append)
    if as_json:
        print_json(q)
    else:
        click.echo(q.id)
        note(f"Asked {q.id!r}, resolves by {q.resolve_by}.")
    notes.say()


@click.command()
@click.argument("question")
@click.argument("probability")
@click.option("--as", "forecaster", metavar="NAME", help="Forecaster (default: the workspace's).")
@click.option("--at", metavar="WHEN", help="When the forecast was made (backdating history).")
@click.option("--why", help="Your rationale.")
@claim_option
@scale_option
@common
def forecast(question, probability, forecaster, at, why, claims, scale, workspace, as_json):
    """Forecast QUESTION (an id or unique prefix) at PROBABILITY.

    PROBABILITY: 0.7, .7, 0,7, 70%, 3:1 (odds), 1 in 20, 50/50, or a word such as `likely` or
    `toss-up` (read through --scale). Multiple choice: A=0.5,B=0.3,C=0.2 (must sum to 1). An
    update is a new forecast; one on a resolved question is kept but never scored."""
    from forethought.services import questions

    notes = _Notes()
    f = questions.forecast(workspace.store(), question, probability,
                           forecaster=_forecaster(workspace, forecaster), at=at, why=why,
                           claims=claims, scale=scale, warn=notes.append)
    if as_json:
        print_json(f)
    else:
        note(f"{_echo(f, at is not None)}.")
    notes.say()


@click.command()
@click.argument("title")
@click.argument("probability")
@click.option("--by", "resolve_by", required=True, metavar="DATE", help="Resolve-by date.")
@criteria_option
@tag_option
@option_option
@click.option("--id", "qid", metavar="SLUG", help="Readable id (default: from the title).")
@click.option("--as", "forecaster", metavar="NAME", help="Forecaster (default: the workspace's).")
@click.option("--at", metavar="WHEN", help="When the forecast was made (also opens the question).")
@click.option("--why", help="Your rationale.")
@scale_option
@common
def predict(title, probability, resolve_by, criteria, tags, options, qid, forecaster, at, why,
            scale, workspace, as_json):
    """Ask TITLE and forecast it at PROBABILITY in one step."""
    from forethought.services import questions

    notes = _Notes()
    q, f = questions.predict(workspace.store(), title, probability, resolve_by,
                             forecaster=_forecaster(workspace, forecaster), why=why,
                             criteria=criteria, tags=tags, options=options, id=qid, at=at,
                             scale=scale, warn=notes.append)
    if as_json:
        print_json({"question": q, "forecast": f})
    else:
        click.echo(q.id)
        note(f"Asked {q.id!r} (resolves by {q.resolve_by}); {_echo(f, at is not None)}.")
    notes.say()


@click.command()
@click.argument("question")
@click.argument("outcome")
@click.option("--known-at", metavar="WHEN", help="When the outcome became knowable (default now).")
@click.option("--note", "note_text", help="A note on the resolution.")
@click.option("--evidence", multiple=True, metavar="URL_OR_CLAIM", help="Evidence (repeatable).")
@click.option("--correct", metavar="REASON", help="Correct an earlier resolution, saying why.")
@common
def resolve(question, outcome, known_at, note_text, evidence, correct, workspace, as_json):
    """Resolve QUESTION as yes, no, an option, ambiguous or annulled.

    Forecasts made at or after --known-at stay recorded but are never scored."""
    from forethought.services import questions

    r = questions.resolve(workspace.store(), question, outcome, known_at=known_at,
                          note=note_text, evidence=evidence, correct=correct)
    if as_json:
        print_json(r)
    else:
        verb = "Corrected" if r.correction else "Resolved"
        note(f"{verb} {r.question_id!r} as {r.outcome} (known {when(r.known_at)} UTC).")


def _standing(line) -> str:
    parts = []
    for who, value in sorted(line.latest.items()):
        shown = pct(value) if not isinstance(value, dict) else \
            "/".join(f"{k}={pct(v)}" for k, v in value.items())
        parts.append(f"{who} {shown}")
    text = ", ".join(parts)
    return text if len(text) <= 48 else text[:47] + "…"


def _print_lines(lines, as_json: bool, empty: str) -> None:
    if as_json:
        print_json([{"id": ln.question.id, "title": ln.question.title,
                     "resolve_by": ln.question.resolve_by, "status": ln.status,
                     "outcome": ln.resolution.outcome if ln.resolution else None,
                     "forecasts": ln.forecasts, "tags": ln.question.tags,
                     "standing": ln.latest} for ln in lines])
        return
    if not lines:
        note(empty)
        return
    rows = [(ln.question.id, ln.question.resolve_by,
             ln.resolution.outcome if ln.resolution else ln.status, ln.forecasts, _standing(ln),
             ln.question.title if len(ln.question.title) <= 60 else ln.question.title[:59] + "…")
            for ln in lines]
    click.echo(table(rows, ["id", "resolve by", "status", "n", "standing", "title"]))


@click.command(name="list")
@click.option("--open", "status", flag_value="open", help="Only unresolved questions.")
@click.option("--resolved", "status", flag_value="resolved", help="Only resolved questions.")
@click.option("--due", "status", flag_value="due", help="Unresolved and past resolve-by.")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--as", "forecaster", metavar="NAME", help="Only questions NAME forecast.")
@common
def list_(status, tag, forecaster, workspace, as_json):
    """List questions with their status and standing forecasts."""
    from forethought.services import questions

    lines = questions.list_questions(workspace.store(), status=status, tag=tag,
                                     forecaster=forecaster)
    _print_lines(lines, as_json, "No questions match.")


@click.command()
@common
def due(workspace, as_json):
    """Questions past their resolve-by date that still need a resolution."""
    from forethought.services import questions

    lines = questions.list_questions(workspace.store(), status="due")
    _print_lines(lines, as_json, "Nothing is due.")


@click.command()
@click.argument("question")
@common
def show(question, workspace, as_json):
    """Show QUESTION: criteria, every forecast with who/when/why, resolution history."""
    from forethought.services import questions

    view = questions.show(workspace.store(), question)
    known = view.resolution.known_at if view.resolution else None
    if as_json:
        data = view.model_dump(mode="json")
        standing = data.pop("standing")
        for f, raw in zip(data["forecasts"], view.forecasts, strict=True):
            f["after_outcome_known"] = known is not None and raw.made_at >= known
            f.update(standing[str(raw.id)] if str(raw.id) in standing else {})
        print_json(data)
        return
    q = view.question
    click.echo(f"{q.id}: {q.title}")
    click.echo(f"  type: {q.type}" + (f" ({', '.join(q.options)})" if q.options else ""))
    click.echo(f"  opened {when(q.opened_at)} UTC, resolves by {q.resolve_by}"
               + (f"; asked by {view.authors[f'question:{q.id}']}"
                  if f"question:{q.id}" in view.authors else ""))
    if q.visibility != "open":
        click.echo(f"  others' forecasts hidden: {q.visibility} (on the team server)")
    for label, value in (("criteria", q.criteria), ("fine print", q.fine_print),
                         ("condition", q.condition), ("source", q.source_id)):
        if value:
            click.echo(f"  {label}: {value}")
    if q.tags:
        click.echo(f"  tags: {', '.join(q.tags)}")
    if q.claims:
        click.echo(f"  claims: {', '.join(q.claims)}")
    click.echo("")
    if view.forecasts:
        rows = []
        for f in view.forecasts:
            value = pct(f.probability) if f.distribution is None else \
                ", ".join(f"{k}={pct(v)}" for k, v in f.distribution.items())
            standing = view.standing.get(f.id)
            flag = " (not scored)" if standing and standing.not_counted["stated"] else ""
            entered = f.entered_as if f.entered_as and f.cue else ""
            author = view.authors.get(f"forecast:{f.id}")
            who = (f.forecaster if author in (None, f.forecaster)
                   else f"{f.forecaster} (by {author})")
            rows.append((when(f.made_at), who, value + flag, entered, f.rationale or ""))
        click.echo(table(rows, ["made at (UTC)", "forecaster", "forecast", "words", "why"]))
        _standing_notes(view)
    else:
        click.echo("No forecasts yet.")
    for r in view.resolutions:
        click.echo("")
        head = "Correction" if r.correction else "Resolution"
        author = view.authors.get(f"resolution:{r.id}")
        click.echo(f"{head}: {r.outcome} (known {when(r.known_at)}, "
                   f"recorded {when(r.recorded_at)}" + (f" by {author}" if author else "") + ")")
        if r.correction:
            click.echo(f"  reason: {r.correction}")
        if r.note:
            click.echo(f"  note: {r.note}")
        for e in r.evidence:
            click.echo(f"  evidence: {e}")


def _standing_notes(view) -> None:
    """Why a forecast is not scored, and which recorded times are only stated by an import."""
    imported: dict[str, int] = {}
    for f in view.forecasts:
        standing = view.standing.get(f.id)
        if standing is None:
            continue
        why = standing.not_counted["stated"]
        if why:
            click.echo(f"  not scored: {f.forecaster}'s forecast made {when(f.made_at)}: {why}")
        if standing.imported:
            day = f"{standing.written_at:%Y-%m-%d}"
            imported[day] = imported.get(day, 0) + 1
    for day, n in sorted(imported.items()):
        click.echo(f"  imported {day}: {n} forecast{'s' if n != 1 else ''} whose recorded time "
                   "is as the imported file states (the ledger vouches only for the import)")
