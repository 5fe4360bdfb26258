"""Word lists the extractor reads. General English only: nothing here names a document's topic.

Cue keys are looked up in :mod:`forethought.domain.scales`; the ``*_CUES`` tables map what is
written to that key ("perhaps" reads as "maybe", "is set to" as "set to").
"""

from __future__ import annotations

import re

# Multi-word and single-word estimative expressions: tokens → (key on the scales, kind).
# kind "adj" may be predicative ("is likely (to)"), "adv" modifies a verb, "chance" is a noun
# phrase ("a realistic possibility"). Longest match wins.
PHRASE_CUES: dict[tuple[str, ...], tuple[str, str]] = {
    ("almost", "certainly", "not"): ("almost certainly not", "adv"),
    ("almost", "certainly"): ("almost certainly", "adv"),
    ("almost", "certain"): ("almost certain", "adj"),
    ("nearly", "certain"): ("nearly certain", "adj"),
    ("virtually", "certain"): ("almost certain", "adj"),
    ("highly", "unlikely"): ("highly unlikely", "adj"),
    ("very", "unlikely"): ("very unlikely", "adj"),
    ("highly", "improbable"): ("highly improbable", "adj"),
    ("highly", "likely"): ("highly likely", "adj"),
    ("very", "likely"): ("very likely", "adj"),
    ("highly", "probable"): ("highly probable", "adj"),
    ("most", "likely"): ("likely", "adj"),
    ("more", "likely", "than", "not"): ("better than even", "adj"),
    ("probably", "not"): ("probably not", "adv"),
    ("likely",): ("likely", "adj"),
    ("unlikely",): ("unlikely", "adj"),
    ("probable",): ("probable", "adj"),
    ("improbable",): ("improbable", "adj"),
    ("possible",): ("possible", "adj"),
    ("certain",): ("almost certain", "adj-certain"),
    ("probably",): ("probably", "adv"),
    ("possibly",): ("possibly", "adv"),
    ("potentially",): ("potentially", "adv"),
    ("perhaps",): ("maybe", "adv"),
    ("maybe",): ("maybe", "adv"),
    ("almost", "no", "chance"): ("almost no chance", "chance"),
    ("no", "chance"): ("almost no chance", "chance"),
    ("roughly", "even", "chance"): ("roughly even chance", "chance"),
    ("roughly", "even", "odds"): ("roughly even odds", "chance"),
    ("even", "chance"): ("even chance", "chance"),
    ("even", "odds"): ("even chance", "chance"),
    ("better", "than", "even", "chance"): ("better than even", "chance"),
    ("realistic", "possibility"): ("realistic possibility", "chance"),
    ("real", "possibility"): ("real possibility", "chance"),
    ("distinct", "possibility"): ("realistic possibility", "chance"),
    ("remote", "chance"): ("remote", "chance"),
    ("remote", "possibility"): ("remote", "chance"),
    ("good", "chance"): ("likely", "chance"),
    ("strong", "chance"): ("likely", "chance"),
    ("high", "probability"): ("likely", "chance"),
    ("strong", "likelihood"): ("likely", "chance"),
    ("slim", "chance"): ("unlikely", "chance"),
    ("small", "chance"): ("unlikely", "chance"),
    ("little", "chance"): ("unlikely", "chance"),
    ("low", "probability"): ("unlikely", "chance"),
    ("low", "chance"): ("unlikely", "chance"),
    ("low", "likelihood"): ("unlikely", "chance"),
    ("high", "likelihood"): ("likely", "chance"),
    ("high", "chance"): ("likely", "chance"),
    ("very", "high", "likelihood"): ("very likely", "chance"),
    ("very", "high", "probability"): ("very likely", "chance"),
}
MAX_PHRASE = max(len(k) for k in PHRASE_CUES)

# "<be> expected to", "<be> set to" …: the word before "to" → key.
EXPECTATION_CUES = {
    "expected": "expected to", "set": "set to", "poised": "poised to", "scheduled": "expected to",
    "slated": "expected to", "projected": "expected to", "forecast": "expected to",
    "predicted": "expected to", "tipped": "expected to", "favoured": "expected to",
    "favored": "expected to", "likely": "likely", "unlikely": "unlikely",
    "certain": "almost certain",
    "going": "will", "track": "expected to", "course": "expected to",
}
# Expectation words that need a form of "be" in front ("is set to"), else they mean something else.
NEEDS_BE = {"set", "going", "track", "course", "scheduled", "slated", "forecast", "predicted",
            "projected", "tipped", "favoured", "favored"}

# Intention verbs: "<subject> plans to <verb>".
# "aims to" is left out: a present aim is a claim ("Moscow still aims to take the region").
INTENTION_CUES = {"plans": "plans to", "plan": "plans to", "planning": "plans to",
                  "intends": "plans to", "intend": "plans to"}

# Expectation verbs: "<subject> expects <x> to <verb>" / "expects that …".
VERB_CUES = {"expects", "expect", "anticipates", "anticipate", "forecasts", "forecast",
             "predicts", "predict", "projects", "project", "foresees", "foresee", "expecting",
             "anticipating", "forecasting", "predicting", "projecting"}
# "the forecast calls for three major hurricanes"
CALLS_FOR = {"calls", "call", "calling"}
# Past tense used actively ("Biden predicted that …"); passive "is expected to" is elsewhere.
PAST_VERB_CUES = {"expected", "predicted", "projected", "anticipated", "forecasted"}
# "is projected at 4.2%", "is seen at 2%": an expectation stated as a value.
VALUE_CUES = {"projected", "forecast", "seen", "expected", "pegged"}
# A belief about what will happen ("it believes ongoing increases will be necessary").
BELIEF_VERBS = {"believes", "believe", "believed"}
CONTINUE = {"continue", "continues", "continued", "continuing"}
VERB_KEY = "expects"

MODALS = {"will": "will", "'ll": "will", "shall": "will", "won't": "will", "wont": "will",
          "may": "may", "might": "might", "could": "could", "couldn't": "could",
          "would": "would", "wouldn't": "would", "should": "should", "shouldn't": "should",
          "mightn't": "might"}
# Keys for reading modals that no scale lists; "should" (when about the future) reads as
# "probably", a reported "would" as "will".
MODAL_KEYS = {"would": "will", "should": "probably"}

# What a negated key reads as when forethought.domain.scales.NEGATIONS does not list it.
NEGATION_ALIASES = {"expects": "expected to", "set to": "expected to", "poised to": "expected to",
                    "plans to": "expected to"}

BE_PRESENT = {"is", "are", "'s", "am", "be", "remain", "remains", "seem", "seems", "look",
              "looks", "appear", "appears", "become", "becomes", "being", "isn't", "aren't",
              "now", "still", "also", "increasingly", "widely", "seen", "as", "considered",
              "thought", "judged", "assessed", "deemed", "viewed"}
BE_PAST = {"was", "were", "wasn't", "weren't", "been", "had"}
NEGATORS = {"not", "never", "n't", "no", "longer"}
DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "this",
               "that", "these", "those", "such", "some", "any", "every", "each"}

# Forms that report speech or belief: "X said Y will …" is X's forecast.
REPORTING_VERBS = (
    "said says say told tells stated states added adds noted notes warned warns predicted "
    "predicts forecast forecasts projected projects expects expect believes believe argued argues "
    "wrote writes cautioned cautions estimated estimates anticipates anticipate assessed assesses "
    "judged judges reported reports announced announces confirmed confirms acknowledged "
    "acknowledges admitted admits claimed claims accused accuses emphasized emphasised emphasizes "
    "emphasises reaffirmed reaffirms insisted insists denied denies stressed stresses pledged "
    "pledges vowed vows promised promises agreed decided signalled signaled hinted indicated "
    "explained explains concluded concludes testified disclosed revealed alleged alleges asserted "
    "asserts declared declares thinks think reckons suggested argue fear fears feared estimate "
    "warn report claim insist deny confirm acknowledge admit stress accuse write"
).split()
REPORTING = set(REPORTING_VERBS) | set(
    "adding saying warning noting arguing suggesting predicting claiming insisting stressing "
    "explaining cautioning announcing".split()
)
# A future complement of these is an announced decision (a claim), not a forecast.
ANNOUNCEMENT_VERBS = set(
    "announced announces confirmed confirms decided decides pledged pledges vowed vows promised "
    "promises agreed agrees declared declares unveiled".split()
)
# Reporting forms under which "would" is a reported "will".
REPORTED_FUTURE = set(
    "said says told expected expects predicted predicts forecast warned warns believed believes "
    "thought estimated signalled signaled indicated hinted insisted added noted stated argued "
    "projected reckoned suggested feared announced confirmed pledged promised vowed".split()
)
# "could not confirm", "could see": the past ability to perceive or verify, not a forecast.
PAST_ABILITY = set(
    "confirm verify reach say determine establish identify find tell get recall independently "
    "rule exclude conclude pinpoint ascertain attribute assess".split()
)
PERCEPTION = {"see", "hear"}
# A "would" in these is a counterfactual, not a forecast ("Excluding these factors, CPI would
# probably be well below target").
COUNTERFACTUAL = re.compile(r"^\W*(?:excluding|without|absent|but\s+for|otherwise|had|were)\b"
                            r"|\bif\b[^,]*\b(?:had|were)\b", re.IGNORECASE)
# "could not be ruled out", "could not be attributed": a limit of knowledge, not a forecast.
PAST_ABILITY_PASSIVE = set(
    "ruled excluded confirmed determined established attributed identified verified "
    "reached".split()
)
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those",
            "who", "which", "one"}

IRREGULAR_PAST = set(
    "was were had did said told rose fell grew began came went saw took made gave won lost beat "
    "led held met left hit spent sold bought paid found thought brought fought struck stood kept "
    "built sent ran drew became broke chose drove flew got knew spoke threw wrote sank slid swung "
    "tore overtook underwent withdrew shot sought caught taught fled bled slept wept dealt meant "
    "felt rode shook woke".split()
)
# "-ed" words that are not (or not usually) past-tense verbs.
NOT_PAST_ED = set(
    "need speed feed seed bleed breed proceed exceed succeed indeed red bed shed hundred embed "
    "weed greed creed deed heed reed steed wed naked wicked sacred beloved rugged ragged dogged "
    "crooked based related proposed planned expected scheduled anticipated projected estimated "
    "armed united limited advanced detailed skilled experienced increased reduced so-called "
    "supposed alleged continued renewed heightened intensified sustained elevated required "
    "unexpected unprecedented unresolved unsettled concerned interested balanced mixed "
    "sophisticated dedicated complicated prolonged combined coordinated targeted".split()
)

_INTERPRETIVE = (
    r"\b(?:indicates|indicate|indicating|suggests|suggest|suggesting|highlights|highlight"
    r"|highlighting|underscores|underscore|underscoring|underlines|underlining|signals|signalling"
    r"|signaling|reflects|reflecting|illustrates|illustrating|demonstrates|demonstrating"
    r"|points?\s+to|pointing\s+to|implies|implying|appears?\s+to|seems?\s+to|apparently"
    r"|is\s+a\s+sign|are\s+a\s+sign|is\s+a\s+testament|testifies|casts?\s+doubt"
    r"|calls?\s+into\s+question|remains?\s+(?:unclear|uncertain)|it\s+is\s+(?:unclear|uncertain)"
    r"|remains?\s+to\s+be\s+seen|too\s+early\s+to\s+(?:say|tell)"
    r"|raises?\s+(?:\w+\s+){0,3}(?:concerns?|questions?|doubts?|fears?|alarm|eyebrows|the\s+risk"
    r"|the\s+prospect|the\s+spectre|the\s+specter)"
    r"|(?:we|analysts?|i)\s+(?:assess|judge|believe|think)"
    r"|(?:cannot|can't|can\s+not|impossible\s+to|difficult\s+to|hard\s+to)\s+(?:predict|say"
    r"|tell|know|foresee))\b"
)
INTERPRETIVE = re.compile(_INTERPRETIVE, re.IGNORECASE)
# Prescriptions ("must", "needs to") are notes, unless someone is reported saying them.
NORMATIVE = re.compile(r"\b(?:must|need\s+to|needs\s+to|ought\s+to)\b", re.IGNORECASE)

BOILERPLATE = re.compile(
    r"^(?:copyright\b|©|all rights reserved|reporting by\b|editing by\b|additional reporting\b"
    r"|writing by\b|click here\b|subscribe\b|sign up\b|read more\b|related:|photo:|image:"
    r"|source:|follow us\b|share this\b|by [A-Z][a-z]+ [A-Z][a-z]+$)"
    r"|forward[- ]looking statements?\b|actual (?:results|events|outcomes) (?:may|could|might)"
    r" differ|undertakes? no (?:obligation|duty) to update|safe harbou?r",
    re.IGNORECASE,
)
