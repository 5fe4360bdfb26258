"""score and calibration."""

from __future__ import annotations

from pathlib import Path

import click

from forethought.cli.common import db_option, json_option, note, print_json, table
from forethought.domain.choices import (
    BEFORE_FIRST,
    BRIER_SCALES,
    BY_KEYS,
    CROWDS,
    INTERVALS,
    LOWER_IS_BETTER,
    POLICIES,
    RULES,
    SKILLS,
    WEIGHTINGS,
)


def _split(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _fmt(value) -> str:
    if value is None:
        return "-"
    try:
        import math

        if isinstance(value, float) and math.isnan(value):
            return "-"
    except TypeError:
        pass
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


@click.command()
@click.option("--rule", "rules", multiple=True, metavar="RULE",
              help=f"Scoring rule(s), repeat or comma-separate: {', '.join(RULES)} "
                   "[default: brier,log].")
@click.option("--policy", type=click.Choice(POLICIES), default="time-averaged", show_default=True,
              help="How a forecaster's forecasts on one question make its score; each "
                   "(question, forecaster) pair then counts once in a row (but see each). "
                   "time-averaged: "
                   "weighted by how long each stood; daily: the one standing at each day's end; "
                   "final: the one standing at the close; all: every forecast on the question "
                   "once (a pair's mean); each: every forecast in the row once, as calibration "
                   "--weighting each counts (pairs weighted by their forecasts); metaculus: time "
                   "standing over the question's scheduled life (see docs/scoring.md).")
@click.option("--before-first", type=click.Choice(BEFORE_FIRST), default="skip",
              show_default=True, help="daily policy: days before a forecaster's first forecast.")
@click.option("--brier-scale", type=click.Choice(BRIER_SCALES), default="1", show_default=True,
              help="1: (p-o)^2 in 0-1; 2: the two-sided 0-2 form (Good Judgment, Fatebook).")
@click.option("--by", "by", multiple=True, metavar="KEY",
              help=f"Group by (combinable): {', '.join(BY_KEYS)} [default: forecaster].")
@click.option("--crowd", type=click.Choice(CROWDS),
              help="Add the crowd aggregate as a pseudo-forecaster (crowd:median, ...).")
@click.option("--skill", type=click.Choice(SKILLS),
              help="Add skill scores 1 - S/S_ref against this reference.")
@click.option("--since", metavar="WHEN", help="Only questions that closed at or after WHEN.")
@click.option("--until", metavar="WHEN", help="Only questions that closed before WHEN.")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--as", "forecaster", metavar="NAME", help="Only this forecaster's rows.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Score a CSV table instead of the workspace (with --p and --o).")
@click.option("--p", "p_col", metavar="COL", help="--csv: the probability column.")
@click.option("--o", "o_col", metavar="COL", help="--csv: the outcome column (0/1).")
@db_option
@json_option
def score(rules, policy, before_first, brier_scale, by, crowd, skill, since, until, tag,
          forecaster, csv_path, p_col, o_col, db, as_json):
    """Score forecasts: Brier and log by default, time-averaged, per forecaster.

    Unresolved, ambiguous and annulled questions are counted, never scored; forecasts made after
    the outcome was known are counted in a footnote, never scored."""
    rule_list = _split(rules) or ["brier", "log"]
    for r in rule_list:
        if r not in RULES:
            raise click.BadParameter(f"{r!r} is not one of {', '.join(RULES)}", param_hint="--rule")
    by_list = _split(by) or ["forecaster"]
    for b in by_list:
        if b not in BY_KEYS:
            raise click.BadParameter(f"{b!r} is not one of {', '.join(BY_KEYS)}",
                                     param_hint="--by")
    scale = int(brier_scale)
    if csv_path is not None:
        _score_csv(csv_path, p_col, o_col, rule_list, scale, as_json)
        return
    from forethought.services import scores
    from forethought.services.workspace import locate

    workspace = locate(db)
    try:
        result = scores.score(workspace.store(), rules=rule_list, policy=policy,
                              brier_scale=scale, by=by_list, before_first=before_first,
                              crowd=crowd, skill=skill, since=since, until=until, tag=tag,
                              forecaster=forecaster)
    finally:
        workspace.close()
    frame, meta = result.frame, result.meta
    if as_json:
        print_json(scores.score_json(result, rule_list, policy))
        return
    click.echo(_header(meta, policy, rule_list))
    if frame.empty:
        click.echo("No resolved questions to score yet.")
    else:
        columns = list(frame.columns)
        click.echo(table([[_fmt(v) for v in row] for row in frame.itertuples(index=False)],
                         columns))
    for line in _footnotes(meta):
        click.echo(line)


def _header(meta: dict, policy: str, rules: list[str]) -> str:
    scale = meta.get("scale") or ", ".join(
        f"{r} ({'lower' if LOWER_IS_BETTER[r] else 'higher'} is better)" for r in rules)
    return f"Policy: {meta.get('policy', policy)}. {scale}".strip()


def _footnotes(meta: dict) -> list[str]:
    lines = []
    after = meta.get("n_after_close") or 0
    if after:
        lines.append(f"* {after} forecast(s) made after the outcome was known: counted, "
                     "not scored.")
    unscored = meta.get("n_unscored_questions") or {}
    if any(unscored.values()):
        parts = ", ".join(f"{n} {k}" for k, n in unscored.items() if n)
        lines.append(f"* Questions not scored: {parts}.")
    clipped = meta.get("n_clipped") or 0
    if clipped:
        lines.append(f"* {clipped} probabilities clipped to [0.001, 0.999] for the log score.")
    # what the engine warns about (metaculus policy with Brier or log: the time before a late
    # forecaster's first forecast counts as perfect) belongs under the table, not only in --json
    lines += [f"* {text[0].upper()}{text[1:]}." for text in meta.get("notes") or []]
    return lines


def _score_csv(path, p_col, o_col, rules, scale, as_json) -> None:
    from forethought.services import scores

    if not p_col or not o_col:
        raise click.UsageError("--csv needs --p COLUMN and --o COLUMN")
    p, o = scores.read_csv_table(path, p_col, o_col)
    out = scores.csv_scores(p, o, rules, scale)
    scale_text = f"Brier 0–{scale} (lower is better)"
    if as_json:
        print_json({"policy": "each", "scale": scale_text, "rules": rules, "rows": [out]})
        return
    click.echo(f"{path}: {out['forecasts']} forecasts. {scale_text}.")
    click.echo(table([[_fmt(out.get(r)) for r in rules]], rules))


@click.command()
@click.option("--bins", default="10", show_default=True,
              help="10 | N | distinct | quantile:N | centered | metaculus.")
@click.option("--interval", type=click.Choice(INTERVALS),
              default="wilson", show_default=True, help="Interval for the observed frequency.")
@click.option("--level", type=float, default=0.95, show_default=True, help="Interval level.")
@click.option("--weighting", type=click.Choice(WEIGHTINGS), default="time",
              show_default=True, help="How forecasts count (see docs/scoring.md).")
@click.option("--decompose", is_flag=True, help="Add Murphy, binned, bias-corrected and CORP.")
@click.option("--as", "forecaster", metavar="NAME", help="Only this forecaster (or crowd:median).")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--compare", metavar="A,B,...", help="Chart several forecasters in one figure.")
@click.option("--consistency", is_flag=True, help="Chart: draw the 90% consistency band.")
@click.option("--corp", "show_corp", is_flag=True, help="Chart: draw the CORP (isotonic) curve.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Draw the reliability diagram to a .png, .svg or .pdf file.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Use a CSV table instead of the workspace (with --p and --o).")
@click.option("--p", "p_col", metavar="COL", help="--csv: the probability column.")
@click.option("--o", "o_col", metavar="COL", help="--csv: the outcome column (0/1).")
@db_option
@json_option
def calibration(bins, interval, level, weighting, decompose, forecaster, tag, compare,
                consistency, show_corp, out, csv_path, p_col, o_col, db, as_json):
    """Calibration table: bin edges, n, mean forecast, observed frequency and its interval.

    Bins are right-closed (a, b] with the first bin [0, b], computed in integer parts per
    million so forecasts on an edge land where documented. Empty bins show as n = 0."""
    if csv_path is not None:
        from forethought.services import calibration as service

        if not p_col or not o_col:
            raise click.UsageError("--csv needs --p COLUMN and --o COLUMN")
        series = {"table": service.csv_arrays(csv_path, p_col, o_col)}
    else:
        from forethought.services import calibration as service
        from forethought.services.workspace import locate

        workspace = locate(db)
        try:
            names = [n.strip() for n in compare.split(",")] if compare else [forecaster]
            series = service.workspace_series(workspace.store(), names, weighting=weighting,
                                              tag=tag)
        finally:
            workspace.close()
    result = service.calibrate(series, bins=bins, interval=interval, level=level,
                               decompose=decompose or show_corp, consistency=consistency)
    for name, line in series.items():
        if line.left_out:
            who = "" if len(series) == 1 else f" ({name})"
            note(f"Note: {line.left_out} forecast(s) on resolved multiple-choice questions{who} "
                 "are left out: calibration bins probabilities of yes/no outcomes. `forethought "
                 "score` scores them.")
    if out is not None:
        service.draw(result, out, consistency=consistency, corp=show_corp)
        note(f"Wrote {out}")
    if as_json:
        print_json(service.calibration_json(result))
        return
    for name, res in result.items():
        if len(result) > 1:
            click.echo(f"== {name}")
        click.echo(f"{res.n} forecasts; Brier {res.brier_text}; bins: {bins}; interval: "
                   f"{interval} {level:g}; weighting: {weighting if csv_path is None else 'each'}")
        rows = [[_fmt(b["lower"]), _fmt(b["upper"]), b["n"], _fmt(b["mean_forecast"]),
                 _fmt(b["observed"]), _fmt(b["interval_low"]), _fmt(b["interval_high"])]
                for b in res.bins]
        click.echo(table(rows, ["lower", "upper", "n", "mean forecast", "observed", "low",
                                "high"]))
        if res.decomposition:
            for key, parts in res.decomposition.items():
                click.echo(f"{key}: " + ", ".join(f"{k}={_fmt(v)}" for k, v in parts.items()))
