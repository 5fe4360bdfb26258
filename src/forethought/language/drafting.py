"""Draft a question title and resolution criteria from a forecast clause, by rule.

The title states the checkable event, never the hedge:

* a subject and a base-form verb phrase: "<subject> could alter the balance …" → "Will <subject>
  alter the balance … by February 26, 2025?";
* a noun phrase when the forecast names an event without a verb ("a 45 percent chance of an above
  normal season", "further military engagements are likely", "expects a rebound") → "Will there be
  an above normal season by August 23, 2017?";
* otherwise the clause itself with its hedge and reporting frame taken out → "By <date>, will it be
  the case that <event>?".

A person edits either before accepting; nothing here decides what is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from forethought.language import lexicon as lx
from forethought.language.cues import CueHit, find_cues, main_cue

_CUT = re.compile(r"\s*(?:[,;:]|\s[—–-]\s|—|\.\s|\.$|[\"”]$)")
_VERBS = "|".join(sorted(lx.REPORTING | {"assess", "judge"}, key=len, reverse=True))
# "said on Monday that", "officials said", "We assess that": the frame, not the event.
_REPORTING_TAIL = re.compile(
    rf"^.*\b(?:{_VERBS})\b(?:(?:\s+[^\s,]+){{0,4}}?\s+that\b)?\s+", re.IGNORECASE
)
_LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|so|yet|while|whereas|that|then|also|thus|therefore|nor|as|with|only"
    r"|though|although)\s+)+", re.IGNORECASE
)
_LEADING_AUX = re.compile(
    r"^(?:(?:will|would|could|may|might|should|shall|can|also|still|now|then|only|likely"
    r"|probably|possibly|almost|certainly|very|most|further|even|instead|eventually|soon|not"
    r"|never|to)\s+)+", re.IGNORECASE
)
_THAT = re.compile(r"\bthat\s*$", re.IGNORECASE)  # "a roughly even chance that <clause>"
_QUOTES = re.compile(r"[\"“”]|(?<!\w)['‘’]|['‘’](?!\w)")
COMMON_STARTS = set(
    "prices inflation growth demand supply rates interest unemployment sales revenue earnings "
    "profits fighting talks negotiations analysts officials economists investors markets stocks "
    "shares oil gas output exports imports wages spending consumers households borrowing lending "
    "further increased more new higher lower both all any no each other such global overall "
    "continued rising falling heavy strong weak renewed additional policymakers investigators "
    "forecasters scientists temperatures rain regional risks it they there this that these those "
    "recent neutral interest storm".split()
) | lx.DETERMINERS
# Verbs whose -ing form drops an "e" ("taking" → "take"); the rest are read by rule.
_E_VERBS = set("tak mak hav becom com giv leav mov achiev reduc increas decreas rais los us "
               "continu issu argu pursu ris stri driv los clos releas purchas surpris prov "
               "receiv serv sav chang charg emerg merg hous manag".split())


@dataclass(frozen=True)
class Event:
    """What a title asks about: a subject and a base-form predicate, or a noun phrase."""

    subject: str | None = None
    predicate: str | None = None
    noun: str | None = None


def _fmt(d: date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _remove(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without ``spans`` (overlapping spans are merged first)."""
    merged: list[list[int]] = []
    for s, e in sorted((max(0, s), min(len(text), e)) for s, e in spans if s < e):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in reversed(merged):
        text = text[:s] + " " + text[e:]
    return text


def _clean(text: str) -> str:
    text = " ".join(_QUOTES.sub("", text).split())
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text.strip(" ,;:.—–-")


_ASIDES = {"meanwhile", "however", "therefore", "though", "moreover", "also", "still", "thus",
           "consequently", "instead", "too", "in turn", "as a result", "for now"}


def _subject(raw: str) -> str:
    pieces = [p for p in re.split(r"[,;:]", raw) if p.strip() and p.strip().lower() not in _ASIDES]
    raw = pieces[-1] if pieces else ""
    raw = _REPORTING_TAIL.sub("", raw)
    return _LEADING_JUNK.sub("", _clean(raw))


def _predicate(raw: str) -> str:
    cut = _CUT.search(raw)
    raw = raw[: cut.start()] if cut else raw
    raw = re.sub(r"^(?:not|never|n't)\s+", "", raw.strip(), flags=re.IGNORECASE)
    return _LEADING_AUX.sub("", _clean(raw))


def base_form(word: str) -> str:
    """The base form of an -ing verb ("winning" → "win", "continuing" → "continue")."""
    low = word.lower()
    if not low.endswith("ing") or len(low) < 5:
        return word
    stem = low[:-3]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if stem in _E_VERBS:
        return stem + "e"
    return stem


def _participle(noun: str) -> Event | None:
    """"an El Niño occurring" → (an El Niño, occur); "winning the tournament" has no subject."""
    words = noun.split()
    for k, w in enumerate(words):
        if k > 0 and w.lower().endswith("ing") and len(w) > 5 and w.islower():
            rest, verb = " ".join(words[k + 1 :]), base_form(w)
            if verb in ("occur", "happen", "develop", "emerge") and not rest:
                return Event(noun=" ".join(words[:k]))  # "an El Niño occurring"
            return Event(" ".join(words[:k]), " ".join(filter(None, [verb, rest])))
    return None


def _noun(raw: str) -> Event:
    noun = _predicate(raw)
    return _participle(noun) or Event(noun=noun)


_MODALS = {"will", "would", "could", "can", "may", "might", "should", "shall"}
_IRREGULAR = {"is": "be", "are": "be", "has": "have", "does": "do", "goes": "go"}


def present_base(word: str) -> str | None:
    """The base form of a third-person present verb ("passes" → "pass", "carries" → "carry",
    "wins" → "win"), or None when ``word`` is not one."""
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if not low.isalpha() or len(low) < 3 or not low.endswith("s") or \
            low.endswith(("ss", "us", "is", "ous")):
        return None
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")):
        return low[:-2]
    return low[:-1]


_LINKS = {"of", "in", "on", "at", "for", "to", "from", "by", "with", "and", "or", "than", "as",
          "that", "which", "who", "over", "under", "about", "into", "after", "before"}


def _plural_subject(words: list[str]) -> bool:
    """"the talks", "Russia's forces": a determiner or possessive, then a plural noun."""
    return (len(words) >= 2 and words[-1].lower().endswith("s") and words[-1].isalpha()
            and (words[-2].lower() in lx.DETERMINERS or words[-2].endswith("'s")))


def _finite(raw: str) -> Event | None:
    """A "that"-clause as subject and base-form predicate: "Congress passes the Act" →
    (Congress, pass the Act); "the court will rule" → (the court, rule). None when no finite
    verb follows a short subject."""
    words = _predicate(raw).split()
    for k, word in enumerate(words[1:7], start=1):
        if not word.islower() or words[k - 1].lower() in lx.DETERMINERS:
            continue
        low = word.lower()
        if low in _MODALS:
            rest = [w for w in words[k + 1:] if w.lower() not in ("not", "never")]
            verb = rest[:1]
        elif _plural_subject(words[:k]) and low.isalpha() and low not in _LINKS:
            verb = [low]  # "the talks collapse": a plural subject takes the base form
            rest = [low, *words[k + 1:]]
        else:
            verb = [present_base(word) or ""]
            rest = [*verb, *words[k + 1:]] if verb[0] else []
        if rest and verb and verb[0]:
            return Event(" ".join(words[:k]), " ".join(rest))
    return None


def _event(clause: str, hit: CueHit, spans: list[tuple[int, int]]) -> Event | None:
    """The event of ``clause`` (``spans`` left out), or None when it does not split cleanly."""
    def blank(a: int, b: int | None) -> str:
        b = len(clause) if b is None else b
        kept = [(max(s, a) - a, min(e, b) - a) for s, e in spans if s < b and e > a]
        return _remove(clause[a:b], kept)

    if hit.complement is not None:
        sub = clause[hit.complement : hit.complement_end]
        shifted = [(s - hit.complement, e - hit.complement) for s, e in spans]
        inner = main_cue(find_cues(sub, shifted, forward=True))
        if inner is not None and inner.kind != "adv-alone" and inner.pred_start is not None:
            end = None if hit.complement_end is None else hit.complement_end
            predicate = _predicate(blank(hit.complement + inner.pred_start, end))
            return Event(_subject(blank(hit.complement, hit.complement + inner.aux_start)),
                         predicate)
        if hit.kind in ("chance", "explicit", "verb"):
            text = blank(hit.complement, hit.complement_end)
            finite = _finite(text) if _THAT.search(clause[: hit.complement]) else None
            return finite or _noun(text)
        return None
    if hit.kind in ("adv-alone", "chance", "explicit"):
        return None  # "CSU … forecast a 45% chance.": no event is named
    if hit.subject is not None and hit.pred_start is None:
        return _noun(blank(*hit.subject))  # "expects a rebound", "predict four hurricanes"
    subject = _clean(blank(*hit.subject)) if hit.subject is not None else \
        _subject(blank(0, max(0, hit.aux_start)))
    if hit.pred_start is None:
        return Event(noun=subject) if subject else None  # "further engagements are likely"
    predicate = _predicate(blank(hit.pred_start, None))
    first = predicate.split(" ", 1)
    if first and first[0].lower().endswith("ing"):  # "is seen easing to 2%"
        predicate = " ".join([base_form(first[0])] + first[1:])
    elif first and first[0].lower() in ("at", "in", "on", "above", "below", "around", "near"):
        predicate = f"be {predicate}"  # "is projected at 4.2%"
    return Event(subject, predicate) if predicate else None


def _case(text: str, is_proper: Callable[[str], bool]) -> str:
    first = text.split(" ", 1)[0]
    if not first or first.isupper() or is_proper(first):
        return text
    if first.lower() in COMMON_STARTS or first.lower().endswith(("ed", "ing")):
        return first.lower() + text[len(first) :]
    return text


def _statement(clause: str, hit: CueHit | None, spans: list[tuple[int, int]]) -> str:
    """The clause as a plain statement: the frame, the cue and the left-out spans removed."""
    cut = list(spans)
    if hit is not None and 0 <= hit.start < hit.end <= len(clause):
        cut.append((max(0, min(hit.aux_start, hit.start)), hit.end))
    text = _clean(_remove(clause, cut))
    bare = _LEADING_JUNK.sub("", _REPORTING_TAIL.sub("", text))
    if len(bare.split()) >= 2:
        return bare
    # "CSU faculty and staff forecast a 45% chance.": the event is not in the sentence; keep
    # what is there for the person who edits the title.
    return re.sub(r"(?:\s+(?:a|an|the|of|that|to))+$", "", text, flags=re.IGNORECASE)


def draft(
    clause: str,
    hit: CueHit | None,
    *,
    spans: list[tuple[int, int]],
    resolve_by: date,
    condition: str | None,
    inherited_subject: str | None = None,
    is_proper: Callable[[str], bool] = lambda w: False,
) -> tuple[str, str, str | None]:
    """Return (title, criteria, subject). ``spans`` are clause-relative parts to leave out (the
    time expression, conditions, asides, the "X said" frame)."""
    event = _event(clause, hit, spans) if hit is not None else None
    when = _fmt(resolve_by)
    lead = f"{condition[0].upper()}{condition[1:]}, will" if condition else "Will"
    subject: str | None = None
    if event is not None and event.predicate:
        subject = _case(event.subject or inherited_subject or "it", is_proper)
        title = f"{lead} {subject} {event.predicate} by {when}?"
        happened = f"{subject} did {event.predicate}"
    elif event is not None and event.noun:
        noun = _case(event.noun, is_proper)
        title = f"{lead} there be {noun} by {when}?"
        happened = f"there was {noun}"
    else:
        statement = _case(_statement(clause, hit, spans), is_proper) or _clean(clause)
        opening = f"{condition[0].upper()}{condition[1:]}, by" if condition else "By"
        title = f"{opening} {when}, will it be the case that {statement}?"
        happened = statement
    criteria = (f"Resolves YES if credible public reporting shows that, on or before "
                f"{resolve_by.isoformat()}, {happened}. Resolves NO otherwise.")
    if condition:
        criteria += f" Annulled if, by then, the condition did not hold ({condition})."
    return title, criteria, subject
