"""Text in any script: fonts to fall back on, and one note for what no installed font can draw.

Questions are asked in Japanese, Arabic or with an emoji in the title; matplotlib's default font
(DejaVu Sans) has none of CJK and few symbols, and left alone it prints a raw "Glyph … missing
from font(s)" warning for every such character of every chart — fourteen for one title. Two
things replace that:

* **Fallback.** Text outside ASCII is drawn in DejaVu Sans followed by every installed font
  of :data:`FALLBACK_FONTS` (matplotlib ≥ 3.6 takes each glyph from the first font in the list
  that has it), so a machine with, say, Debian's ``fonts-noto-cjk`` or ``fonts-wqy-zenhei``
  draws the titles as written.
* **One note.** Characters that no font in that chain has are drawn as ``□`` (what matplotlib
  would draw, without its warnings), and one :class:`MissingGlyphs` warning names them and the
  fonts to install; the command line prints it as a ``Note:``. The chart's data never changes —
  only the characters of its labels a font cannot show.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: the chart's own font, first for every glyph it has
BASE_FONT = "DejaVu Sans"
#: fonts taken, in this order, for glyphs the base font lacks — where installed
FALLBACK_FONTS = (
    "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK KR",
    "Source Han Sans", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "IPAGothic", "IPAexGothic",
    "Droid Sans Fallback", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari",
    "Noto Sans Thai", "Noto Sans Symbols", "Noto Sans Symbols 2", "Noto Emoji", "Symbola",
)
#: drawn for a character no font in the chain has
REPLACEMENT = "□"
#: characters that are never drawn as glyphs, so never missing
_CONTROL = frozenset("\n\r\t")


class MissingGlyphs(UserWarning):
    """Characters of a chart's text that no installed font can draw (shown as □)."""

    def __init__(self, chars: str) -> None:
        self.chars = chars
        shown = ", ".join(chars[:8]) + (f" and {len(chars) - 8} more" if len(chars) > 8 else "")
        super().__init__(
            f"no installed font can draw {len(chars)} character{'s' if len(chars) != 1 else ''} "
            f"of the chart's text ({shown}); they show as {REPLACEMENT}. Install a font that has "
            "them (Debian: fonts-noto-cjk for Chinese, Japanese and Korean, fonts-noto-core for "
            "other scripts, fonts-symbola for emoji) and draw the chart again"
        )


class _NearestWeight(logging.Filter):
    """Drop matplotlib's "Failed to find font weight normal for WenQuanYi Zen Hei, now using
    500" about a fallback font: several CJK fonts ship one medium weight, which is the right one
    to draw with, and the line would follow every chart."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (str(record.msg).startswith("findfont: Failed to find font weight")
                    and len(args) > 1 and args[1] in FALLBACK_FONTS)


@functools.cache
def font_chain() -> tuple[str, ...]:
    """The base font and the installed fallback fonts, in the order glyphs are taken."""
    from matplotlib import font_manager

    logging.getLogger("matplotlib.font_manager").addFilter(_NearestWeight())
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return (BASE_FONT, *(name for name in FALLBACK_FONTS if name in installed))


@functools.cache
def _faces() -> tuple[Any, ...]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    faces = []
    for name in font_chain():
        path = font_manager.findfont(font_manager.FontProperties(family=name),
                                     fallback_to_default=False)
        faces.append(FT2Font(path))
    return tuple(faces)


def _default_family(family: list[str]) -> bool:
    import matplotlib

    return list(family) == list(matplotlib.rcParams["font.family"])


@functools.lru_cache(maxsize=65536)
def drawable(char: str) -> bool:
    """Whether some font of :func:`font_chain` has a glyph for ``char``."""
    if char in _CONTROL:
        return True
    code = ord(char)
    return any(face.get_char_index(code) != 0 for face in _faces())


@contextmanager
def chart_fonts(fig: Figure) -> Iterator[None]:
    """Draw ``fig`` inside this block: with the fallback fonts, and with every character no
    font has replaced by □ and named in one :class:`MissingGlyphs` warning."""
    import matplotlib
    from matplotlib.text import Text

    chain = list(font_chain())
    missing: dict[str, None] = {}
    for text in fig.findobj(Text):
        value = text.get_text()
        if not value or value.isascii():
            continue
        lacking = [c for c in value if not drawable(c)]
        if lacking:
            missing.update(dict.fromkeys(lacking))
            text.set_text("".join(REPLACEMENT if c in lacking else c for c in value))
        if len(chain) > 1 and _default_family(text.get_fontfamily()):
            # a Text keeps the family it was made with; matplotlib takes each glyph from the
            # first font of a list of named families that has it
            text.set_fontfamily(chain)
    if missing:
        warnings.warn(MissingGlyphs("".join(missing)), stacklevel=3)
    with matplotlib.rc_context({"font.sans-serif": [*chain,
                                                    *matplotlib.rcParams["font.sans-serif"]]}):
        yield
