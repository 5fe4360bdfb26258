"""The "editor" that examples/build.py hands to `forethought ingest --edit`.

`ingest --edit` writes the candidates to a YAML file and opens $EDITOR on it, as it would for a
person. This script plays the reviewer: it reads the corrections build.py prepared
(`{number: {"text": sentence, "set": {field: value}}}`), checks that each numbered candidate is
the sentence the review meant, applies the corrections and saves the file.

Usage (by build.py, through $EDITOR): python review_editor.py EDITS.json CANDIDATES.yaml
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml


def apply_review(edits: dict[str, dict], candidates: dict[int, dict]) -> dict[int, dict]:
    """Return the candidates with the review's corrections applied; refuse a mismatch."""
    for number, edit in edits.items():
        candidate = candidates.get(int(number))
        if candidate is None or candidate.get("text") != edit["text"]:
            found = None if candidate is None else candidate.get("text")
            raise SystemExit(f"review_editor: candidate {number} is {found!r}, "
                             f"the review expected {edit['text']!r}")
        candidate.update(edit["set"])
    return candidates


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    edits = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    target = Path(argv[2])
    candidates = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    reviewed = apply_review(edits, candidates)
    target.write_text(yaml.safe_dump(reviewed, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
