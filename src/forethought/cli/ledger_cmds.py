"""verify, ledger head, ledger prove, ledger check-proof."""

from __future__ import annotations

import json
from pathlib import Path

import click

from forethought.cli.common import SuggestingGroup, common, json_option, note, print_json, table
from forethought.errors import IntegrityViolation


@click.command()
@click.option("--against", "against", metavar="HEAD", multiple=True,
              help="A head published earlier (the `ledger head` line, SEQ:HASH, or the hash): "
                   "check it is still in the chain. Repeatable.")
@common
def verify(against, workspace, as_json):
    """Check the database file, re-derive the ledger chain and check every record against it.

    Runs the database's own check first (SQLite integrity_check; PostgreSQL amcheck when
    installed), then reads the ledger and every table in one read-only snapshot, so writers
    working meanwhile cause no false alarm. Prints what was checked and the head. Exits 1 and
    names any damage the database check found, every record that does not match (the field,
    the value in the table and the value the ledger holds), every broken link in the chain,
    and every published head (--against) that is no longer in it. The head the last clean run
    saw is remembered in .forethought/heads.json and checked next time.

    What the chain alone cannot catch: someone with write access to the database who cuts the
    ledger's tail together with the rows it vouched for, or who rewrites rows and ledger
    consistently. Only a head kept outside the database (published, or remembered) catches
    those."""
    from forethought.services import integrity
    from forethought.services.integrity import DAMAGE

    store = workspace.store()
    report = integrity.verify(store, against,
                              witness=integrity.witness_for(workspace.root, store))
    database = report.database
    if as_json:
        print_json({"ok": report.ok, "entries": report.entries, "rows": report.rows,
                    "database": {"check": database.what if database else None,
                                 "ok": database.ok if database else None,
                                 "problems": database.problems if database else []},
                    "rows_by_table": report.rows_by_table, "by_author": report.by_author,
                    "head": {"seq": report.head_seq, "hash": report.head_hash},
                    "heads": [{"label": c.head.label, "seq": c.head.seq, "hash": c.head.hash,
                               "found_at": c.found_at} for c in report.heads],
                    "problems": [p.__dict__ | {"message": p.describe()}
                                 for p in report.problems]})
    else:
        kinds = ", ".join(f"{name.replace('_', ' ')}: {n}"
                          for name, n in report.rows_by_table.items() if n)
        click.echo(f"Checked {report.entries} ledger entries and {report.rows} records"
                   + (f" ({kinds})" if kinds else "") + ".")
        click.echo(f"Head: {report.head_seq} {report.head_hash}")
        if report.by_author:
            local = report.entries - sum(report.by_author.values())
            click.echo("Written by: " + ", ".join(
                f"{name} {n}" for name, n in sorted(report.by_author.items()))
                + (f"; from the command line {local}" if local else "") + ".")
        if database is not None and database.ok:
            click.echo(f"Database check: {database.what}: ok.")
        elif database is not None:
            click.echo(f"Database check: {database.what}: found damage.")
        for check in report.heads:
            if check.ok:
                click.echo(f"In the chain at entry {check.found_at}: {check.head.label} "
                           f"({check.head}).")
        for p in report.problems:
            click.echo(f"{'DAMAGED' if p.entity == DAMAGE else 'MISMATCH'} {p.describe()}")
        if report.ok:
            click.echo("OK: every record matches the ledger and the chain is unbroken.")
    if not report.ok:
        if not report.damaged and any(not c.ok and c.head.label.startswith(
                "the head this workspace") for c in report.heads):
            note("If you restored an older copy of the database on purpose, delete "
                 ".forethought/heads.json so verify forgets the newer head it saw.")
        integrity.refuse_damaged(store, report)
        n = len(report.problems)
        raise IntegrityViolation(
            f"verification failed: {n} problem{'s' if n != 1 else ''}; the first is "
            f"{report.problems[0].describe()}"
        )


@click.group(cls=SuggestingGroup)
def ledger() -> None:
    """The hash-chained ledger every write goes through."""


@ledger.command()
@common
def head(workspace, as_json):
    """Print the ledger head: SEQ HASH, a commitment you can publish.

    Post it, put it in a commit message or an email: later, `forethought verify --against
    SEQ:HASH` shows the records up to it are unchanged, and `forethought ledger prove QUESTION
    --to SEQ:HASH` shows a question's forecasts existed when you published it."""
    from forethought.services import integrity

    seq, digest = integrity.head(workspace.store())
    if as_json:
        print_json({"seq": seq, "hash": digest})
    else:
        click.echo(f"{seq} {digest}")


def _summary(kind: str, payload: dict) -> str:
    if kind == "question":
        return str(payload.get("title", ""))
    if kind == "forecast":
        value = payload.get("probability")
        shown = f"{value:g}" if isinstance(value, int | float) else json.dumps(
            payload.get("distribution"), ensure_ascii=False)
        return f"{payload.get('forecaster')} {shown} made {payload.get('made_at')}"
    if kind == "resolution":
        return f"{payload.get('outcome')} known {payload.get('known_at')}"
    return ""


def _proof_lines(doc: dict) -> list[list[str]]:
    proves = set(doc["proves"])
    lines: list[list[str]] = []
    run: list[dict] = []

    def flush() -> None:
        if run:
            span = (f"entry {run[0]['seq']}" if len(run) == 1
                    else f"entries {run[0]['seq']}–{run[-1]['seq']}")
            lines.append(["…", run[-1]["hash"][:16] + "…",
                          f"{len(run)} other record{'s' if len(run) > 1 else ''} ({span})", ""])
            run.clear()

    for e in doc["entries"]:
        if e["seq"] not in proves:
            run.append(e)
            continue
        flush()
        lines.append([str(e["seq"]), e["hash"][:16] + "…", e["entity"],
                      _summary(e["kind"], json.loads(e["payload"]))])
    flush()
    return lines


@ledger.command()
@click.argument("question")
@click.option("--to", "to", metavar="HEAD", help="The published head to link to (SEQ:HASH or "
              "the hash); default: the current head.")
@common
def prove(question, to, workspace, as_json):
    """Print the entries and hashes linking QUESTION's records to a head.

    With --json, prints the whole proof: every entry from the question's first to the head,
    which anyone can re-check with `forethought ledger check-proof FILE` (no database needed)."""
    from forethought.services import integrity

    doc = integrity.prove(workspace.store(), question, to)
    if as_json:
        print_json(doc)
        return
    head_ = doc["head"]
    click.echo(f"Question {doc['question']}: {len(doc['proves'])} record(s) linked to head "
               f"{head_['seq']} {head_['hash']} through {len(doc['entries'])} entries.")
    click.echo(table(_proof_lines(doc), ["seq", "hash", "record", "what"]))
    if doc["later"]:
        note(f"Recorded after that head, so not covered: entries "
             f"{', '.join(str(s) for s in doc['later'])}.")
    note(f"Save it: forethought ledger prove {doc['question']} --to "
         f"{head_['seq']}:{head_['hash']} --json > proof.json; anyone can check it with "
         "forethought ledger check-proof proof.json --head SEQ:HASH")


@ledger.command("check-proof")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--head", "published", metavar="HEAD",
              help="The head that was published (SEQ:HASH or the hash): the proof must lead "
                   "to it.")
@json_option
def check_proof(file, published, as_json):
    """Check a proof written by `ledger prove --json`, without any database.

    Exits 1 if a hash does not re-derive, an entry does not link to the one before it, or the
    chain does not lead to the head (or to --head)."""
    from forethought.services import integrity

    result = integrity.check_proof(file, published)
    if as_json:
        print_json({"ok": result.ok, "question": result.question,
                    "head": {"seq": result.head_seq, "hash": result.head_hash},
                    "entries": result.links, "problems": result.problems,
                    "records": [{"seq": s, "kind": k, "entity": e, "payload": p}
                                for s, k, e, p in result.records]})
    else:
        for problem in result.problems:
            click.echo(f"MISMATCH {problem}")
        if result.ok:
            click.echo(f"OK: {len(result.records)} record(s) of question {result.question} "
                       f"existed when head {result.head_seq} {result.head_hash} was made "
                       f"({result.links} entries re-derived).")
            for seq, kind, entity, payload in result.records:
                click.echo(f"  {seq}  {entity}  {_summary(kind, payload)}")
    if not result.ok:
        raise IntegrityViolation(f"the proof does not hold: {result.problems[0]}")
