"""Forecaster names (issue #12, item 10): normalised when built, invisible characters refused,
look-alikes mapped to one skeleton."""

from __future__ import annotations

import re

import pytest

from forethought.domain.names import Lookalikes, normalised, skeleton


@pytest.mark.parametrize(("typed", "stored"), [
    ("bob", "bob"), ("  bob  ", "bob"), ("ｂｏｂ", "bob"), ("bob\u00a0smith", "bob smith"),
    ("ℓisa", "lisa"), ("Zoë", "Zoë"), ("Zoe\u0308", "Zoë"), ("李雷", "李雷"),
])
def test_names_are_normalised(typed, stored):
    assert normalised(typed) == stored


@pytest.mark.parametrize(("typed", "code"), [
    ("bob\u200b", "U+200B"), ("\u200dbob", "U+200D"), ("bo\u202eb", "U+202E"),
    ("bob\ufeff", "U+FEFF"), ("b\u3164ob", "U+3164"), ("bob\u2028x", "U+2028"),
    ("bo\u00adb", "U+00AD"), ("b\U000e0062ob", "U+E0062"),
])
def test_invisible_characters_are_refused(typed, code):
    with pytest.raises(ValueError, match=re.escape(f"holds an invisible character, {code} ")):
        normalised(typed)


@pytest.mark.parametrize("other", ["Bob", "BOB", "b\u043eb", "\u0412ob", "b\u03bfb", "b0b",
                                   "ｂｏｂ"])
def test_look_alikes_share_a_skeleton(other):
    assert skeleton(other) == skeleton("bob")


@pytest.mark.parametrize("other", ["rob", "bobby", "bib", "Zoë"])
def test_different_names_do_not(other):
    assert skeleton(other) != skeleton("bob")


def test_existing_names_are_never_refused_only_new_ones():
    names = Lookalikes({"bob", "Bob"})
    assert names.conflict("bob") is None and names.conflict("Bob") is None
    assert names.conflict("BOB") == "Bob"  # sorted: "Bob" comes first
    assert names.conflict("rnary") is None
    names.add("mary")
    assert names.conflict("rnary") == "mary"
