"""ingest, rescale, words: documents into claims and forecasts, and sources held to account."""

from __future__ import annotations

from pathlib import Path

import click

from forethought.cli.common import common, note, pct, print_json, scale_choice, table


def _accept(value: str | None):
    if value is None:
        return False
    if value.strip().lower() in ("", "all"):
        return True
    try:
        return [int(x) for x in value.replace(" ", "").split(",") if x]
    except ValueError:
        raise click.BadParameter("give 'all' or candidate numbers such as 1,3,5",
                                 param_hint="--accept") from None


def _reading(c) -> str:
    if c.kind == "forecast":
        detail = (f"{c.cue or '-'} → {pct(c.p)} [{pct(c.p_low)}–{pct(c.p_high)}] {c.scale}; "
                  f"by {c.resolve_by} ({c.horizon_rule})")
        return detail + (f"; said by {c.said_by}" if c.said_by else "")
    if c.kind == "claim":
        bits = []
        if c.said_by:
            bits.append(f"said by {c.said_by}")
        if c.event_date:
            bits.append(f"on {c.event_date}")
        if c.numbers:
            bits.append("numbers " + ", ".join(str(x) for x in c.numbers))
        return "; ".join(bits)
    return c.rule


def candidate_lines(candidates, kept: list[int], width: int | None = None) -> list[str]:
    """Each candidate as a head line (number, class, span, reading) and its whole sentence
    below it, wrapped to the terminal's width: nothing is cut, nothing runs off the screen.
    A number marked * was stored by an earlier ingest of the same document."""
    import shutil
    import textwrap

    width = max(60, min(width or shutil.get_terminal_size((100, 24)).columns, 140))
    lines: list[str] = []
    for n, c in enumerate(candidates, start=1):
        head = f"{n:>3}{'*' if n in kept else ' '} {c.kind:<14} {c.start}-{c.end}  "
        reading = _reading(c)
        lines.append(textwrap.fill(reading or "-", width, initial_indent=head,
                                   subsequent_indent=" " * 6, break_on_hyphens=False))
        lines.append(textwrap.fill(" ".join(c.text.split()), width, initial_indent=" " * 6,
                                   subsequent_indent=" " * 6))
    return lines


def _edit(candidates) -> dict[int, dict]:
    """Open $EDITOR on the forecast and claim candidates; return the changes made."""
    import yaml

    editable = {}
    for n, c in enumerate(candidates, start=1):
        if c.kind == "forecast":
            editable[n] = {"text": c.text, "title_suggestion": c.title_suggestion,
                           "criteria_suggestion": c.criteria_suggestion, "p": c.p,
                           "resolve_by": c.resolve_by.isoformat() if c.resolve_by else None,
                           "said_by": c.said_by}
        elif c.kind == "claim":
            editable[n] = {"text": c.text, "said_by": c.said_by,
                           "event_date": c.event_date.isoformat() if c.event_date else None}
    header = ("# Edit the candidates, save and quit. 'text' is the document's sentence and cannot\n"
              "# change; the other fields can. Delete nothing here: choose with --accept.\n")
    edited = click.edit(header + yaml.safe_dump(editable, sort_keys=False, allow_unicode=True),
                        extension=".yaml")
    if edited is None:
        return {}
    try:
        data = yaml.safe_load(edited) or {}
    except yaml.YAMLError as exc:
        from forethought.errors import InvalidInput

        raise InvalidInput(f"the edited candidates are not valid YAML: {exc}") from None
    changes = {}
    for n, fields in data.items():
        before = editable.get(int(n), {})
        diff = {k: v for k, v in (fields or {}).items() if k != "text" and before.get(k) != v}
        if diff:
            changes[int(n)] = diff
    return changes


@click.command()
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--published", metavar="DATE", help="Publication date (reference for horizons).")
@click.option("--as", "as_name", metavar="SOURCE", help="Who publishes it (outlet or author).")
@click.option("--title", help="Title (default: from the file name).")
@click.option("--url", help="Where the document can be read.")
@click.option("--author", help="Author.")
@click.option("--scale", default="icd203", show_default=True, callback=scale_choice,
              help="Estimative scale: icd203, kent, phia, nato, survey.")
@click.option("--accept", "accept", is_flag=False, flag_value="all", default=None,
              metavar="[all|N,N,...]", help="Store the candidates (all, or these numbers).")
@click.option("--edit", "edit", is_flag=True, help="Edit the candidates in $EDITOR first.")
@common
def ingest(document, published, as_name, title, url, author, scale, accept, edit, workspace,
           as_json):
    """Read DOCUMENT (text or Markdown) and propose claims and forecasts.

    Prints the candidates: class, span, cue and p with its range and scale, resolve-by date and
    the rule that produced it, attribution and event dates. Nothing is stored without --accept.
    Re-ingesting the same file (same sha256) changes nothing."""
    from forethought.services import ingest as service

    overrides = None
    if edit:
        candidates, _, _ = service.propose(document, published=published, scale=scale,
                                           as_name=as_name)
        overrides = _edit(candidates)
    result = service.ingest(workspace.store(), document, published=published, as_name=as_name,
                            title=title, url=url, author=author, scale=scale,
                            accept=_accept(accept), overrides=overrides)
    if as_json:
        print_json({"candidates": [dict(c.to_json(), n=i) for i, c in
                                   enumerate(result.candidates, start=1)],
                    "sha256": result.sha256, "already_ingested": result.already,
                    "stored_before": result.kept,
                    "source": result.source.id if result.source else None,
                    "stored": result.stored, "questions": result.question_ids})
    elif result.candidates:
        click.echo("\n".join(candidate_lines(result.candidates, result.kept)))
    if not result.candidates:
        note("Nothing found: the document has no sentences to propose.")
    kept = ", ".join(map(str, result.kept)) or "none"
    if result.stored:
        s = result.stored
        verb = "Added to" if result.already else "Stored"
        note(f"{verb} source {result.source.id!r}: {s['claims']} claims, {s['notes']} notes, "
             f"{s['questions']} questions with {s['forecasts']} forecasts.")
    elif result.already:
        note(f"Already ingested as source {result.source.id!r} (same sha256); candidates stored "
             f"then (*): {kept}. Nothing changed; --accept N,N adds others.")
    elif accept is None and result.candidates:
        note("Nothing stored. Accept with --accept (all) or --accept 1,3,5.")


@click.command()
@click.argument("source")
@click.option("--scale", required=True, callback=scale_choice,
              help="kent, phia, nato, survey or icd203.")
@common
def rescale(source, scale, workspace, as_json):
    """Re-read SOURCE's verbal forecasts on another scale, as forecaster `<name>@<scale>`.

    Compare with `forethought score --by forecaster`."""
    from forethought.services.vocabulary import rescale as run

    results = run(workspace.store(), source, scale)
    if as_json:
        print_json([r.__dict__ for r in results])
        return
    for r in results:
        note(f"{r.forecaster}: added {r.added}, already there {r.unchanged}"
             + (f"; no reading for {', '.join(r.unknown_cues)}" if r.unknown_cues else ""))


@click.command()
@click.argument("source", required=False)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also draw the chart to a .png, .svg or .pdf file.")
@click.option("--by", "by", type=click.Choice(["source", "outlet", "all"]), default="source",
              show_default=True, help="Group by source document, by outlet, or pool them all.")
@common
def words(source, out, by, workspace, as_json):
    """How often each estimative word came true, per source: "when this outlet says 'likely',
    it happened 5 times in 9" — beside what the scale assumed."""
    from forethought.services.vocabulary import words as run

    rows = run(workspace.store(), source, by=by)
    if out is not None:
        from forethought.services.vocabulary import draw_words

        draw_words(rows, out)
        note(f"Wrote {out}")
    if as_json:
        print_json([r.__dict__ | {"observed": r.observed} for r in rows])
        return
    if not rows:
        note("No resolved yes/no assessments made with words yet.")
        return
    click.echo(table([[r.source_id, r.cue, f"{r.happened} of {r.n}", pct(r.observed),
                       f"{pct(r.interval_low)}–{pct(r.interval_high)}",
                       f"{pct(r.assumed)} [{pct(r.assumed_low)}–{pct(r.assumed_high)}] {r.scale}"]
                      for r in rows],
                     [by, "cue", "came true", "observed", "95% interval", "scale assumed"]))
