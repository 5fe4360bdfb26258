"""Forecaster names that print alike are one name, or refused.

`bob`, `Bob`, `bob` with a zero-width space and `bоb` with a Cyrillic `о` print the same, and a
track record split across them (or borrowed by an impostor) cannot be believed. So:

* every name is **normalised** when it is built (Unicode NFKC: fullwidth ``ｂｏｂ`` is ``bob``,
  ``ℓ`` is ``l``; surrounding white space dropped, inner runs made one space);
* a name holding an **invisible character** (a control, a format character such as U+200B or a
  bidirectional override, a separator other than the space, a filler that renders as nothing)
  is refused, naming the character;
* a **new** name whose *skeleton* equals an existing forecaster's is refused against it (the
  check needs the database: the services and the import engine make it). The skeleton folds
  case and maps the letters of other scripts that look like Latin letters, and the digits and
  letter pairs that pass for letters (``0``/``o``, ``1``/``l``, ``rn``/``m``), onto one form,
  after Unicode's confusable-detection idea (UTS #39); the table below covers the Latin
  look-alikes of Cyrillic, Greek and Armenian, not every script.
"""

from __future__ import annotations

import re
import unicodedata

# categories that print nothing or move text: controls, format characters (zero-width space,
# joiners, bidi controls, the BOM, tag characters), private use, surrogates, line and
# paragraph separators
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
# letters and symbols that render as blank space
_BLANKS = {0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x180E}
_SPACES = re.compile(" +")

# Latin look-alikes, lower case (the skeleton is case-folded first)
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "ь": "b", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i",
    "ј": "j", "к": "k", "ӏ": "l", "м": "m", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s",
    "т": "t", "у": "y", "ү": "y", "х": "x", "ԝ": "w", "ԁ": "d", "ɡ": "g", "с": "c",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ς": "s",
    # Armenian
    "օ": "o", "ս": "u", "ց": "g", "հ": "h", "ո": "n", "զ": "q",
    # Latin letters and digits that pass for others
    "ı": "i", "ɑ": "a", "ɩ": "i", "ʟ": "l", "0": "o", "1": "l", "|": "l",
}
_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def invisible(name: str) -> str | None:
    """The first character of ``name`` that prints nothing or moves text, else None (the
    spaces that NFKC turns into U+0020, such as U+00A0, are left to it)."""
    for ch in name:
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES or ord(ch) in _BLANKS:
            return ch
    return None


def normalised(name: str) -> str:
    """``name`` in NFKC with its white space tidied; raises ValueError for a name holding an
    invisible character.

    >>> normalised("  ｂｏｂ  smith ")
    'bob smith'
    """
    text = unicodedata.normalize("NFKC", name)
    ch = invisible(name) or invisible(text)  # name the character as typed where it can be
    if ch is not None:
        label = unicodedata.name(ch, "") or unicodedata.category(ch)
        raise ValueError(f"{name!r} holds an invisible character, U+{ord(ch):04X} "
                         f"({label.lower()}); type the name without it")
    return _SPACES.sub(" ", text).strip()


def skeleton(name: str) -> str:
    """The form two names share when they look alike: case folded, accents kept, letters of
    other scripts that look Latin (and ``0``, ``1``, ``rn``…) mapped to the Latin ones.

    >>> skeleton("Bob") == skeleton("bоb") == skeleton("b0b")
    True
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(_LOOKALIKES.get(ch, ch) for ch in folded)
    for pair, single in _PAIRS:
        text = text.replace(pair, single)
    return text


class Lookalikes:
    """The names a database holds, by skeleton: which existing name a new one would pass
    for. Existing names are never refused, even when two of them look alike already."""

    def __init__(self, names: set[str] | frozenset[str] = frozenset()) -> None:
        self.names: set[str] = set()
        self.by_skeleton: dict[str, str] = {}
        for name in sorted(names):
            self.add(name)

    def add(self, name: str) -> None:
        self.names.add(name)
        self.by_skeleton.setdefault(skeleton(name), name)

    def conflict(self, name: str) -> str | None:
        """The existing name ``name`` could be mistaken for (None when ``name`` is itself one
        of them, or looks like none)."""
        if name in self.names:
            return None
        return self.by_skeleton.get(skeleton(name))


def lookalike_message(name: str, existing: str) -> str:
    return (f"forecaster {name!r} looks like the forecaster {existing!r} (the names "
            "differ only in letter case or in characters that print alike); if that is you, "
            f"use {existing!r}, else choose a name that reads differently")
