"""Chart text in any script: drawn with an installed fallback font where there is one, and
otherwise one note naming what no font can draw — never matplotlib's warning per glyph."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from forethought.charts import axes_or_new, fonts, save_figure
from forethought.charts.fonts import MissingGlyphs

#: a private-use character: no font assigns it a glyph
NOBODY = "\ue000"
JAPANESE = "2026年の選挙で与党は勝つか？"


def _save(title: str, out: Path) -> list[warnings.WarningMessage]:
    ax = axes_or_new(None, (4, 2))
    ax.set_title(title)
    ax.plot([0, 1], [0, 1], label=title)
    ax.legend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_figure(ax, out)
    return caught


@pytest.fixture
def only_the_base_font(monkeypatch):
    """Charts drawn as on a machine with no fallback font installed."""
    monkeypatch.setattr(fonts, "FALLBACK_FONTS", ())
    for cached in (fonts.font_chain, fonts._faces, fonts.drawable):
        cached.cache_clear()
    yield
    for cached in (fonts.font_chain, fonts._faces, fonts.drawable):
        cached.cache_clear()


def test_characters_no_font_has_make_one_note_and_show_as_boxes(only_the_base_font, tmp_path):
    caught = _save(f"{JAPANESE} {NOBODY}", tmp_path / "t.png")
    assert not [w for w in caught if "Glyph" in str(w.message)]
    notes = [w for w in caught if issubclass(w.category, MissingGlyphs)]
    assert len(notes) == 1
    note = notes[0].message
    assert isinstance(note, MissingGlyphs)
    # each character once, in the order the text has them (年 is in the title and the legend)
    assert note.chars == "年の選挙で与党は勝つか？" + NOBODY
    assert "13 characters" in str(note) and "fonts-noto-cjk" in str(note)
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")


def test_ascii_and_latin_text_draws_without_a_note(tmp_path):
    caught = _save("Will the Zürich–Genève line reopen by 2027?", tmp_path / "t.png")
    assert caught == []


def test_an_installed_cjk_font_draws_the_title_as_written(tmp_path):
    chain = fonts.font_chain()
    if len(chain) == 1:
        pytest.skip("no CJK fallback font is installed (Debian: fonts-wqy-zenhei or "
                    "fonts-noto-cjk); .ci/run installs one")
    ax = axes_or_new(None, (4, 2))
    ax.set_title(JAPANESE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        save_figure(ax, tmp_path / "t.png")
    assert caught == []
    assert ax.title.get_text() == JAPANESE  # not one character replaced
    assert list(ax.title.get_fontfamily()) == list(chain)


def test_the_command_line_prints_the_note_once_and_no_python_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "FORETHOUGHT_DB"}
    command = str(Path(sys.executable).parent / "forethought")  # the installed entry point

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([command, *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)

    assert cli("init").returncode == 0
    qid = cli("ask", f"Will {NOBODY} {NOBODY} ship?", "--by", "2030-01-01").stdout.strip()
    assert cli("forecast", qid, "60%").returncode == 0
    drawn = cli("chart", "history", qid, "--out", "h.png")
    assert drawn.returncode == 0, drawn.stderr
    assert drawn.stderr.count("Note: no installed font can draw 1 character") == 1
    assert "Warning" not in drawn.stderr and "Glyph" not in drawn.stderr
    assert (tmp_path / "h.png").exists()


def test_a_chart_is_drawn_again_once_a_font_is_installed(only_the_base_font, monkeypatch):
    from forethought.report import chart_cache

    chart_cache.code_version.cache_clear()
    without = chart_cache.code_version()
    monkeypatch.setattr(fonts, "FALLBACK_FONTS", ("DejaVu Serif",))  # "installed" since
    fonts.font_chain.cache_clear()
    chart_cache.code_version.cache_clear()
    assert chart_cache.code_version() != without
    chart_cache.code_version.cache_clear()
