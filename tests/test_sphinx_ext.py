"""The Sphinx extension's lineage hooks on a small test root (sphinx.testing, no full build)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import ROOT

HERE = Path(__file__).parent


@pytest.fixture()
def project(tmp_path, monkeypatch):
    src = tmp_path / "src"
    shutil.copytree(HERE / "roots" / "lineage", src)
    data = tmp_path / "input.csv"
    data.write_text("a,b\n1,2\n")
    # The record names repository-relative paths; this one leads out to the test's file.
    monkeypatch.setenv("LINEAGE_TEST_INPUT", os.path.relpath(data, ROOT))
    return src, data


def build(src: Path) -> list[str]:
    """Build the test root; return the documents Sphinx read."""
    read = []
    app = SphinxTestApp("html", srcdir=src)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames), priority=999)
    try:
        app.build()
    finally:
        app.cleanup()
    return read


def later(path: Path) -> None:
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def test_a_recorded_input_becomes_a_dependency_of_the_chapter_that_read_it(project):
    src, data = project
    assert set(build(src)) == {"index", "chapter", "plain"}
    assert build(src) == []
    data.write_text("a,b\n1,3\n")
    later(data)
    assert build(src) == ["chapter"]       # the page without code does not depend on it


def test_an_input_saved_again_unchanged_re_executes_nothing(project):
    src, data = project
    build(src)
    later(data)                             # same content, newer time: Sphinx alone would re-read
    assert build(src) == []
    later(src / "chapter.rst")
    assert build(src) == []


def test_the_icon_font_keeps_exactly_the_icons_the_stylesheets_use(tmp_path):
    from fontTools.ttLib import TTFont

    from telcoai.build import sphinx_ext

    styles = tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (styles / "theme.css").write_text('.fa-bars{--fa:"\\f0c9"} .x:before{content:"\\f107"} .y{color:#fff}', encoding="utf-8")
    (tmp_path / sphinx_ext.ICON_FONT).parent.mkdir(parents=True)
    sphinx_ext.subset_icon_font(tmp_path)
    font = TTFont(tmp_path / sphinx_ext.ICON_FONT)
    assert set(font.getBestCmap()) == {0xF0C9, 0xF107}
    assert (tmp_path / sphinx_ext.ICON_FONT).stat().st_size < 5000


def test_the_icon_font_is_made_again_only_when_the_icons_change(tmp_path, monkeypatch):
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from telcoai.build import sphinx_ext

    site = tmp_path / "html"
    styles = site / "_static" / "styles"
    styles.mkdir(parents=True)
    (site / sphinx_ext.ICON_FONT).parent.mkdir(parents=True)
    css = styles / "theme.css"
    css.write_text('.fa-bars{--fa:"\\f0c9"}', encoding="utf-8")
    made = []
    real = subset.Subsetter.subset
    monkeypatch.setattr(subset.Subsetter, "subset", lambda self, font: made.append(1) or real(self, font))
    sphinx_ext.subset_icon_font(site)
    (site / sphinx_ext.ICON_FONT).write_bytes(b"the whole font, copied over by Sphinx")
    sphinx_ext.subset_icon_font(site)
    assert len(made) == 1 and set(TTFont(site / sphinx_ext.ICON_FONT).getBestCmap()) == {0xF0C9}
    css.write_text('.fa-bars{--fa:"\\f0c9"} .x:before{content:"\\f107"}', encoding="utf-8")
    sphinx_ext.subset_icon_font(site)
    assert len(made) == 2 and set(TTFont(site / sphinx_ext.ICON_FONT).getBestCmap()) == {0xF0C9, 0xF107}


def test_the_stylesheet_cut_is_made_again_only_when_a_word_that_can_keep_a_rule_changes(tmp_path, monkeypatch):
    import subprocess

    from telcoai.build import sphinx_ext

    site = tmp_path / "html"
    for _, target in sphinx_ext.PURGED_CSS:
        (site / target).parent.mkdir(parents=True, exist_ok=True)
    page = site / "index.html"
    page.write_text('<div class="toctree-wrapper bd-main"><li>Capex 7.4 bn</li></div>', encoding="utf-8")
    runs = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: runs.append(a) or real_run(*a, **k))
    theme = site / sphinx_ext.PURGED_CSS[0][1]

    sphinx_ext.purge_theme_css(site)
    first = theme.read_text(encoding="utf-8")
    assert ".bd-main" in first and "li[class^=toctree-l]" not in first and len(runs) == 1

    page.write_text('<div class="toctree-wrapper bd-main"><li>Capex 7.9 bn, 2026</li></div>', encoding="utf-8")
    theme.write_text("copied over by Sphinx", encoding="utf-8")
    sphinx_ext.purge_theme_css(site)
    assert len(runs) == 1 and theme.read_text(encoding="utf-8") == first

    # A word no selector names, but that begins with the value of a partial one ([class^=toctree-l]), keeps its rule.
    page.write_text('<div class="toctree-wrapper bd-main"><li class="toctree-l7">Capex</li></div>', encoding="utf-8")
    sphinx_ext.purge_theme_css(site)
    assert len(runs) == 2 and "li[class^=toctree-l]" in theme.read_text(encoding="utf-8")


def test_the_words_containing_a_partial_attribute_value_are_found_whole_and_once():
    from telcoai.build.sphinx_ext import _lines_containing

    words = [b"highlight-python", b"highlighthighlight-", b"nohighlight", b"toctree-l1", b"x-highlight-"]
    lines = b"\n" + b"\n".join(words) + b"\n"
    assert _lines_containing(lines, b"highlight-") == [w for w in words if b"highlight-" in w]
    assert _lines_containing(lines, b"toctree-l") == [b"toctree-l1"]
    assert _lines_containing(lines, b"absent") == []
