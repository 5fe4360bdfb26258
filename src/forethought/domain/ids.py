"""Readable ids: slugs made from titles."""

from __future__ import annotations

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


def check_slug(slug: str, what: str = "id") -> str:
    from forethought.errors import InvalidInput

    if not SLUG.match(slug) or len(slug) > 120:
        raise InvalidInput(
            f"{what} {slug!r} is not valid: use lower-case letters, digits, '-', '.' or '_' "
            "and start with a letter or digit"
        )
    return slug
