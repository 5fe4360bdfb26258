"""report and chart."""

from __future__ import annotations

from pathlib import Path

import click

from forethought.cli.common import SuggestingGroup, common, note, print_json
from forethought.domain.choices import BRIER_SCALES, CHART_RULES, POLICIES

PNG_SVG_PDF = "a .png, .svg or .pdf file"


@click.command()
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder to write the report into (replaced whole when it holds a report).")
@click.option("--question", "questions", multiple=True, metavar="ID",
              help="Give this question a page whatever the limit (repeatable; id or prefix).")
@click.option("--max-pages", type=click.IntRange(min=0), default=100, show_default=True,
              help="At most this many question pages (and source pages); the rest are listed.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes drawing charts [default: the CPU count, at most 8].")
@common
def report(out, questions, max_pages, workers, workspace, as_json):
    """Write a static HTML report: an index with the scoreboard, the calibration chart, due and
    open questions and recent resolutions, a page per question and per source.

    It works offline from any browser (no JavaScript, nothing from the network) and can be
    shared as a folder. Every question is listed; pages go to the questions asked for with
    --question, recent resolutions, due and open questions first, up to --max-pages."""
    from forethought.services.report import build_report

    result = build_report(workspace.store(), out, questions=questions, max_pages=max_pages,
                          workers=workers)
    index = result.index.absolute()
    if as_json:
        print_json({"out": str(result.out.absolute()), "index": str(index),
                    "pages": result.pages, "charts": result.charts,
                    "questions": result.questions, "question_pages": result.question_pages,
                    "sources": result.sources, "source_pages": result.source_pages,
                    "selection": result.selection, "seconds": round(result.seconds, 3)})
        return
    note(f"Wrote {result.pages:,} pages and {result.charts:,} charts to {result.out} in "
         f"{result.seconds:.1f} s.")
    note(result.selection)
    click.echo(f"Open {index.as_uri()}")


@click.group(cls=SuggestingGroup)
def chart():
    """Draw charts to image files: a question's forecast history, scores over time.

    (The calibration chart is `forethought calibration --out FILE`.)"""


@chart.command()
@click.argument("question")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help=f"Where to draw: {PNG_SVG_PDF}.")
@click.option("--as", "forecaster", metavar="NAME",
              help="Only this forecaster (multiple choice: whose options to draw).")
@common
def history(question, out, forecaster, workspace, as_json):
    """One question's forecasts over time: a step line per forecaster, the crowd median, the
    resolve-by date and the outcome."""
    from forethought.services.charts import history_chart

    result = history_chart(workspace.store(), question, out, forecaster=forecaster)
    info = result.info
    if as_json:
        print_json({"out": str(result.path), **info})
        return
    who = ", ".join(info["forecasters"]) or "nobody yet"
    note(f"{info['question']}: {info['forecasts']} forecast(s) by {who}.")
    click.echo(f"Wrote {result.path}")


@chart.command()
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help=f"Where to draw: {PNG_SVG_PDF}.")
@click.option("--by", "by", multiple=True, metavar="KEY", default=("month",), show_default=True,
              help="month (the time axis), optionally with one of forecaster, source, tag, "
                   "horizon, type for one line each (e.g. --by month,forecaster).")
@click.option("--rule", type=click.Choice(CHART_RULES),
              default="brier", show_default=True, help="Score to draw.")
@click.option("--policy", type=click.Choice(POLICIES),
              default="time-averaged", show_default=True, help="As for `forethought score`.")
@click.option("--brier-scale", type=click.Choice(BRIER_SCALES), default="1",
              show_default=True,
              help="1: (p-o)^2 in 0-1; 2: the two-sided 0-2 form.")
@click.option("--as", "forecaster", metavar="NAME", help="Only this forecaster.")
@click.option("--tag", help="Only questions with this tag.")
@common
def scores(out, by, rule, policy, brier_scale, forecaster, tag, workspace, as_json):
    """Score by month of close, with the number of questions behind each point, to see whether
    someone is improving."""
    from forethought.services.charts import scores_chart

    keys = [k.strip() for v in by for k in v.split(",") if k.strip()]
    if "month" not in keys:
        raise click.BadParameter("the time axis is the month: pass --by month (optionally "
                                 "with one more key, e.g. month,forecaster)", param_hint="--by")
    others = [k for k in keys if k != "month"]
    allowed = ("forecaster", "source", "tag", "horizon", "type")
    for key in others:
        if key not in allowed:
            raise click.BadParameter(f"{key!r} is not one of month, {', '.join(allowed)}",
                                     param_hint="--by")
    if len(others) > 1:
        raise click.BadParameter("combine month with at most one other key", param_hint="--by")
    result = scores_chart(workspace.store(), out, rule=rule, group=others[0] if others else None,
                          policy=policy, brier_scale=int(brier_scale), tag=tag,
                          forecaster=forecaster)
    rows = result.info["rows"]
    if as_json:
        data = rows.astype(object).where(rows.notna(), None).to_dict(orient="records")
        print_json({"out": str(result.path), "policy": policy, "rule": rule,
                    "scale": result.info["scale"], "rows": data})
        return
    note(f"{result.info['months']} month(s) scored; {result.info['scale']}.")
    click.echo(f"Wrote {result.path}")
