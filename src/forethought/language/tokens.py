"""Tokens and the small word sets the cue scanner reads (general English, no topic words)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from forethought.language import lexicon as lx

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|['’]ll\b|\d+(?:[.,]\d+)*%?|\S")
ADVERBS = {"likely", "probably", "possibly", "potentially", "perhaps", "well", "also", "still",
            "soon", "then", "now", "eventually", "even", "only", "further", "yet", "ultimately",
            "already", "quickly", "again", "almost", "certainly", "very", "most", "highly",
            "likewise", "similarly", "therefore", "thus", "just", "all", "both",
            "gradually", "slowly", "sharply", "significantly", "continue", "increasingly"}
LOOKBACK_SKIP = {"all", "both", "now", "still", "also", "increasingly", "widely", "even", "more",
                  "twice", "times", "equally", "less",
                  "seen",
                  "as", "considered", "thought", "judged", "assessed", "deemed", "viewed",
                  "generally", "broadly", "therefore", "thus", "already", "heavily",
                  "strongly", "overwhelmingly", "firmly", "clearly", "well"}
PREDICATIVE_NEXT = {",", ".", ";", ":", "!", "in", "with", "by", "over", "within", "next",
                     "this", "as", "given", "before", "after", "during", "at", "if", "unless",
                     "again", "now", "soon", "later", "to", "that", "for", "—", "–", "-", ")",
                     "\"", "”", "'", "’", "once", "when", "and", "but", "while", "until"}
# "the will", "her will", "political will": the noun. After "this"/"that" it is the modal ("this
# will include …"); the noun there is caught by what follows it ("this will of the people").
WILL_NOUN_BEFORE = {"the", "a", "an", "its", "their", "his", "her", "our", "your", "my"} | {
    "political", "good", "free", "ill", "own", "popular",
                                      "strong", "collective", "last", "living"}
MIGHT_NOUN_BEFORE = lx.DETERMINERS | {"military", "economic", "naval", "industrial",
                                       "financial", "full", "with", "all", "its", "sheer"}
NOUN_NEXT = {"of", "in", "for", "on", "at", "by", "from", ",", ".", ";", "is", "are", "was",
              "were", "and", "or", "to", "that", "show", "shows", "showed", "suggest", ")"}
QUOTES = {"\"", "“", "”", "'", "‘", "’"}
PREPOSITIONS = {"of", "for", "with", "to", "in", "on", "by", "from", "at", "about"}
COMPLEMENT_TAKERS = (
    set(lx.REPORTING_VERBS) | lx.VERB_CUES
    | set("likely unlikely possible probable certain clear chance possibility risk likelihood "
          "hope hopes concern concerns fear fears expectation expectations sign signs so now "
          "assessment view belief danger warning warnings prospect odds probability is was are "
          "were means mean show shows showed suggests suggest indicate indicates indicating "
          "think know knows assess judge estimate note warn given such evidence suggesting "
          "showing signal signals".split())
)
WILL_LIKE = {"will", "would", "should"}
ADVERB_CUES = {"very", "highly", "quite", "far", "probably", "likely", "possibly", "almost",
                "certainly", "most", "perhaps", "potentially", "increasingly"}
UNCERTAIN_HEADS = {"unclear", "uncertain", "know", "knows", "say", "predict", "tell", "ask",
                    "asked", "wonder", "wondered", "see", "decide", "clear", "sure", "determine",
                    "assess", "discuss", "debate", "consider", "question", "prediction", "about",
                    "of", "on", "over", "sense", "idea", "guess"}
GENERIC_ADVERBS = {"always", "sometimes", "often", "usually", "ever", "generally"}
NEGATIVE_SUBJECTS = {"neither", "nobody", "none", "no"}
QUESTION_WORDS = {"whether", "if", "when", "how", "what", "why"}
BASE_SUBJECTS = {"we", "they", "i", "you", "do", "don't", "not", "also", "still", "now", "n't",
                  "generally", "broadly"}
DO_FORMS = {"do", "does", "don't", "doesn't", "also", "still"}
NEVER_NOUNS = {"expect", "expects", "anticipate", "anticipates", "foresee", "foresees",
                "predict", "predicts"}
BE_CONTRACTED = {"it's", "that's", "there's", "what's", "he's", "she's", "isn't", "aren't",
                  "wasn't", "weren't", "they're", "we're", "you're"}
CHANCE_NOUNS = {"chance", "chances", "probability", "likelihood", "odds", "risk"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "hundred": 100}
_PCT = r"\s*(?:%|percent|per\s+cent)"
# "a better than 50% chance", "less than 10 percent": a bound written before the number.
BOUND = re.compile(r"\b(?P<op>better\s+than|more\s+than|greater\s+than|at\s+least|less\s+than"
                   r"|no\s+more\s+than|under)\s+$", re.IGNORECASE)
BOUND_ABOVE = {"better than", "more than", "greater than", "at least"}
# "a 50%-55% chance", "a 50-50 chance": a range, read at its middle.
EXPLICIT_RANGE = re.compile(
    rf"(?P<lo>\d{{1,3}}(?:\.\d+)?)(?:{_PCT})?\s*(?:-|–|to)\s*(?P<hi>\d{{1,3}}(?:\.\d+)?)"
    rf"(?:{_PCT})?\s+(?:chance|probability|likelihood|odds)\b",
    re.IGNORECASE,
)
# "the chance of the coldest scenario happening is between 20 and 25 per cent", "the probability
# of an above-normal season has risen from 60% to 65%", "the chances of an El Niño occurring
# from the climatological 35% to 45%": the noun first, the number after the event.
EXPLICIT_NOUN_FIRST = re.compile(
    r"(?:chances?|probability|likelihood|odds)\s+(?:of|that)\s+(?P<event>(?:[\w'’.-]+\s+){1,10}?)"
    r"(?:(?:is|are|was|were|stands?\s+at|has\s+(?:risen|increased|grown|fallen|dropped)"
    r"|rose|increased|grew|fell|dropped)\s+)?"
    rf"(?:from\s+(?:[\w-]+\s+){{0,2}}?\d{{1,3}}(?:\.\d+)?(?:{_PCT})?\s+to\s+|to\s+|(?:about|around"
    rf"|roughly|nearly|between)\s+)?(?P<lo>\d{{1,3}}(?:\.\d+)?)(?:{_PCT})?"
    rf"(?:\s*(?:and|to|-|–)\s*(?P<hi>\d{{1,3}}(?:\.\d+)?))?{_PCT}",
    re.IGNORECASE,
)
# "(10% chance)", "(60%)" right after the clause it qualifies.
EXPLICIT_BRACKETED = re.compile(
    rf"\(\s*(?P<lo>\d{{1,3}}(?:\.\d+)?){_PCT}(?:\s+(?:chance|probability|likelihood))?\s*\)",
    re.IGNORECASE,
)
EXPLICIT = re.compile(
    r"(?P<pct>\d{1,3}(?:\.\d+)?)\s*(?:%|percent|per\s+cent)\s+(?:chance|probability|likelihood"
    r"|odds|risk)\b"
    r"|(?P<a>\d+|one|two|three|four|five)[\s-]+in[\s-]+(?P<b>\d+|[a-z]+)[\s-]+(?:chance"
    r"|probability|likelihood|odds|risk)\b"
    r"|(?:chance|probability|likelihood|odds|risk)\s+(?:of\s+)?(?:about\s+|around\s+|roughly\s+"
    r"|some\s+|nearly\s+)?(?P<pct2>\d{1,3}(?:\.\d+)?)\s*(?:%|percent|per\s+cent)"
    r"|(?:odds|probability|chances?|likelihood|risk)\s+of\s+(?P<event3>(?:[\w'’-]+\s+){1,8}?)at\s+(?:about\s+"
    r"|around\s+|roughly\s+|some\s+|nearly\s+)?(?P<pct3>\d{1,3}(?:\.\d+)?)\s*(?:%|percent"
    r"|per\s+cent)",
    re.IGNORECASE,
)


def number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


@dataclass(frozen=True)
class Token:
    text: str
    low: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.group(0).lower().replace("’", "'"), m.start(), m.end())
            for m in TOKEN.finditer(text)]


def is_past_word(tok: Token) -> bool:
    low = tok.low
    return low in lx.IRREGULAR_PAST or (
        tok.text.islower() and low.endswith("ed") and len(low) > 4 and low not in lx.NOT_PAST_ED
    )


_LY_VERBS = {"apply", "supply", "reply", "rely", "comply", "fly", "ally", "multiply", "imply",
             "rally", "tally", "bully", "assembly", "family", "italy", "july"}


def is_ly_adverb(low: str) -> bool:
    """"conclusively", "significantly": an adverb between a modal and its verb."""
    return len(low) >= 6 and low.endswith("ly") and low not in _LY_VERBS


def negated(tokens: list[Token]) -> bool:
    lows = [t.low for t in tokens]
    if any(t.endswith("n't") for t in lows) or "not" in lows or "never" in lows:
        return True
    return "no" in lows and "longer" in lows
