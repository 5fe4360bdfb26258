"""Fuzzing: every parser and importer fed arbitrary text returns a value or raises the project's
own error — never another exception — and an importer that raises writes nothing.

Adding a parser or an importer is one line in PARSERS or IMPORTERS. Every format the command line
offers under `forethought import` must be in IMPORTERS (a test checks), so a new importer cannot
go unfuzzed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.helpers import db_fingerprint, workspace_url

from forethought.errors import ForethoughtError

NOW = datetime(2024, 11, 28, 15, 30, tzinfo=UTC)
REFERENCE = date(2024, 11, 28)

# Pieces of the inputs the parsers are written for, so fuzzing reaches past the first regex.
TOKENS = ["0", "1", "7", "30", "99999999999", "1e5", ".", "%", ":", " in ", " ", "ago", "days",
          "weeks", "T", "-", "+", "Z", "likely", "not ", "very", "unlikely", "almost certain",
          "=", ",", "A", "b", "٣", "１", "\x00", "nan", "inf", "2024", "0001", "9999", "-12",
          "-31", "23:59", "+05:00", "yesterday", "now", "today", "the coming", "next", "month",
          "year", "by", "Q4", "spring", "early", "late", "March", "end of", "within", "a few"]
near_miss = st.tuples(st.sampled_from(["", " "]),
                      st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=2)),
                               max_size=10)).map(lambda t: t[0].join(t[1]))
fuzz_text = st.one_of(st.text(max_size=80), near_miss)


def _horizon(text: str):
    from forethought.language.horizons import parse_horizon

    return parse_horizon(text, REFERENCE)


def _probability(scale: str) -> Callable[[str], object]:
    def parse(text: str):
        from forethought.domain.probability import parse_probability

        return parse_probability(text, scale)
    return parse


def _distribution(text: str):
    from forethought.domain.probability import parse_distribution

    return parse_distribution(text, ["A", "B", "C"])


def _when(text: str):
    from forethought.domain.timeparse import parse_when

    return parse_when(text, NOW)


def _day(text: str):
    from forethought.domain.timeparse import parse_day

    return parse_day(text, NOW)


# name → (parse function, inputs that must always be tried, marks)
PARSERS: dict[str, tuple[Callable[[str], object], list[str], list]] = {
    "probability": (_probability("icd203"), ["1" * 400, "1:" + "9" * 400, "-0"], []),
    "probability on kent": (_probability("kent"), ["not likely"], []),
    "distribution": (_distribution, ["A=1e400,B=0", "A=0.5,a=0.5"], []),
    "when": (_when, ["in 99999999 weeks", "0001-01-01T00:00+05:00"], []),
    "day": (_day, ["in 99999999999999999999 days", "9999-12-31T23:59-05:00"], []),
    "horizon": (_horizon, ["in 999 years", "by the end of 9999", "in the coming weeks"], []),
}


def _returns_or_raises_ours(parse: Callable[[str], object], text: str) -> None:
    try:
        parse(text)
    except ForethoughtError:
        pass


@pytest.mark.parametrize("name", [pytest.param(n, marks=m) for n, (_, _, m) in PARSERS.items()])
def test_parsers_return_or_raise_their_own_error(name):
    parse, known, _ = PARSERS[name]

    @settings(max_examples=400, deadline=None, database=None,
              report_multiple_bugs=False)
    @given(text=fuzz_text)
    def check(text):
        _returns_or_raises_ours(parse, text)

    for text in known:
        check = example(text=text)(check)
    check()


# ---- the records (YAML) reader --------------------------------------------------------------

SEEDS = Path(__file__).parent / "seeds"  # one valid input per importer, mutated by the fuzzer
QUESTION_YAML = (SEEDS / "records" / "forecasts" / "fuzz.yaml").read_text(encoding="utf-8")
CLAIMS_YAML = (SEEDS / "records" / "claims" / "wire.yaml").read_text(encoding="utf-8")
EXAMPLES = int(os.environ.get("FORETHOUGHT_FUZZ_EXAMPLES", "0")) or None


def mutations(seed: str) -> st.SearchStrategy[str]:
    """``seed`` with one slice replaced by fuzz text: mostly-valid files reach deep checks."""
    return st.tuples(st.integers(0, len(seed)), st.integers(0, 12), fuzz_text).map(
        lambda t: seed[:t[0]] + t[2] + seed[t[0] + t[1]:])


@pytest.mark.parametrize("which", ["question", "claims"])
def test_records_reader_returns_or_rejects(which, tmp_path):
    from forethought.interop import records as fmt

    read = fmt.read_question_file if which == "question" else fmt.read_claims_file
    seed = QUESTION_YAML if which == "question" else CLAIMS_YAML
    path = tmp_path / "fuzz.yaml"

    @settings(max_examples=EXAMPLES or 300, deadline=None, database=None,
              report_multiple_bugs=False)
    @given(text=st.one_of(mutations(seed), fuzz_text))
    @example(text=seed)
    @example(text=seed.replace("2024-11-2", "2024-13-4").replace("2024-06-01T", "2024-02-30T"))
    @example(text="a: " + "[" * 5000)
    def check(text):
        path.write_text(text, encoding="utf-8")
        try:
            read(path)
        except ForethoughtError:
            pass

    check()


# ---- importers, through the command line ----------------------------------------------------

@dataclass(frozen=True)
class Importer:
    """`forethought import FORMAT ARGS...` run in a copy of seeds/ whose file ``fuzzed`` holds
    the fuzz text (a mutation of its valid content, or anything)."""

    format: str
    fuzzed: str
    args: tuple[str, ...] = ()
    marks: tuple = ()

    @property
    def id(self) -> str:
        return f"{self.format}:{self.fuzzed}"


# One line per importer (and per file of a multi-file format).
IMPORTERS = [
    Importer("records", "records/forecasts/fuzz.yaml", ("records",)),
    Importer("records", "records/claims/wire.yaml", ("records",)),
    Importer("jsonl", "export.jsonl"),
    Importer("csv", "export.csv"),
    Importer("fatebook", "fatebook.csv"),
    Importer("predictionbook", "predictionbook.json"),
    Importer("predictionbook", "predictionbook.csv"),
    Importer("metaculus", "metaculus/question_data.csv", ("metaculus",)),
    Importer("metaculus", "metaculus/forecast_data.csv", ("metaculus",)),
    *[Importer("forecastbench", f"fb-{part}.json",
               ("fb-questions.json", "fb-forecasts.json", "fb-resolutions.json"))
      for part in ("questions", "forecasts", "resolutions")],
]


def test_every_importer_is_fuzzed():
    from click.testing import CliRunner

    from forethought.cli.main import cli

    listed = CliRunner().invoke(cli, ["import", "--help"]).stdout
    offered = {line.split()[0] for line in listed.split("Commands:")[1].splitlines()
               if line.strip()}
    assert offered <= {i.format for i in IMPORTERS}, "add the new importer to IMPORTERS"


def test_every_seed_imports(run, workspace, tmp_path):
    """The seeds are valid, so mutating them reaches the checks past the file format."""
    shutil.copytree(SEEDS, tmp_path / "in")
    for importer in IMPORTERS:
        args = [str(tmp_path / "in" / a) for a in importer.args or (importer.fuzzed,)]
        r = run("import", importer.format, *args)
        assert r.exit_code == 0, (importer.id, r.stderr)
    assert run("verify").exit_code == 0


@pytest.mark.parametrize("importer", [pytest.param(i, marks=i.marks, id=i.id)
                                      for i in IMPORTERS])
def test_importers_write_nothing_when_they_refuse(importer, run, workspace, tmp_path, backend):
    url = workspace_url(workspace)
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    seed = (SEEDS / importer.fuzzed).read_text(encoding="utf-8")
    args = [str(folder / a) for a in importer.args or (importer.fuzzed,)]
    examples = EXAMPLES or (30 if backend.startswith("sqlite") else 10)

    @settings(max_examples=examples, deadline=None, database=None,
              report_multiple_bugs=False)
    @given(text=st.one_of(mutations(seed), fuzz_text))
    @example(text=seed.replace("2024-06-01T", "2024-02-30T").replace("2024-07-2", "2024-13-2"))
    @example(text="[" * 5000)
    def check(text):
        (folder / importer.fuzzed).write_text(text, encoding="utf-8")
        r = run("import", importer.format, *args)
        assert "Traceback" not in r.output
        if r.exit_code != 0:
            assert r.exit_code == 1, r.output
            assert r.stderr.startswith("Error: "), r.stderr
        after = db_fingerprint(url)
        if r.exit_code != 0:
            assert after == state["fingerprint"], "a refused import wrote something"
        state["fingerprint"] = after

    state = {"fingerprint": db_fingerprint(url)}
    check()
