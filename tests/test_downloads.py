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
