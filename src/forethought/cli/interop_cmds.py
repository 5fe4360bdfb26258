"""import/export for the interchange and platform formats (registered in records_cmds).

Every import is all-or-nothing and idempotent, says what it did on stderr (or as JSON on stdout
with --json), takes --dry-run, and shows a progress bar on a terminal for large files.
Column-by-column descriptions of every format: docs/formats.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from forethought.cli.common import common, note, print_json, table

LARGE = 2 * 2**20  # bytes of input above which a terminal gets a progress bar
KINDS = ("questions", "forecasts", "resolutions", "sources", "claims", "grades",
         "status changes")

dry_run_option = click.option("--dry-run", is_flag=True,
                              help="Read and check everything, write nothing.")
me_option = click.option("--me", metavar="NAME",
                         help="Your name as the file writes it: your forecasts are recorded as "
                              "the workspace's forecaster (others as PLATFORM:NAME).")
out_option = click.option("--out", required=True, type=click.Path(path_type=Path,
                                                                   dir_okay=False),
                          help="File to write (replaced only once complete).")
existing = click.Path(path_type=Path, exists=True, dir_okay=False)
compare_option = click.option(
    "--compare/--no-compare", default=True, show_default=True,
    help="Show the platform's own scores in the file beside forethought's (this loads the "
         "scoring engine, about a second; --no-compare imports without it).")
spreadsheet_option = click.option(
    "--for-spreadsheet/--verbatim", "for_spreadsheet", default=True, show_default=True,
    help="Write a text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) "
         "with a leading ' so it opens as text; forethought's imports drop it again. "
         "--verbatim writes every cell as stored, for tools that never evaluate cells.")


class _Bar:
    """A click progress bar on stderr when it is a terminal and the input is large."""

    def __init__(self, paths: list[Path], as_json: bool) -> None:
        size = sum(p.stat().st_size for p in paths if p.is_file())
        self.show = not as_json and sys.stderr.isatty() and size > LARGE
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if not self.show:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label="Importing",
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(max(done - self.done, 0))
        self.done = max(done, self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.bar.length - self.done)
            self.bar.__exit__(None, None, None)


def _counts(counter: Any) -> str:
    keys = [k for k in KINDS if counter.get(k)] + sorted(
        k for k in counter if k not in KINDS and counter[k])
    return ", ".join(f"{counter[k]} {k}" for k in keys)


def print_report(report: Any, as_json: bool) -> None:
    """What an import did, on stderr (or as JSON on stdout)."""
    comparison = report.comparison
    if as_json:
        print_json({"format": report.format, "files": report.files, "dry_run": report.dry_run,
                    "added": dict(+report.added), "unchanged": dict(+report.unchanged),
                    "skipped": dict(+report.skipped), "notes": report.notes,
                    "lossy": report.lossy, "comparison": comparison})
        return
    if report.lossy:
        note(f"Lossy: {report.lossy}")
    added = _counts(report.added) or "nothing"
    prefix = "Dry run, nothing written: would add" if report.dry_run else "Added"
    note(f"{prefix} {added} from {', '.join(report.files)}.")
    if _counts(report.unchanged):
        note(f"Already there (unchanged): {_counts(report.unchanged)}.")
    for reason, n in sorted(report.skipped.items()):
        note(f"Skipped {n}: {reason}.")
    for message in report.notes:
        note(f"Note: {message}.")
    if comparison and comparison.get("rows"):
        _comparison(comparison)


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    return f"{0.0 if abs(value) < 0.5 * 10**-digits else value:.{digits}f}"


def _comparison(c: dict[str, Any]) -> None:
    if c["platform"] == "fatebook":
        who = c["forecaster"] + (f" (assumed from the file: {c['as']}; choose with --me)"
                                 if c["guessed"] else "")
        note(f"Fatebook's Brier scores (0–2) beside forethought's daily policy (0–2) for {who}:")
        rows: list[tuple] = [(r["question"], _num(r["fatebook"]), _num(r["forethought"]),
                              _num(r.get("difference")), r["reason"]) for r in c["rows"]]
        click.echo(table(rows, ["question", "fatebook", "forethought", "diff", "reason"]))
        return
    note("Metaculus's scores beside forethought's metaculus policy:")
    for kind, n in sorted(c.get("not_compared", {}).items()):
        note(f"Not compared: {n} {kind} score(s) (forethought compares baseline and peer).")
    rows = [(r["question"], r["forecaster"], r["type"], _num(r["metaculus"], 2),
             _num(r["forethought"], 2), _num(r.get("difference"), 2), r["reason"])
            for r in c["rows"]]
    click.echo(table(rows, ["question", "forecaster", "score", "metaculus", "forethought",
                            "diff", "reason"]))


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C in the middle of an import says what it means: the one transaction rolled back,
    so nothing was imported (rather than click's bare "Aborted!")."""
    try:
        yield
    except KeyboardInterrupt:
        note("\nInterrupted: nothing was imported (an import is one transaction, and it was "
             "rolled back). Run the import again to import the file.")
        sys.exit(130)


def _run(run: Any, paths: list[Path], as_json: bool, **kwargs: Any) -> None:
    bar = _Bar(paths, as_json)
    try:
        with interruptible():
            report = run(progress=bar, **kwargs)
    finally:
        bar.close()
    print_report(report, as_json)


@click.command("jsonl")
@click.argument("file", type=existing)
@dry_run_option
@common
def import_jsonl(file, dry_run, workspace, as_json):
    """Import FILE, forethought's JSONL (the lossless interchange: one question per line with
    its forecasts and resolutions; claims lines first). See docs/formats.md."""
    from forethought.services.interop import import_jsonl as run

    _run(run, [file], as_json, store=workspace.store(), path=file, dry_run=dry_run)


@click.command("csv")
@click.argument("file", type=existing)
@dry_run_option
@common
def import_csv(file, dry_run, workspace, as_json):
    """Import FILE, forethought's CSV: one row per forecast with the columns question_id,
    question_title, question_type, options (JSON list), criteria, opened_at, resolve_by, tags
    (JSON list), forecaster, made_at, probability, distribution (JSON object), rationale,
    outcome, known_at."""
    from forethought.services.interop import import_csv as run

    _run(run, [file], as_json, store=workspace.store(), path=file, dry_run=dry_run)


@click.command("fatebook")
@click.argument("file", type=existing)
@me_option
@compare_option
@dry_run_option
@common
def import_fatebook(file, me, compare, dry_run, workspace, as_json):
    """Import FILE, Fatebook's CSV export: Question title, Multiple choice option, Forecast
    created by, Forecast (scale = 0-1), Forecast created at, Question created by, Question
    created at, Question resolve by, Resolution, Resolved at, Your Brier score for this
    question, Your relative Brier score for this question, Question notes, Question shared
    with, Question shared publicly, Question comments, Question tags.

    Questions are grouped by (title, created at). Then Fatebook's own per-question Brier
    scores (0–2) are shown beside forethought's daily policy (0–2), with the reason for each
    difference."""
    from forethought.services.interop import import_fatebook as run

    _run(run, [file], as_json, store=workspace.store(), path=file, dry_run=dry_run, me=me,
         as_me=workspace.forecaster if me else None, compare=compare)


@click.command("predictionbook")
@click.argument("file", type=existing)
@me_option
@dry_run_option
@common
def import_predictionbook(file, me, dry_run, workspace, as_json):
    """Import FILE, PredictionBook's API JSON (my_predictions: every response with a confidence
    is a forecast by its user) or its CSV (created_at, creator_id, creator_label, deadline,
    description_with_group, description, group_id, id, mean_confidence, outcome,
    prediction_group_id, last_judgement_at, updated_at, uuid, version, visibility, withdrawn:
    lossy, one mean-confidence forecast per prediction). Withdrawn → annulled; an undone
    judgement → open."""
    from forethought.services.interop import import_predictionbook as run

    _run(run, [file], as_json, store=workspace.store(), path=file, dry_run=dry_run, me=me,
         as_me=workspace.forecaster if me else None)


@click.command("metaculus")
@click.argument("export", type=click.Path(path_type=Path, exists=True))
@me_option
@compare_option
@dry_run_option
@common
def import_metaculus(export, me, compare, dry_run, workspace, as_json):
    """Import EXPORT, a Metaculus data export (ZIP or folder): question_data.csv (Question ID,
    Question Title, Question Type, MC Options (All), Open Time, Scheduled Close Time,
    Resolution, Resolution Known Time, …), forecast_data.csv (Question ID, Forecaster ID,
    Forecaster Username, Start Time, End Time, Probability Yes, Probability Yes Per Category,
    …) and, if present, score_data.csv (Question ID, User ID, User Username, Score Type, Score,
    Coverage), whose baseline and peer scores are shown beside forethought's metaculus policy.
    Numeric, discrete and date questions are skipped and counted; aggregate rows become
    forecasters metaculus:<name>."""
    from forethought.services.interop import import_metaculus as run

    _run(run, [export], as_json, store=workspace.store(), path=export, dry_run=dry_run, me=me,
         as_me=workspace.forecaster if me else None, compare=compare)


@click.command("forecastbench")
@click.argument("questions", type=existing)
@click.argument("forecasts", type=existing)
@click.argument("resolutions", type=existing)
@dry_run_option
@common
def import_forecastbench(questions, forecasts, resolutions, dry_run, workspace, as_json):
    """Import one ForecastBench round: QUESTIONS (the question set), FORECASTS (a forecast set)
    and RESOLUTIONS (the resolution set). Each forecaster is fb:<user_id>; each (question,
    resolution date) of a dataset question is its own question; questions are tagged
    forecastbench:<source> and forecastbench:dataset|market."""
    from forethought.services.interop import import_forecastbench as run

    _run(run, [questions, forecasts, resolutions], as_json, store=workspace.store(),
         questions=questions, forecasts=forecasts, resolutions=resolutions, dry_run=dry_run)


def _exported(counts: dict[str, int], what: str, out: Path, as_json: bool) -> None:
    if as_json:
        print_json(counts | {"out": str(out), "format": what})
    else:
        note(f"Wrote {counts['questions']} questions ({counts['forecasts']} forecasts) as "
             f"{what} to {out}.")


@click.command("jsonl")
@out_option
@click.option("--salvage", is_flag=True,
              help="For a damaged database: write every record that can still be read (from "
                   "its row or its ledger entry) and report what could not be.")
@common
def export_jsonl(out, salvage, workspace, as_json):
    """Write every source, claim, question, forecast and resolution as forethought JSONL
    (lossless, deterministic: importing it into an empty workspace and exporting again gives
    the same bytes).

    With --salvage, reads a damaged database around its damaged pages, keeping each record's
    ledger payload (else its row), and lists on stderr what could not be read; import the file
    into a new workspace to carry on."""
    if salvage:
        _salvaged(workspace.url, out, as_json)
        return
    from forethought.services.interop import export_jsonl as run

    _exported(run(workspace.store(), out), "JSONL", out, as_json)


def _salvaged(url: str, out: Path, as_json: bool) -> None:
    from forethought.services.salvage import salvage_jsonl

    report = salvage_jsonl(url, out)
    if as_json:
        print_json({"out": report.out, "format": "JSONL", "salvage": True,
                    "written": report.written, "from_rows": report.from_rows,
                    "unreadable": report.unreadable, "lost": report.lost})
        return
    shown = ", ".join(f"{n} {what}" for what, n in report.written.items())
    note(f"Salvaged {shown or 'nothing'} to {out}.")
    if report.unreadable:
        note(f"Read around {len(report.unreadable)} damaged range(s); their records came from "
             "the ledger's copy where it could be read:")
        for line in report.unreadable:
            note(f"  {line}")
    if report.from_rows:
        note(f"{report.from_rows} records came from their rows: their ledger entries could "
             "not be read.")
    if not report.lost:
        note("No record is known to be lost.")
        return
    note(f"Lost ({len(report.lost)}):")
    for line in report.lost:
        note(f"  {line}")


@click.command("csv")
@out_option
@spreadsheet_option
@common
def export_csv(out, for_spreadsheet, workspace, as_json):
    """Write one row per forecast: question_id, question_title, question_type, options,
    criteria, opened_at, resolve_by, tags, forecaster, made_at, probability, distribution,
    rationale, outcome, known_at (times ISO 8601 UTC; lists and distributions as JSON)."""
    from forethought.services.interop import export_csv as run

    _exported(run(workspace.store(), out, for_spreadsheet=for_spreadsheet), "CSV", out,
              as_json)


@click.command("fatebook")
@out_option
@spreadsheet_option
@common
def export_fatebook(out, for_spreadsheet, workspace, as_json):
    """Write Fatebook's CSV export layout (one row per forecast, one per option for multiple
    choice), so a history can move to Fatebook's tools. The Brier columns are left empty."""
    from forethought.services.interop import export_fatebook as run

    _exported(run(workspace.store(), out, for_spreadsheet=for_spreadsheet), "Fatebook CSV",
              out, as_json)


@click.command("ics")
@out_option
@common
def export_ics(out, workspace, as_json):
    """Write the resolve-by dates of open questions as an iCalendar file (one all-day event
    per question), for reminders."""
    from forethought.services.interop import export_ics as run

    _exported(run(workspace.store(), out), "iCalendar", out, as_json)
