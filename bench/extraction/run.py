"""Score forethought.language.extract on the labelled sentences beside this file.

    python bench/extraction/run.py                      # the table, every set
    python bench/extraction/run.py --verbose            # and every disagreement (not held-out's)
    python bench/extraction/run.py --sets real blind    # only some sets

Per item, candidates are compared with the labels as multisets of classes (so a sentence holding
two forecasts must yield two); forecasts (and claims) are then paired in sentence order to score
cue, probability, polarity, resolve-by, attribution, condition, event date and numbers. Those
accuracies are over the pairs, so a missed forecast counts against recall, not twice.

How the fields added for issue #19 are scored (see README.md):

* cue: the label and the candidate's cue, lower case, a trailing "to" dropped on both sides (the
  first sets write "expected to", the real sets "expected").
* probability in band: the labelled cue read on the candidate's scale (:func:`label_band`) gives
  a band [low, high]; the candidate's point ``p`` must lie inside it. A label with no band on any
  scale (comparatives such as "more likely", a null cue) is left out and counted.
* polarity: the candidate is negative when its cue says the event will not happen ("unlikely",
  "will not", "almost no chance" …) or it is negated without a word cue; else positive.
* attribution: who made the forecast, by containment after dropping a leading "the" and case. A
  forecast in the document's own voice (``said_by`` None) is the document's: the real sets name
  it by ``source_title``, which is passed to ``extract`` as ``source_name``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from forethought.domain.scales import NEGATIONS, normalise_cue, read_cue
from forethought.language import KINDS, extract

HERE = Path(__file__).resolve().parent
LABELS = HERE / "sentences.yaml"  # development set: the rules were shaped against it
HELDOUT = HERE / "heldout.yaml"  # written after the rules settled; see README.md
BLIND = HERE / "blind.yaml"  # labelled by someone who never read the engine; never tuned on
REAL = HERE / "real.yaml"  # real sentences, labelled blind (REAL.md): rules shaped on it
REAL_HELDOUT = HERE / "real-heldout.yaml"  # the third of them nobody looks at while tuning
SETS = {"sentences": LABELS, "heldout": HELDOUT, "blind": BLIND, "real": REAL,
        "real-heldout": REAL_HELDOUT}
TARGETS = {"forecast precision": 0.9, "forecast recall": 0.9, "cue": 0.95, "horizon exact": 0.9}
REAL_TARGETS = {"forecast precision": 0.92, "forecast recall": 0.92, "cue": 0.95,
                "probability in band": 0.95, "polarity": 0.98, "horizon exact": 0.92,
                "forecast attribution": 0.85}
FIELDS = ("cue", "probability in band", "polarity", "horizon exact", "forecast attribution",
          "  speaker in sentence", "claim attribution", "condition", "event date", "numbers")


@dataclass
class Score:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else float("nan")


@dataclass
class Report:
    items: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    fields: dict[str, Score] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    unbanded: int = 0  # labelled cues with no band on any scale (not scored for probability)

    def precision(self, kind: str) -> float:
        n = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / n if n else float("nan")

    def recall(self, kind: str) -> float:
        n = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / n if n else float("nan")

    def score(self, name: str) -> Score:
        return self.fields.setdefault(name, Score())


def _norm(who: str | None) -> str:
    words = (who or "").lower().replace("’", "'").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# -- reading a labelled cue -------------------------------------------------------------------
# Label words that state an expectation without a standard's word: they read as "expects" (the
# spec's default for expectation verbs). The label writes the verb as it stands in the text.
_EXPECTATION_STEMS = ("expect", "anticipat", "project", "predict", "forecast", "foresee", "see",
                      "seen", "believ", "assum", "calls for", "call for", "leaning toward",
                      "suggest", "set", "poised", "tipped", "favou?red", "on track", "scheduled",
                      "slated", "going")
_EXPECTATION = re.compile(r"^(?:" + "|".join(_EXPECTATION_STEMS) + r")\w*$")
_PERCENT = re.compile(r"^(?P<a>\d+(?:\.\d+)?)(?:\s*-\s*(?P<b>\d+(?:\.\d+)?))?%$")
_BOUNDED = re.compile(r"^(?P<op>better than|more than|at least|less than|no more than|under)\s+"
                      r"(?P<a>\d+(?:\.\d+)?)%$")
# Word cues the scales list under another key ("most likely" is "likely", "perhaps" "maybe").
_ALIASES = {"most likely": "likely", "most probable": "probable", "perhaps": "maybe",
            "would": "will", "should": "probably", "shall": "will", "possibly": "possibly",
            "very high likelihood": "very likely", "high likelihood": "likely",
            "virtually certain": "almost certain", "low chance": "unlikely",
            "slim chance": "unlikely", "small chance": "unlikely", "little chance": "unlikely",
            "low probability": "unlikely", "good chance": "likely", "strong chance": "likely",
            "high probability": "likely"}
# The order the engine falls back in when the scale does not list a cue (language/extract.py).
_FALLBACK_ORDER = ("survey", "kent", "phia", "nato", "icd203")
NEGATIVE_CUES = {"unlikely", "improbable", "probably not", "very unlikely", "highly unlikely",
                 "highly improbable", "almost no chance", "almost certainly not", "remote",
                 "remote chance", "no chance", "little chance", "slim chance", "small chance",
                 "low chance", "low probability", "low likelihood", "never"}


def _band_of_key(key: str, scale: str) -> tuple[float, float] | None:
    for name in (scale, *[s for s in _FALLBACK_ORDER if s != scale]):
        reading = read_cue(key, name)
        if reading is not None:
            return reading.low, reading.high
    return None


def label_band(cue: str | None, scale: str) -> tuple[float, float] | None:
    """The band [low, high] the labelled ``cue`` has on ``scale`` (another scale's when this one
    does not list it, as the engine falls back); None when no scale gives it one."""
    if cue is None:
        return None
    m = _PERCENT.match(str(cue).replace(" ", "").replace("–", "-"))
    s = normalise_cue(str(cue))
    if m:
        a = float(m.group("a")) / 100
        return a, float(m.group("b")) / 100 if m.group("b") else a
    m = _BOUNDED.match(s)
    if m:
        a = float(m.group("a")) / 100
        return (a, 1.0) if m.group("op") in ("better than", "more than", "at least") else (0.0, a)
    negated = s.endswith(" not") and s not in NEGATIONS.values()
    if negated:
        s = s[: -len(" not")]
    s = NEGATIONS.get(s[len("not "):], s) if s.startswith("not ") else s
    s = s[: -len(" to")] if s.endswith(" to") else s
    key = _ALIASES.get(s, s)
    if _EXPECTATION.match(key):
        key = "expects"
    band = _band_of_key(key, scale)
    if band is None or not negated:
        return band
    return 1 - band[1], 1 - band[0]


def candidate_polarity(c: Any) -> str:
    """"negative" when the candidate says the event will not happen, else "positive"."""
    cue = normalise_cue(c.cue) if c.cue else ""
    if cue in NEGATIVE_CUES or cue.endswith((" not", " never")) or cue.startswith("not "):
        return "negative"
    if c.negated and (not cue or c.cue_class == "explicit"):
        return "negative"
    return "positive"


def _cue_key(cue: str | None) -> str | None:
    if cue is None:
        return None
    s = " ".join(str(cue).lower().replace("’", "'").split())
    return s[: -len(" to")] if s.endswith(" to") else s


# -- comparing ----------------------------------------------------------------------------------
def _compare(report: Report, item: dict[str, Any], expected: list[dict[str, Any]],
             got: list[Any], source: str | None) -> None:
    want = Counter(e["kind"] for e in expected)
    have = Counter(c.kind for c in got)
    for kind in KINDS:
        tp = min(want[kind], have[kind])
        report.tp[kind] += tp
        report.fp[kind] += have[kind] - tp
        report.fn[kind] += want[kind] - tp
    if want != have:
        report.misses.append(f"{item['id']}: classes {dict(want)} ≠ {dict(have)}")
    for kind in ("forecast", "claim"):
        pairs = zip([e for e in expected if e["kind"] == kind],
                    [c for c in got if c.kind == kind], strict=False)
        for e, c in pairs:
            _compare_fields(report, item, e, c, source)


def _check(report: Report, name: str, ok: bool, where: str, detail: str) -> None:
    report.score(name).add(ok)
    if not ok:
        report.misses.append(f"{where}: {name.strip()} {detail}")


def _compare_forecast(report: Report, item: dict[str, Any], e: dict[str, Any], c: Any,
                      source: str | None) -> None:
    where = item["id"]
    if "cue" in e:
        _check(report, "cue", _cue_key(e["cue"]) == _cue_key(c.cue), where,
               f"{e['cue']!r} ≠ {c.cue!r}")
        band = label_band(e["cue"], c.scale or "icd203")
        if band is None:
            report.unbanded += e["cue"] is not None
        else:
            ok = c.p is not None and band[0] - 1e-9 <= c.p <= band[1] + 1e-9
            _check(report, "probability in band", ok, where,
                   f"{c.p} ∉ [{band[0]:g}, {band[1]:g}] of {e['cue']!r} (cue {c.cue!r})")
    if "polarity" in e:
        got = candidate_polarity(c)
        _check(report, "polarity", got == e["polarity"], where,
               f"{e['polarity']} ≠ {got} (cue {c.cue!r})")
    if "resolve_by" in e:
        want = _as_date(e["resolve_by"])
        _check(report, "horizon exact", want == c.resolve_by, where,
               f"{want} ≠ {c.resolve_by} ({c.horizon_rule})")
    if "said_by" in e:
        who = c.said_by or source
        ok = bool(who) and _norm(e["said_by"]) in _norm(who)
        _check(report, "forecast attribution", ok, where, f"{e['said_by']!r} ≠ {who!r}")
        if _norm(e["said_by"]) in _norm(item["text"]):
            report.score("  speaker in sentence").add(ok)
    if "condition" in e:
        _check(report, "condition", bool(c.condition) == bool(e["condition"]), where,
               f"expected {'a' if e['condition'] else 'no'} condition, got {c.condition!r}")


def _compare_fields(report: Report, item: dict[str, Any], e: dict[str, Any], c: Any,
                    source: str | None) -> None:
    if e["kind"] == "forecast":
        _compare_forecast(report, item, e, c, source)
        return
    where = item["id"]
    if "said_by" in e:
        ok = bool(c.said_by) and _norm(e["said_by"]) in _norm(c.said_by)
        _check(report, "claim attribution", ok, where, f"{e['said_by']!r} ≠ {c.said_by!r}")
    if "event_date" in e:
        want = _as_date(e["event_date"])
        _check(report, "event date", want == c.event_date, where, f"{want} ≠ {c.event_date}")
    if "numbers" in e:
        _check(report, "numbers", list(e["numbers"]) == list(c.numbers), where,
               f"{e['numbers']} ≠ {list(c.numbers)}")


def evaluate(*paths: Path) -> Report:
    """Run the extractor over every labelled item in ``paths`` (default: the first two sets)."""
    report = Report()
    for path in paths or (LABELS, HELDOUT):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        report.items += len(items)
        for item in items:
            source = item.get("source_title")
            got = extract(item["text"], _as_date(item["published"]), source_name=source)
            _compare(report, item, item["expect"], got, source)
    return report


def headline(report: Report, targets: dict[str, float] | None = None) -> dict[str, float]:
    """The figures the targets are set on."""
    figures = {"forecast precision": report.precision("forecast"),
               "forecast recall": report.recall("forecast")}
    for name in targets or TARGETS:
        figures.setdefault(name, report.score(name).value)
    return figures


def missed(report: Report, targets: dict[str, float]) -> list[str]:
    figures = headline(report, targets)
    return [f"{k} {figures[k]:.3f} < {v}" for k, v in targets.items() if not figures[k] >= v]


def render(reports: dict[str, Report]) -> str:
    width = 19
    head = f"{'':<26}" + "".join(f"{n:>{width}}" for n in reports)
    lines = [head, f"{'items':<26}" + "".join(f"{r.items:>{width}}" for r in reports.values())]
    lines.append("")
    for kind in KINDS:
        for label, fn in (("precision", Report.precision), ("recall", Report.recall)):
            row = "".join(f"{fn(r, kind):>{width}.3f}" for r in reports.values())
            lines.append(f"{kind + ' ' + label:<26}{row}")
    lines.append("")
    for name in FIELDS:
        cells = "".join(
            f"{f'{s.value:.3f} ({s.right}/{s.total})':>{width}}" if s.total else f"{'-':>{width}}"
            for s in (r.fields.get(name, Score()) for r in reports.values())
        )
        lines.append(f"{name if name.startswith(' ') else name + ' accuracy':<26}{cells}")
    unbanded = "".join(f"{r.unbanded:>{width}}" for r in reports.values())
    lines.append(f"{'cues with no band':<26}{unbanded}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--verbose", action="store_true",
                        help="list every disagreement (the real held-out set's only with "
                             "--show-heldout)")
    parser.add_argument("--show-heldout", action="store_true",
                        help="with --verbose, list the real held-out set's disagreements too")
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS),
                        help="which labelled sets to run (default: all)")
    args = parser.parse_args(argv)
    names = [n for n in SETS if n in args.sets and SETS[n].exists()]
    reports = {("held-out" if n == "heldout" else n): evaluate(SETS[n]) for n in names}
    if "sentences" in names and "heldout" in names:
        reports["sentences+held-out"] = evaluate(LABELS, HELDOUT)
    print(render(reports))
    print()
    for name, targets in (("sentences+held-out", TARGETS), ("blind", TARGETS),
                          ("real", REAL_TARGETS), ("real-heldout", REAL_TARGETS)):
        if name in reports:
            failing = missed(reports[name], targets)
            print(f"targets ({name}): " + ("met" if not failing else
                                           "MISSED: " + "; ".join(failing)))
    if args.verbose:
        shown = [n for n in reports if n != "sentences+held-out"
                 and (n != "real-heldout" or args.show_heldout)]
        for name in shown:
            misses = reports[name].misses
            print(f"\ndisagreements ({name}):"
                  + ("".join(f"\n  {m}" for m in misses) if misses else " none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
