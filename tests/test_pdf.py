"""The PDF edition: a title page from CITATION.cff, contents and bookmarks, links that work inside the
PDF or point to the published site, text no smaller than 7 pt, and tables that fit the page."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser
CHAPTERS = ["The European AI surge", "Opportunities for telecoms", "The risks of AI infrastructure", "The road ahead",
            "Data and methods", "How to cite"]


@pytest.fixture(scope="module")
def pdf(built_site):
    from pypdf import PdfReader

    return PdfReader(built_site / "downloads" / "telcos-and-ai-factories.pdf")


@pytest.fixture(scope="module")
def pages_text(pdf) -> list[str]:
    # Chromium sets "fi" and "fl" as ligatures; read them as letters.
    return [page.extract_text().replace("\ufb01", "fi").replace("\ufb02", "fl") for page in pdf.pages]


def _annotations(pdf):
    for number, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                yield number, annotation


def test_the_title_page_names_authors_version_date_and_address(pages_text):
    from telcoai.kernel.citation import report_metadata
    from telcoai.kernel.fmt import date

    meta = report_metadata()
    first = " ".join(pages_text[0].split())
    assert meta["title"] in first
    for author in meta["authors"]:
        assert (author.get("name") or author["family-names"]) in first
    assert f"Version {meta['version']}, {date(str(meta['date-released']))}" in first
    assert meta["url"] in first.replace(" ", "")


def test_the_contents_and_the_bookmarks_list_every_chapter(pdf, pages_text):
    contents = " ".join(pages_text[1].split())
    assert "Contents" in contents
    outline = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append(item.title)
    walk(pdf.outline)
    for chapter in CHAPTERS:
        assert chapter in contents, chapter
        assert any(chapter in title for title in outline), chapter
    assert len(outline) >= 20


def test_the_contents_give_the_page_where_each_chapter_starts_on_its_line(pdf):
    lines: dict[float, list[str]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            lines.setdefault(round(tm[5] * cm[3] + cm[5]), []).append(text.strip())
    pdf.pages[1].extract_text(visitor_text=visit)
    named = pdf.named_destinations
    found = {" ".join(parts[:-1]): int(parts[-1]) for parts in lines.values() if len(parts) >= 2 and parts[-1].isdigit()}
    chapters = {"european-ai-surge": "The European AI surge", "opportunities": "Opportunities for telecoms",
                "risks": "The risks of AI infrastructure", "data-and-methods": "Data and methods", "how-to-cite": "How to cite"}
    for key, chapter in chapters.items():
        page = pdf.get_destination_page_number(named[f"/{key}"]) + 1
        assert any(chapter in title and number == page for title, number in found.items()), (chapter, page, found)


def test_links_stay_inside_the_pdf_or_go_to_the_web(pdf):
    internal, external = 0, []
    named = pdf.named_destinations
    for _, annotation in _annotations(pdf):
        action = annotation.get("/A")
        if action is not None and action.get("/URI") is not None:
            external.append(str(action["/URI"]))
        else:
            destination = annotation.get("/Dest") or (action or {}).get("/D")
            assert destination is not None
            if isinstance(destination, str):
                assert destination in named, destination
            internal += 1
    assert not [u for u in external if not re.match(r"^(https?|mailto):", u)]
    assert internal >= 30, "links between chapters, to figures and to the contents work inside the PDF"


def test_no_text_is_smaller_than_seven_points_or_leaves_the_page(pdf):
    small, outside = [], []
    for number, page in enumerate(pdf.pages):
        width = float(page.mediabox.width)

        def visit(text, cm, tm, font, size, number=number, width=width):
            if not text.strip():
                return
            scale = (abs(tm[0] * cm[0] + tm[1] * cm[2]) ** 2 + abs(tm[0] * cm[1] + tm[1] * cm[3]) ** 2) ** 0.5
            if scale and size * scale < 6.95:
                small.append((number + 1, round(size * scale, 1), text.strip()[:30]))
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if x < -1 or x > width + 1:
                outside.append((number + 1, text.strip()[:30]))
        page.extract_text(visitor_text=visit)
    assert small[:10] == []
    assert outside[:10] == []


def test_long_tables_are_summarised_and_name_their_download(pages_text):
    from telcoai.kernel.site import address as site_address

    text = " ".join(" ".join(pages_text).split())
    assert "Showing 20 of" in text
    assert site_address("downloads/tables/tbl-capex-and-revenue.csv") in text.replace(" ", "") or \
        "downloads/tables/tbl-capex-and-revenue.csv" in text.replace(" ", "")
    assert re.search(r"Table \d\.\d", text)


def test_the_explorer_prints_the_base_case_and_the_address_of_the_live_version(pages_text):
    text = " ".join(" ".join(pages_text).split())
    assert "Move the sliders" not in text
    assert "Printed at the base scenario" in text
    assert "fig-factory-explorer" in text.replace(" ", "")
