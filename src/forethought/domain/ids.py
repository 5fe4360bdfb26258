"""Readable ids: slugs made from titles."""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_SLUG = 60
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """``"Will NATO increase support?"`` → ``"will-nato-increase-support"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "question"


_SYLLABIC = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "YI ", "BOPOMOFO")


def _ascii(ch: str) -> str:
    """One character in ASCII: as it is, transliterated within a word (Cyrillic, Greek), or as
    a word of its own (a Chinese, Japanese or Korean syllable, an emoji's name)."""
    if ch.isascii():
        return ch
    from anyascii import anyascii

    out = anyascii(ch)
    if out.startswith(":") or unicodedata.name(ch, "").startswith(_SYLLABIC):
        return f" {out.strip(':')} "
    return out


def title_slug(text: str, max_length: int = MAX_SLUG) -> str:
    """An id for a title in any script: transliterated to ASCII (``"Будет ли мир?"`` →
    ``"budet-li-mir"``, ``"🚀 launch"`` → ``"rocket-launch"``, Chinese in pinyin syllables), or
    ``q-<6 hex of its sha256>`` when nothing readable is left — never a bare number or
    ``question``. Platform ids keep :func:`slugify`, so their ids stay what they were."""
    ascii_text = "".join(_ascii(ch) for ch in unicodedata.normalize("NFC", text))
    slug = slugify(ascii_text, max_length)
    if not re.search(r"[a-z]", slug) or (slug == "question"
                                         and "question" not in ascii_text.lower()):
        digest = hashlib.sha256(text.strip().encode()).hexdigest()[:6]
        slug = f"q-{slug}-{digest}" if re.search(r"[0-9]", slug) else f"q-{digest}"
    return slug


def check_slug(slug: str, what: str = "id") -> str:
    from forethought.errors import InvalidInput

    if not SLUG.match(slug) or len(slug) > 120:
        raise InvalidInput(
            f"{what} {slug!r} is not valid: use lower-case letters, digits, '-', '.' or '_' "
            "and start with a letter or digit"
        )
    return slug
