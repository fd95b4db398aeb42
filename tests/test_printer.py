"""The PDF's printer, started before the pages are written: it prints once, reports what went wrong, and
leaves no browser behind whether it printed or not."""

from __future__ import annotations

import time

import psutil
import pytest

pytestmark = pytest.mark.browser


def _browsers() -> set[int]:
    return {p.pid for p in psutil.process_iter(["name", "cmdline"])
            if "chrom" in (p.info["name"] or "") and "--headless" in " ".join(p.info["cmdline"] or [])}


def _settle(before: set[int]) -> set[int]:
    deadline = time.time() + 10
    while _browsers() - before and time.time() < deadline:
        time.sleep(0.2)
    return _browsers() - before


def test_a_printer_prints_once_and_its_browser_goes(tmp_path):
    from telcoai.build.pdf import Printer

    before = _browsers()
    printer = Printer()
    target = tmp_path / "page.pdf"

    def work(browser):
        page = browser.new_page()
        page.set_content("<p>Capex</p>")
        page.pdf(path=str(target))
        return browser.version
    assert printer.run(work)
    assert target.read_bytes()[:5] == b"%PDF-"
    assert _settle(before) == set()


def test_an_error_while_printing_reaches_the_build_and_an_unused_printer_stops(tmp_path):
    from telcoai.build.pdf import Printer

    before = _browsers()

    def broken(browser):
        raise RuntimeError("the print page is missing")
    with pytest.raises(RuntimeError, match="print page is missing"):
        Printer().run(broken)
    unused = Printer()
    time.sleep(2)   # its browser has started
    unused.close()
    assert _settle(before) == set()


def test_the_contents_numbers_come_from_the_pdfs_named_destinations(tmp_path):
    import pikepdf
    from pypdf import PdfReader

    from telcoai.build.pdf import start_pages

    document = pikepdf.new()
    for _ in range(3):
        document.add_blank_page()
    second, third = (document.pages[i].obj for i in (1, 2))
    document.Root.Dests = pikepdf.Dictionary(
        overview=pikepdf.Array([second, pikepdf.Name.XYZ, 0, 0, 0]),
        risks=pikepdf.Dictionary(D=pikepdf.Array([third, pikepdf.Name.Fit])))
    path = tmp_path / "report.pdf"
    document.save(path)
    pages = start_pages(path, ["overview", "risks", "not-printed"])
    assert pages == {"overview": 2, "risks": 3}
    reader = PdfReader(path)   # an independent reader agrees
    assert {key: reader.get_destination_page_number(reader.named_destinations[f"/{key}"]) + 1 for key in pages} == pages


def test_every_printed_page_has_the_footer_with_its_title_as_written(tmp_path):
    import re

    from pypdf import PdfReader

    from telcoai.build.pdf import Printer, footer_css

    target = tmp_path / "report.pdf"
    edition = {"title": 'Capex "<b>now</b>" \\ telcos: a subtitle', "version": "9.9.9"}

    def work(browser):
        page = browser.new_page()
        page.set_content(f"<html><head>{footer_css(edition)}</head><body>"
                         '<p>One</p><p style="break-before: page">Two</p></body></html>')
        page.pdf(path=str(target), format="A4", margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"})
    Printer().run(work)
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of 2"]
        assert 'Capex "<b>now</b>" \\ telcos · version 9.9.9' in text


def _one_page_report(tmp_path):
    import json

    parts, site = tmp_path / "parts", tmp_path / "html"
    parts.mkdir()
    (site / "_static").mkdir(parents=True)
    (site / "chapters").mkdir()
    (site / "_static" / "report.css").write_text(".capex { color: #005; }", encoding="utf-8")
    (parts / "overview.json").write_text(json.dumps({
        "page": "chapters/overview", "title": "Overview", "body": '<p class="capex">Capex rose</p>',
        "head": '<link rel="stylesheet" href="../_static/report.css">'}), encoding="utf-8")
    edition = {"title": "Telcos: a test", "version": "9.9.9", "date_released": "2026-12-01",
               "data_version": "1.0.0", "data_cutoff": "2026-11-30"}
    return parts, site, edition


def test_work_beside_the_print_starts_once_the_print_page_has_loaded_its_stylesheets(tmp_path):
    from pypdf import PdfReader

    from telcoai.build.pdf import build_pdf

    parts, site, edition = _one_page_report(tmp_path)
    calls = []

    def cut_the_stylesheet():   # as the stylesheet cut rewrites the site's copy while the PDF prints
        calls.append(1)
        (site / "_static" / "report.css").write_text(".capex { display: none; }", encoding="utf-8")
    target = build_pdf(parts, site, ["chapters/overview"], edition, {"authors": ["A Team"]}, beside=cut_the_stylesheet)
    assert calls == [1]
    assert "Capex rose" in "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert not list(site.rglob("print.htm*"))


def test_an_error_beside_the_print_fails_the_pdf_and_leaves_no_browser(tmp_path):
    from telcoai.build.pdf import build_pdf

    parts, site, edition = _one_page_report(tmp_path)
    before = _browsers()

    def broken():
        raise OSError("disk full")
    with pytest.raises(OSError, match="disk full"):
        build_pdf(parts, site, ["chapters/overview"], edition, {"authors": ["A Team"]}, beside=broken)
    assert _settle(before) == set()
    assert not list(site.rglob("print.htm*"))
