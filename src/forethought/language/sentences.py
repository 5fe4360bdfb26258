"""Sentence spans with exact character offsets.

Each line of a document is its own paragraph: a headline line without final punctuation is a
sentence of its own and never runs into the next line. Inside a line pysbd (rule-based, offline)
finds the boundaries; its output is located back in the line so offsets stay exact.
"""

from __future__ import annotations

import re
from functools import lru_cache

# pysbd is quadratic on very long lines; lines are cut into blocks of about this size first, at
# a boundary pysbd would almost certainly also choose.
_BLOCK = 3000
_SAFE_BREAK = re.compile(r"(?<=[a-z0-9\)\]][.!?])[\"'”’)]?\s+(?=[A-Z\"“‘(])")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _blocks(line: str) -> list[tuple[int, int]]:
    if len(line) <= _BLOCK:
        return [(0, len(line))]
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SAFE_BREAK.finditer(line):
        if m.end() - start >= _BLOCK:
            word = line[max(0, m.start() - 12) : m.start()].split()[-1:]
            # "Mr." / "U.S." style abbreviations: not a safe place to cut.
            if word and len(word[0].rstrip(".!?\"'”’)")) <= 3:
                continue
            spans.append((start, m.start()))
            start = m.end()
    spans.append((start, len(line)))
    return spans


def _safe_breaks(block: str, a: int, b: int) -> list[tuple[int, int]]:
    """Cut a pysbd piece where a sentence plainly ends before a quotation ("… the Paris
    Agreement. "But it does …", "… is out.” Officials …"): pysbd keeps those together. An
    abbreviation ("Gov. Waller", "the U.S. Army") is left alone."""
    out: list[tuple[int, int]] = []
    start = a
    for m in _SAFE_BREAK.finditer(block, a, b):
        word = block[max(a, m.start() - 12) : m.start()].split()[-1:]
        if not word or len(word[0].rstrip(".!?\"'”’)")) <= 3:
            continue
        out.append((start, m.start() + len(m.group(0).rstrip())))
        start = m.end()
    out.append((start, b))
    return out


def _split_block(block: str) -> list[tuple[int, int]]:
    return [piece for a, b in _pysbd_spans(block) for piece in _safe_breaks(block, a, b)]


def _pysbd_spans(block: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter().segment(block):
        piece = piece.strip()
        if not piece:
            continue
        at = block.find(piece, cursor)
        if at < 0:
            # pysbd changed the text (it should not with clean=False): keep the rest whole.
            rest = block[cursor:]
            if rest.strip():
                lead = len(rest) - len(rest.lstrip())
                spans.append((cursor + lead, cursor + len(rest.rstrip())))
            return spans
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


_CLOSERS = re.compile(r"^[\"'”’»)\]\s]+$")


def _attach_closers(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """pysbd leaves a closing quotation mark after "…region.”" as a piece of its own: it
    belongs to the sentence before it."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _CLOSERS.match(line[s:e]):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``; ``text[start:end]`` is the
    sentence with surrounding whitespace trimmed.

    >>> split_sentences("Prices rose. They may fall\\nA headline")
    [(0, 12), (13, 26), (27, 37)]
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            for b_start, b_end in _blocks(body):
                block = body[b_start:b_end]
                for s, e in _attach_closers(block, _split_block(block)):
                    spans.append((offset + b_start + s, offset + b_start + e))
        offset += len(line)
    return spans
