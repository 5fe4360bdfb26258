"""source add/list, claim add/grade/mark/list."""

from __future__ import annotations

from pathlib import Path

import click

from forethought.cli.common import SuggestingGroup, common, note, print_json, table


@click.group(cls=SuggestingGroup)
def source() -> None:
    """Sources: documents or outlets that make claims and assessments."""


@source.command("add")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--title", help="Title (default: from the file name).")
@click.option("--outlet", help="Outlet or publisher.")
@click.option("--author", help="Author.")
@click.option("--published", metavar="DATE", help="Publication date.")
@click.option("--url", help="Where it can be read.")
@click.option("--id", "sid", metavar="SLUG", help="Readable id (default: from the title).")
@common
def source_add(file, title, outlet, author, published, url, sid, workspace, as_json):
    """Record a source. With FILE, its sha256 is kept so the text can be checked later."""
    from forethought.services import claims

    s = claims.add_source(workspace.store(), title=title, file=file, outlet=outlet,
                          author=author, published=published, url=url, id=sid)
    if as_json:
        print_json(s)
    else:
        click.echo(s.id)
        note(f"Recorded source {s.id!r}" + (f" (sha256 {s.sha256[:12]}…)." if s.sha256 else "."))


@source.command("list")
@common
def source_list(workspace, as_json):
    """List sources with their claims by status."""
    from forethought.services import claims

    summaries = claims.list_sources(workspace.store())
    if as_json:
        print_json([{"source": s.source, "claims": s.claims, "by_status": s.by_status}
                    for s in summaries])
        return
    if not summaries:
        note("No sources yet: add one with `forethought source add FILE`.")
        return
    rows = [(s.source.id, s.source.outlet or "", s.source.published_at or "", s.claims,
             " ".join(f"{k}:{v}" for k, v in s.by_status.items() if v)) for s in summaries]
    click.echo(table(rows, ["id", "outlet", "published", "claims", "status"]))


@source.command("show")
@click.argument("source_id", metavar="SOURCE")
@common
def source_show(source_id, workspace, as_json):
    """A source's track record: claims by status with their grades, interpretive notes, and its
    assessments with how they resolved and scored (Brier 0–1 of its last forecast)."""
    from forethought.services import claims

    rec = claims.source_record(workspace.store(), source_id)
    if as_json:
        print_json({"source": rec.source, "by_status": rec.by_status,
                    "claims": [c.model_dump(mode="json") | {"status": c.status, "grade":
                               c.grade.code if c.grade else None} for c in rec.claims],
                    "notes": [{"kind": k, "text": t} for k, t in rec.notes],
                    "assessments": [a.__dict__ for a in rec.assessments]})
        return
    s = rec.source
    click.echo(f"{s.id}: {s.title}")
    for label, value in (("outlet", s.outlet), ("author", s.author),
                         ("published", s.published_at), ("url", s.url), ("sha256", s.sha256)):
        if value:
            click.echo(f"  {label}: {value}")
    click.echo("  claims: " + ", ".join(f"{n} {k}" for k, n in rec.by_status.items()))
    if rec.claims:
        click.echo("")
        click.echo(table([(c.id.split("/")[-1], c.said_by or "", c.event_date or "",
                           c.grade.code if c.grade else "", c.status,
                           c.text if len(c.text) <= 60 else c.text[:59] + "…")
                          for c in rec.claims],
                         ["claim", "said by", "event", "grade", "status", "text"]))
    if rec.assessments:
        click.echo("")
        click.echo(table([(a.question_id, a.forecaster, a.cue or "",
                           "-" if a.probability is None else
                           f"{a.probability:.2f}", a.outcome or "open",
                           "-" if a.brier is None else f"{a.brier:.4f}")
                          for a in rec.assessments],
                         ["assessment", "forecaster", "cue", "p", "outcome", "Brier 0–1"]))
    for kind, text in rec.notes:
        click.echo(f"  {kind}: {text}")


@click.group(cls=SuggestingGroup)
def claim() -> None:
    """Claims: factual assertions, attributed, graded and later corroborated or refuted."""


@claim.command("add")
@click.argument("text")
@click.option("--source", "source_id", metavar="SOURCE", help="The source that makes the claim.")
@click.option("--said-by", help="Who said it (default: the source).")
@click.option("--event-date", metavar="DATE", help="When the claimed event happened.")
@click.option("--id", "cid", metavar="ID", help="Claim id (default: SOURCE/cN).")
@common
def claim_add(text, source_id, said_by, event_date, cid, workspace, as_json):
    """Record a claim TEXT."""
    from forethought.services import claims

    c = claims.add_claim(workspace.store(), text, source=source_id, said_by=said_by,
                         event_date=event_date, id=cid)
    if as_json:
        print_json(c)
    else:
        click.echo(c.id)
        note(f"Recorded claim {c.id!r}.")


@claim.command("grade")
@click.argument("claim_id", metavar="ID")
@click.argument("code")
@click.option("--note", "note_text", help="Why this grade.")
@common
def claim_grade(claim_id, code, note_text, workspace, as_json):
    """Grade claim ID with an Admiralty CODE: reliability A–F + credibility 1–6 (e.g. B2)."""
    from forethought.services import claims

    c = claims.grade(workspace.store(), claim_id, code, note=note_text)
    if as_json:
        print_json(c)
    else:
        note(f"Graded {c.id!r} {c.grade.code if c.grade else ''}.")


@claim.command("mark")
@click.argument("claim_id", metavar="ID")
@click.argument("status", type=click.Choice(["unverified", "corroborated", "disputed", "refuted"]))
@click.option("--evidence", multiple=True, metavar="URL_OR_CLAIM", help="Evidence (repeatable).")
@click.option("--note", "note_text", help="A note.")
@common
def claim_mark(claim_id, status, evidence, note_text, workspace, as_json):
    """Mark claim ID corroborated, disputed or refuted (history is kept)."""
    from forethought.services import claims

    c = claims.mark(workspace.store(), claim_id, status, evidence=evidence, note=note_text)
    if as_json:
        print_json(c)
    else:
        note(f"Marked {c.id!r} {c.status}.")


@claim.command("list")
@click.option("--source", "source_id", metavar="SOURCE", help="Only this source's claims.")
@common
def claim_list(source_id, workspace, as_json):
    """List claims with their grade and status."""
    from forethought.services import claims

    found = claims.list_claims(workspace.store(), source_id)
    if as_json:
        print_json([c.model_dump(mode="json") | {"status": c.status,
                                                  "grade": c.grade.code if c.grade else None}
                    for c in found])
        return
    if not found:
        note("No claims yet.")
        return
    rows = [(c.id, c.said_by or c.source_id or "", c.event_date or "",
             c.grade.code if c.grade else "", c.status,
             c.text if len(c.text) <= 60 else c.text[:59] + "…") for c in found]
    click.echo(table(rows, ["id", "said by", "event", "grade", "status", "text"]))
