"""Figure and table downloads, made on the doctree as each page is written (sphinx.testing, no full build)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from telcoai.kernel import citation

HERE = Path(__file__).parent


def build(src: Path) -> tuple[Path, str]:
    """Build the test root; return its output folder and what Sphinx warned."""
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        return Path(app.outdir), app._warning.getvalue()
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    src = tmp_path_factory.mktemp("downloads") / "src"
    shutil.copytree(HERE / "roots" / "downloads", src)
    outdir, warnings = build(src)
    assert "ERROR" not in warnings and "WARNING" not in warnings, warnings
    return outdir


def test_a_chart_figure_gets_its_files_once_and_links_relative_to_its_page(site):
    folder = site / "downloads" / "figures"
    for suffix in ("csv", "svg", "png", "vg.json", "bib", "ris", "json"):
        assert (folder / f"fig-capex-test.{suffix}").is_file(), suffix
    rows = list(csv.DictReader(io.StringIO((folder / "fig-capex-test.csv").read_text())))
    assert [(r["year"], r["capex"]) for r in rows] == [("2024", "1.5"), ("2025", "2.5")]
    page = (site / "chapters" / "chapter.html").read_text(encoding="utf-8")
    assert page.count('class="telcoai-downloads"') == 2          # the figure's and the table's
    assert 'href="../downloads/figures/fig-capex-test.svg" download' in page
    assert 'href="how-to-cite.html"' in page
    assert "telcoai-file:" not in page and "telcoai-page:" not in page


def test_the_figure_is_cited_by_the_number_and_caption_sphinx_gave_it(site):
    item = json.loads((site / "downloads" / "figures" / "fig-capex-test.json").read_text())[0]
    assert item["genre"].startswith("Figure 1.1 in ")
    assert item["title"] == "Capex of two years"
    assert item["URL"] == citation.absolute("chapters/chapter.html#fig-capex-test")
    page = (site / "chapters" / "chapter.html").read_text(encoding="utf-8")
    assert 'id="cite-fig-capex-test"' in page


def test_a_table_s_rows_become_its_csv_and_leave_the_page(site):
    text = (site / "downloads" / "tables" / "tbl-two-rows.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text))) == [["Name", "Value"], ["Alpha", "1.0"], ["Beta </script>", "2.0"]]
    page = (site / "chapters" / "chapter.html").read_text(encoding="utf-8")
    assert "telcoai-table-csv" not in page
    assert 'href="../downloads/tables/tbl-two-rows.csv" download' in page


def test_a_page_the_package_names_must_exist(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(HERE / "roots" / "downloads", src)
    (src / "chapters" / "fact-check.rst").unlink()
    (src / "index.rst").write_text((src / "index.rst").read_text().replace("   chapters/fact-check\n", ""))
    _, warnings = build(src)
    assert "names 'chapters/fact-check', which is not a page of the book" in warnings


def test_a_figure_drawn_beside_the_build_is_complete_when_it_finishes_and_a_failed_drawing_fails_it(tmp_path):
    import os

    from telcoai.build import downloads

    spec = {"width": 200, "height": 100, "data": [{"name": "t", "values": [{"x": 1}]}], "marks": []}
    downloads.write_figure_files("fig-ok", spec, tmp_path)
    downloads.write_figure_files("fig-broken", {"marks": [{"type": "no-such-mark"}]}, tmp_path)
    drawer = downloads.drawing()
    assert next(iter(drawer._processes)) != os.getpid()   # drawn in a process of its own
    with pytest.raises(Exception):
        downloads.finish_drawing()
    assert (tmp_path / "fig-ok.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "fig-ok.png").read_bytes()[:4] == b"\x89PNG" and (tmp_path / "fig-ok.sha256").exists()
    # The broken figure has no stamp, so the next build draws it again instead of trusting half its files.
    assert not (tmp_path / "fig-broken.sha256").exists() and not (tmp_path / "fig-broken.png").exists()
    assert downloads._drawing is None and downloads._pending == []


def test_a_build_killed_outright_leaves_no_drawing_process_behind(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    from conftest import ROOT

    pid_file = tmp_path / "drawer.pid"
    code = ("import os, pathlib\n"
            "from telcoai.build import downloads\n"
            "drawer = downloads.drawing()\n"
            "drawer.submit(int).result()\n"
            f"pathlib.Path({str(pid_file)!r}).write_text(str(next(iter(drawer._processes))))\n"
            "os.kill(os.getpid(), 9)\n")
    build = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert build.returncode == -signal.SIGKILL
    drawer = int(pid_file.read_text())
    deadline = time.time() + 10
    while psutil.pid_exists(drawer) and psutil.Process(drawer).status() != psutil.STATUS_ZOMBIE and time.time() < deadline:
        time.sleep(0.2)
    assert not psutil.pid_exists(drawer) or psutil.Process(drawer).status() == psutil.STATUS_ZOMBIE
