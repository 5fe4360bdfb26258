"""Clause structure by rule: conditions, subordinate and relative clauses, coordination, and who
is speaking. All offsets are relative to the sentence given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forethought.language import lexicon as lx


@dataclass(frozen=True)
class Condition:
    start: int
    end: int
    text: str  # "if talks collapse", "unless the court intervenes"
    leading: bool = False


@dataclass(frozen=True)
class Attribution:
    speaker: str | None  # None: a pronoun or the first person (the source itself)
    start: int
    end: int
    verb: str


_LEAD_SUB = re.compile(
    r"^\s*(?:(?:and|but|so|yet)\s+)?(?:As|While|Although|Though|Because|Since|After|Before|When"
    r"|Whenever|Once|Despite|Amid|Amidst|Given|With|Following|Ahead\s+of|Even\s+if|Even\s+though"
    r"|Whether)\b[^,;]*,"
)
_LEAD_COND = re.compile(
    r"^\s*(?:(?:and|but|so|yet)\s+)?(?P<kw>(?i:if|unless|in\s+the\s+event\s+that|provided\s+that"
    r"|as\s+long\s+as)|Should)\b(?P<body>[^,;]*),"
)
_TRAIL_COND = re.compile(
    r"(?<!\beven)(?<!\bas)(?<!\bwhat)\s(?P<kw>if|unless|provided\s+that|as\s+long\s+as"
    r"|in\s+the\s+event\s+that)\s(?!any\b|anything\b|ever\b|not\b|necessary\b|needed\b|so\b)"
    r"(?P<body>[^,;]*?)(?=\s*[,;]|\s*[.!]?[\"”']?\s*$)",
    re.IGNORECASE,
)
# Asides whose modals are not the main predicate: non-restrictive relatives, brackets, dashes,
# and a concession in mid-sentence ("The MoD says despite Moscow saying it plans to …, …").
_RELATIVE = re.compile(r",\s*(?:of\s+)?(?:which|who|whom|whose|where)\b[^,;(]*(?:\([^)]*\)[^,;(]*)*"
                       r"|\([^)]*\)|—[^—]*—"
                       r"|\b(?:despite|in\s+spite\s+of)\s+[^,;]*,")
_MODAL = r"(?:will|would|could|may|might|should|can|does|do|is|are)\b"
# ", nor will the capture of Severodonetsk", ", as would a cold winter": an elliptical clause.
_HARD_SPLIT = re.compile(
    r";\s*|,\s*(?:and|but|while|whereas|yet|though|although)\s+(?!also\b)"
    r"|\s+(?:but|whereas|while)\s+(?!also\b)"
    rf"|,\s*(?=nor\s+{_MODAL})|,\s*(?=as\s+{_MODAL})"
)
# Two forecasts only when both sides have a cue: "… and Y will …", ", with upland areas likely
# to be wetter", ", as Asia is projected to surpass …".
_SOFT_SPLIT = re.compile(r"\s+and\s+(?=(?:(?!and\b|or\b)[\w'’-]+\s+){1,5}?(?:will|won['’]t|may"
                         r"|might|could|shall|(?:is|are)\s+(?:\w+\s+)?(?:likely|unlikely"
                         r"|expected|set|poised)\s+to)\b)"
                         r"|,\s*(?=with\s[^,;]*\b(?:likely|unlikely|expected|projected|set|poised"
                         r"|could|may|might|will|should|chance|probability)\b)"
                         r"|,\s*(?=as\s+(?!\w+ly\b))"
                         r"|,\s+(?=(?:(?!and\b|or\b|which\b|who\b|when\b|where\b|if\b|as\b|because\b"
                         r"|since\b|that\b|while\b|but\b|yet\b|though\b|although\b|whereas\b|so\b)"
                         r"[\w'’-]+\s+){1,3}?(?:would|will|could|may|might)\b)")


# A date that dates the report, not the event: "said on Thursday", "released late Monday",
# "in their daily update on June 23", "issued in May", "by announcing Wednesday that".
_FRAME_DATE = re.compile(
    r"(?:(?<!\bbe\s)\b(?:said|says|told|tells|reported|reports|released|published|announced"
    r"|announcing|issued|stated|wrote|warned|added|noted|confirmed|testified|briefed)"
    r"(?:\s+(?:to\s+)?(?:reporters|journalists|lawmakers|in\s+an?\s+\w+))?"
    r"|\b(?:update|statement|briefing|conference|interview|remarks)(?=\s+on\b))"
    r"\s+(?:(?:on|in|late|early|last|this)\s+)*(?:\w+day\s+)?(?:\(\s*)?$",
    re.IGNORECASE,
)


def frame_date(text: str, at: int) -> bool:
    """Whether the time expression at ``at`` dates a statement ("said on Thursday"); its own
    leading "on"/"in" is read with what comes before it."""
    lead = re.match(r"(?:on|in)\s+", text[at:])
    head = text[max(0, at - 60) : at] + (lead.group(0) if lead else "")
    return bool(_FRAME_DATE.search(head))


def leading_subordinate(text: str) -> tuple[int, int] | None:
    m = _LEAD_SUB.match(text)
    return (m.start(), m.end()) if m else None


def conditions(text: str) -> list[Condition]:
    """Leading ("If X, …", "Should X happen, …") and trailing ("… unless X") conditions."""
    found: list[Condition] = []
    m = _LEAD_COND.match(text)
    if m:
        kw = m.group("kw")
        body = " ".join(m.group("body").split())
        words = "if " + body if kw == "Should" else f"{kw.lower()} {body}"
        found.append(Condition(m.start("kw"), m.end() - 1, words, leading=True))
    for t in _TRAIL_COND.finditer(text):
        if found and t.start() < found[0].end:
            continue
        words = f"{t.group('kw').lower()} {' '.join(t.group('body').split())}"
        found.append(Condition(t.start("kw"), t.end(), words))
    return found


def relative_masks(text: str) -> list[tuple[int, int]]:
    """Non-restrictive relative clauses and asides: their modals are not the main predicate."""
    return [(m.start(), m.end()) for m in _RELATIVE.finditer(text)]


_PRONOUN = re.compile(r",\s*(?:of\s+(?:which|whom)|which|who|where)\s+")


def relative_bodies(text: str) -> list[tuple[int, int, bool]]:
    """The bodies of non-restrictive relative clauses (after ", which", ", where", ", of which")
    and whether the pronoun is a bare "which" (a consequence of what precedes it)."""
    out = []
    for start, end in relative_masks(text):
        m = _PRONOUN.match(text, start)
        if m is not None:
            out.append((m.end(), end, m.group(0).strip(", ").lower() == "which"))
    return out


def _top_level(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) <= text.count(")", 0, pos)


_OPEN_THAT = re.compile(r"\bthat\s*,[^;]*$")


def split_points(text: str) -> list[tuple[int, int, bool]]:
    """Places where a sentence may hold two clauses: (start, end, soft). A soft split (a bare
    " and " before a new subject and a modal) counts only when both sides are forecasts."""
    points = []
    for pattern, soft in ((_HARD_SPLIT, False), (_SOFT_SPLIT, True)):
        for m in pattern.finditer(text):
            before = text[: m.start()].split()[-1:]
            if before and before[0].lower() in ("all", "anything", "nothing", "a"):
                continue
            if soft and _OPEN_THAT.search(text, 0, m.start()):
                continue  # "expect that, with gradual adjustments …, activity will expand"
            if _top_level(text, m.start()):
                points.append((m.start(), m.end(), soft))
    return sorted(set(points))


# -- attribution --------------------------------------------------------------------------------
_VERBS = "|".join(sorted(lx.REPORTING_VERBS, key=len, reverse=True))
_GENERAL = re.compile(
    rf"\b(?:(?:has|have|had)\s+)?(?:(?:also|reportedly|previously|publicly|repeatedly|again"
    rf"|recently|already|now|still|formally|officially)\s+)?(?P<v>{_VERBS})\b"
)
_NOUNY = {"states", "notes", "claims", "reports", "estimates", "forecasts", "projects", "promises",
          "pledges", "vows", "adds", "concludes", "signals", "forecast", "say", "accuses",
          "alleges", "denies", "agreed", "decided", "fear", "fears"}
_NEXT_OK = re.compile(r"\s+(?:that\b|the\b|a\b|an\b|it\b|its\b|they\b|he\b|she\b|we\b|there\b"
                      r"|[A-Z0-9$])")
_PASSIVE = re.compile(
    r"\b(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+(?:\w+\s+)?(?:reported|confirmed"
    r"|announced|said|stated|claimed|acknowledged|estimated|predicted|forecast)\s+by\s+"
    r"(?P<np>[^,.;]+)"
)
_NOMINAL = re.compile(
    r"\b(?:acknowledge?ment|admission|statement|announcement|report|claim|confirmation"
    r"|assessment|estimate|warning|data|figures)\s+(?:by|from)\s+(?P<np>(?:the\s+)?"
    r"[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*)"
)
_NP_CHARS = r"(?:[^,.;]|\.(?=[\w-]))+"  # a period inside "U.S.-based" or "U.K. Met Office"
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<np>{_NP_CHARS})", re.IGNORECASE)
# "In the ISW's assessment, …"
_IN_VIEW = re.compile(r"\b[Ii]n\s+(?P<np>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)['’]s?\s+"
                      r"(?:assessment|view|judgement|judgment|estimate|forecast|analysis|opinion)\b")
_BRACKETED = re.compile(r"\([^()]*\)")
_WITH_PARTICIPLE = re.compile(
    r"\bwith\s+(?P<np>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)\s+(?:admitting|saying"
    r"|claiming|reporting|acknowledging|warning|confirming|conceding)\b"
)
_PUTS_ODDS = re.compile(r"(?:^|,\s*)(?P<np>[^,;]{2,60}?)\s+puts?\s+the\s+(?:odds|probability"
                        r"|chances?|likelihood|risk)\b")
_INVERTED = re.compile(r",\s*[\"”]?\s*(?P<v>said|says|added|noted|warned|wrote)\s+"
                       rf"(?P<np>{_NP_CHARS})")
_NP_BAD = re.compile(r"\b(?:will|would|may|might|could|should|is|are|was|were|has|have|had|be"
                     r"|been|being|it['’]s|not|can|do|does|did)\b|^(?:the|a|an)$|\bto\s+(?!the\b|a\b|an\b"
                     r"|its\b|their\b|[A-Z])", re.IGNORECASE)
# What may follow a frame at the end of a sentence (", X said on Tuesday, the chief negotiator.").
_TRAILING = re.compile(r"(?:,\s*[^,;.]{1,60})?(?:\s+(?:on\s+\w+|in\s+an?\s+\w+(?:\s+\w+)?"
                       r"|last\s+\w+|earlier|today|yesterday|this\s+week|to\s+\w+|reporters"
                       r"|[A-Z]\w+day"
                       r"|(?:at|in|on|during|after|from|with|for)\s+[^,;.]{1,50}))*"
                       r"\s*[.!]?[\"”'’]?\s*$")
_NP_TAIL = re.compile(r"\s+(?:on\s+\w+day|last\s+\w+|earlier(?:\s+this\s+\w+)?|on\s+[A-Z]\w+\s+\d+"
                      r"|this\s+week|yesterday|today|in\s+a\s+statement|in\s+an?\s+\w+)$")


def speaker_of(raw: str, limit: int = 12, loose: bool = False) -> tuple[bool, str | None]:
    """(valid, speaker) for a noun phrase in front of a reporting verb (``loose``: after
    "according to", where any noun phrase names the source)."""
    np = " ".join(raw.split())
    np = re.sub(r"^(?:and|but|so|while|as|then|now|also)\s+", "", np, flags=re.IGNORECASE)
    np = _NP_TAIL.sub("", np).strip(" \"'“”‘’")
    if not np or len(np.split()) > limit or _NP_BAD.search(np):
        return False, None
    if np.lower() in lx.PRONOUNS:
        return True, None
    words = np.split()
    plural = words[-1].endswith("s") and not words[-1].endswith(("'s", "’s"))
    if not (loose or np[0].isupper() or np[0].isdigit() or words[0].lower() in _GENERIC_HEADS
            or (len(words) <= 5 and plural)):
        return False, None
    if re.match(r"the\s+[A-Z]", np):
        np = np[4:]
    return True, np


_GENERIC_HEADS = set(
    "officials analysts economists experts investors traders the a some many several two three "
    "both senior local western government police researchers scientists forecasters observers "
    "diplomats sources residents witnesses authorities critics lawmakers executives managers "
    "its their his her our".split()
)


def attribution(text: str, before: int | None = None) -> Attribution | None:
    """Who the sentence says is speaking, or ``None`` when it is the source's own voice.
    ``before`` keeps only frames that start before that offset (or trail the sentence)."""
    found: list[Attribution] = []
    for m in _GENERAL.finditer(text):
        verb = m.group("v")
        if verb in _NOUNY and not _NEXT_OK.match(text, m.end()):
            continue
        head = _BRACKETED.sub(lambda b: " " * len(b.group(0)), text[: m.start()])
        that = list(re.finditer(r"\bthat\s", head))  # "reported that X said": X
        cut = max([head.rfind(c) for c in ",;:(\"“”"] + [t.end() - 1 for t in that[-1:]])
        ok, who = speaker_of(text[cut + 1 : m.start()])
        if ok:
            start = cut + 1 + (len(head[cut + 1 :]) - len(head[cut + 1 :].lstrip()))
            found.append(Attribution(who, start, m.end(), verb))
    for pattern, verb in ((_PASSIVE, "by"), (_NOMINAL, "by"), (_ACCORDING, "according to"),
                          (_WITH_PARTICIPLE, "with"), (_INVERTED, "said"), (_PUTS_ODDS, "put"),
                          (_IN_VIEW, "in the view of")):
        for m in pattern.finditer(text):
            np = re.split(r"\s+(?:that|who|which|on|during|after|before|when|while|in\s+(?:an?"
                          r"|their|its|his|her)\b)\b", m.group("np"))[0]
            ok, who = speaker_of(np, limit=20, loose=pattern is _ACCORDING)
            if ok and who is not None:
                found.append(Attribution(who, m.start(), m.end(), verb))
    if before is not None:
        found = [a for a in found if a.start < before or _TRAILING.match(text, a.end)]
    found.sort(key=lambda a: (a.speaker is None, a.start))  # a named speaker beats "we"
    return found[0] if found else None
