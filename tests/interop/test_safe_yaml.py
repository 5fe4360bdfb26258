"""YAML is read with the safe loader: a `!!python/...` tag is refused, never constructed."""

from __future__ import annotations

import pytest
from tests.helpers import db_fingerprint, workspace_url

QUESTION = """format_version: 1
id: evil
title: {payload}
opened_at: '2024-01-01T00:00:00.000000Z'
resolve_by: '2025-01-01'
"""

TAGS = [
    ("!!python/object/apply:os.system ['touch {marker}']",
     "tag:yaml.org,2002:python/object/apply:os.system"),
    ("!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
     "tag:yaml.org,2002:python/object/new:subprocess.Popen"),
    ("!!python/name:os.system", "tag:yaml.org,2002:python/name:os.system"),
]


@pytest.mark.parametrize(("payload", "tag"), TAGS, ids=["apply", "new", "name"])
def test_python_tags_are_refused(run, workspace, tmp_path, payload, tag):
    marker = tmp_path / "pwned"
    folder = tmp_path / "records"
    (folder / "forecasts").mkdir(parents=True)
    path = folder / "forecasts" / "evil.yaml"
    path.write_text(QUESTION.format(payload=payload.format(marker=marker)), encoding="utf-8")
    url = workspace_url(workspace)
    before = db_fingerprint(url)
    r = run("import", "records", str(folder))
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {path}: line 3, column 8: YAML syntax error: could not "
                        f"determine a constructor for the tag '{tag}'\n")
    assert not marker.exists()
    assert db_fingerprint(url) == before


def test_the_claims_reader_is_safe_too(tmp_path):
    from forethought.errors import ImportRejected
    from forethought.interop.records import read_claims_file

    marker = tmp_path / "pwned"
    path = tmp_path / "claims.yaml"
    path.write_text(f"source: !!python/object/apply:os.system ['touch {marker}']\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected, match="could not determine a constructor"):
        read_claims_file(path)
    assert not marker.exists()
