"""The built site: every page exists, nothing is loaded from another host, charts draw, no console errors."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from conftest import toc_pages
from support import CHART, CHART_IN_HTML, DRAWN_ATTRIBUTE, FIGURE, LIVE_DRAWING, SPEC_CLASS, charts_js

pytestmark = pytest.mark.browser
PAGES = toc_pages()
#: Every chart drawn (charts off the screen are drawn on request, as when the reader scrolls to them).
DRAWN = charts_js("(window.telcoaiCharts.drawAll(), charts.every(c => ['true', 'error'].includes(c.dataset[P.rendered])))")


class ResourceFinder(HTMLParser):
    """Collects every URL the page would load by itself (scripts, styles, images, frames)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {"stylesheet", "preload", "icon", "modulepreload", "prefetch"}:
            self.urls.append(attrs["href"])
        if tag == "object" and attrs.get("data"):
            self.urls.append(attrs["data"])


def test_every_toc_entry_becomes_a_page(built_site):
    for page in PAGES:
        assert (built_site / f"{page}.html").is_file(), page
    assert (built_site / "index.html").is_file()


@pytest.mark.parametrize("page", PAGES)
def test_no_page_loads_anything_from_another_host(built_site, page):
    finder = ResourceFinder()
    finder.feed((built_site / f"{page}.html").read_text(encoding="utf-8"))
    assert finder.urls, "a page with no scripts or styles means the parser is not seeing the page"
    external = [u for u in finder.urls if urlparse(u).scheme in ("http", "https") or u.startswith("//")]
    assert external == []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_the_version_and_data_cut_off(built_site, page):
    text = (built_site / f"{page}.html").read_text(encoding="utf-8")
    assert re.search(r"Version \d+\.\d+\.\d+ \(\d{4}-\d{2}-\d{2}\)", text)
    assert re.search(r"cut-off \d{4}-\d{2}-\d{2}", text)


def test_no_glue_key_or_notebook_clutter_leaks_into_pages(built_site):
    for page in PAGES:
        text = (built_site / f"{page}.html").read_text(encoding="utf-8")
        assert "{glue" not in text, page
        assert "Traceback" not in text and "<altair." not in text and "[chart:" not in text, page


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_in_chromium_with_charts_drawn_and_no_errors(browser, site_url, page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    browser_page = context.new_page()
    errors, foreign = [], []
    browser_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_page.on("pageerror", lambda e: errors.append(str(e)))
    browser_page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    browser_page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def check_host(request):
        if not request.url.startswith(site_url) and not request.url.startswith(("data:", "blob:", "about:")):
            foreign.append(request.url)
    browser_page.on("request", check_host)
    response = browser_page.goto(f"{site_url}/{page}.html", wait_until="load")
    assert response.ok
    charts = browser_page.locator(CHART)
    count = charts.count()
    if count:
        browser_page.wait_for_function(
            DRAWN, timeout=15000)
        for index in range(count):
            chart = charts.nth(index)
            assert chart.get_attribute(DRAWN_ATTRIBUTE) == "true"
            assert chart.locator(LIVE_DRAWING).count() == 1
            box = chart.locator(LIVE_DRAWING).bounding_box()
            assert box["width"] > 100 and box["height"] > 50
    assert errors == []
    assert foreign == []
    context.close()


def test_search_finds_pages_and_only_the_search_page_loads_the_index(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors, index_loads = [], []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("request", lambda r: index_loads.append(r.url) if "searchindex.js" in r.url else None)
    tab.goto(f"{site_url}/chapters/opportunities.html", wait_until="load")
    assert index_loads == [], "a chapter page downloads the search index it does not use"
    tab.goto(f"{site_url}/search.html?q=capex", wait_until="load")
    tab.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15000)
    assert index_loads and errors == []
    context.close()


def test_chapters_with_charts_have_them(built_site):
    for page in ["chapters/opportunities", "chapters/european-ai-surge", "chapters/road-ahead"]:
        assert CHART_IN_HTML in (built_site / f"{page}.html").read_text(encoding="utf-8"), page


def _explorer_npv_millions(page) -> float:
    text = page.locator(f"#fig-factory-explorer {CHART} svg.marks text", has_text="NPV").first.text_content()
    number = re.search(r"NPV: € ?([−-]?[\d,]+) million", text).group(1)
    return float(number.replace("−", "-").replace(",", ""))


def test_the_model_explorer_agrees_with_the_python_model(browser, site_url):
    from dataclasses import replace

    from telcoai.kernel.economics import evaluate
    from telcoai.kernel.scenarios import scenario_inputs

    base = scenario_inputs()[0]["base"]
    page = browser.new_page()
    page.goto(f"{site_url}/chapters/risks.html", wait_until="load")
    page.wait_for_function(DRAWN)
    assert _explorer_npv_millions(page) == pytest.approx(evaluate(base).npv_eur / 1e6, abs=1.0)

    # Moving the utilisation slider to 100% recomputes the NPV in the page, as the Python model does.
    slider = page.locator("#fig-factory-explorer input[name='utilisation']")
    slider.evaluate("el => { el.value = '1'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.wait_for_timeout(300)
    moved = evaluate(replace(base, utilisation=1.0)).npv_eur / 1e6
    assert _explorer_npv_millions(page) == pytest.approx(moved, abs=1.0)
    page.close()


def test_every_chart_figure_offers_its_data_and_image(built_site):
    import csv
    import io


    figures = 0
    for page in PAGES:
        path = built_site / f"{page}.html"
        for match in FIGURE.finditer(path.read_text(encoding="utf-8")):
            if SPEC_CLASS not in match.group("body"):
                continue
            figures += 1
            body = match.group("body")
            links = re.findall(r'<p class="telcoai-downloads">(.*?)</p>', body)
            assert len(links) == 1, match.group("id")
            hrefs = dict((label, href) for href, label in re.findall(r'href="([^"]+)" download>([^<]+)</a>', links[0]))
            for label in ("image (SVG)", "image (PNG)"):
                assert (path.parent / hrefs[label]).resolve().is_file()
            assert (path.parent / hrefs["image (PNG)"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert "<svg" in (path.parent / hrefs["image (SVG)"]).read_text()[:500]
            if "data (CSV)" in hrefs:
                rows = list(csv.DictReader(io.StringIO((path.parent / hrefs["data (CSV)"]).read_text())))
                assert rows, match.group("id")
            assert f'href="#{match.group("id")}"' in links[0]
    assert figures >= 10


def test_the_datasets_are_downloadable_whole(built_site):
    import json
    import zipfile

    from telcoai.kernel.validate import DATA_DIR, read_descriptor

    descriptor = read_descriptor()
    target = built_site / "downloads" / "data"
    assert json.loads((target / "datapackage.json").read_text()) == descriptor
    for resource in descriptor["resources"]:
        assert (target / resource["path"]).read_bytes() == (DATA_DIR / resource["path"]).read_bytes()
    names = zipfile.ZipFile(target / f"{descriptor['name']}.zip").namelist()
    assert f"{descriptor['name']}/datapackage.json" in names and len(names) == len(descriptor["resources"]) + 1
    page = (built_site / "chapters" / "data-and-methods.html").read_text(encoding="utf-8")
    for resource in descriptor["resources"]:
        assert f'href="../downloads/data/{resource["path"]}"' in page


def test_the_data_page_carries_schema_org_dataset_metadata(built_site):
    import json

    from telcoai.kernel.validate import read_descriptor

    page = (built_site / "chapters" / "data-and-methods.html").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    datasets = [b for b in blocks if b["@type"] == "Dataset"]
    assert len(datasets) == len(read_descriptor()["resources"])
    for data in datasets:
        assert len(data["description"]) >= 20
        assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        assert all(d["@type"] == "DataDownload" and d["contentUrl"].startswith("https://") for d in data["distribution"])


def _axe_source() -> str:
    from conftest import ROOT

    path = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
    assert path.exists(), "run scripts/test, which installs axe-core into tests/js"
    return path.read_text(encoding="utf-8")


def _axe_pinned() -> str:
    import json

    from conftest import ROOT

    return json.loads((ROOT / "tests" / "js" / "package.json").read_text())["dependencies"]["axe-core"]


def _open(browser, site_url, page, mode="light", width=1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    tab.goto(f"{site_url}/{page}.html", wait_until="load")
    tab.wait_for_function(DRAWN,
                          timeout=15000)
    return context, tab


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES)
def test_no_accessibility_violation_of_any_impact(browser, site_url, page, mode):
    context, tab = _open(browser, site_url, page, mode)
    assert tab.evaluate("document.documentElement.dataset.theme") == mode
    tab.add_script_tag(content=_axe_source())
    assert tab.evaluate("axe.version") == _axe_pinned()
    violations = tab.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations
            .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    context.close()
    assert violations == []


@pytest.mark.parametrize("page", PAGES)
def test_pages_fit_a_phone_screen(browser, site_url, page):
    context, tab = _open(browser, site_url, page, width=375)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    too_wide = tab.evaluate("""() => [...document.querySelectorAll('""" + CHART + """')].filter(c => {
        const svg = c.querySelector('svg.marks, canvas.marks'); const box = c.getBoundingClientRect();
        return svg && svg.getBoundingClientRect().width > box.width + 1; }).map(c => c.id)""")
    tables = tab.evaluate("""() => [...document.querySelectorAll('table.telcoai-table')].filter(t =>
        t.closest('.telcoai-table-wrap').getBoundingClientRect().right > window.innerWidth + 1).length""")
    context.close()
    assert overflow <= 1
    assert too_wide == []
    assert tables == 0


def test_the_pdf_edition_has_every_chapter_page_numbers_and_the_edition(built_site):
    from pypdf import PdfReader

    from telcoai.build.sphinx_ext import edition

    reader = PdfReader(built_site / "downloads" / "telcos-and-ai-factories.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    info = edition()
    assert len(reader.pages) >= 10
    assert f"Version {info['version']}" in text and info["date_released"] in text
    # One footer on every page, the contents pages (printed twice over) included.
    for number, page in enumerate(reader.pages, start=1):
        assert re.findall(r"Page \d+ of \d+", page.extract_text()) == [f"Page {number} of {len(reader.pages)}"]
    for heading in ["The European AI surge", "Opportunities for telecoms", "The risks of AI infrastructure",
                    "The road ahead", "Data and methods", "How to cite"]:
        assert heading in text, heading
    # Every chart is printed: the chart titles appear in the PDF as text.
    for title in ["Capex by operator", "Telco projects with Nvidia", "Which input moves the result most"]:
        assert title in text, title


def test_the_heaviest_page_stays_under_one_megabyte(built_site):
    sizes = {page: (built_site / f"{page}.html").stat().st_size for page in PAGES}
    heaviest = max(sizes, key=sizes.get)
    assert sizes[heaviest] < 1_000_000, (heaviest, sizes[heaviest])


def test_fact_check_links_to_the_reports_own_evidence_resolve(built_site):
    from telcoai.kernel.tables import load

    claims = load("claims")
    linked = claims.dropna(subset=["report_link"])
    assert len(linked) >= 5
    for link in linked["report_link"]:
        page, _, anchor = link.partition("#")
        html_text = (built_site / "chapters" / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html_text, link
    appendix = (built_site / "chapters" / "fact-check.html").read_text(encoding="utf-8")
    for claim_id in claims["claim_id"]:
        assert f'id="{claim_id}"' in appendix
