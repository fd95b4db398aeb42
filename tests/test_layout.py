"""The reader's view in the browser: charts that fit a phone, a tablet and a desktop, redraw after a
resize, stay legible in dark mode; tables that are numbered, scroll in one box and sort numbers as numbers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from conftest import toc_pages
from support import CHART, CHART_IN_HTML, DRAWN_ATTRIBUTE, PROTOCOL, charts_js

pytestmark = pytest.mark.browser
LAYOUT_JS = (Path(__file__).parent / "chart_layout.js").read_text(encoding="utf-8")
WIDTHS = [375, 768, 1280]


def chart_pages(site: Path) -> list[str]:
    return [p for p in toc_pages() if CHART_IN_HTML in (site / f"{p}.html").read_text(encoding="utf-8")]


def table_pages(site: Path) -> list[str]:
    return [p for p in toc_pages() if 'class="telcoai-table-figure"' in (site / f"{p}.html").read_text(encoding="utf-8")]


def _drawn(tab):
    tab.wait_for_function("""() => window.telcoaiCharts && (window.telcoaiCharts.drawAll(), true)""")
    tab.wait_for_function(charts_js("""charts.every(c =>
        c.dataset[P.rendered] === 'true' && Math.abs(Number(c.dataset[P.drawn_width]) - c.clientWidth) < 2)"""), timeout=20000)
    tab.wait_for_timeout(100)
    return tab.evaluate(LAYOUT_JS)


def _layout_problems(charts: list[dict]) -> list[str]:
    problems = []
    for c in charts:
        if "error" in c:
            problems.append(f"{c['id']}: {c['error']}")
            continue
        if c["plot"] < 0.8 * c["column"]:
            problems.append(f"{c['id']}: plot {c['plot']} px in a {c['column']} px column")
        if c["overlapCount"]:
            problems.append(f"{c['id']}: {c['overlapCount']} overlapping text items, e.g. {c['overlaps'][:3]}")
        if c["outside"]:
            problems.append(f"{c['id']}: text outside the drawing: {c['outside'][:3]}")
        if abs(c["shownWidth"] - c["intrinsicWidth"]) > 1 or c["shownWidth"] > c["column"] + 1:
            problems.append(f"{c['id']}: drawn {c['intrinsicWidth']} px wide, shown at {c['shownWidth']} px")
        if c["minTextHeight"] is not None and c["minTextHeight"] < 10:
            problems.append(f"{c['id']}: text {c['minTextHeight']:.1f} px high")
    return problems


def _chart_pages_at(browser, site_url, site, width):
    """Each page with charts, loaded in one tab at `width` px: yields (page, tab)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    try:
        for page in chart_pages(site):
            tab.goto(f"{site_url}/{page}.html", wait_until="load")
            yield page, tab
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_fills_its_column_with_no_overlapping_or_clipped_text(browser, site_url, built_site, width):
    problems, count = [], 0
    for page, tab in _chart_pages_at(browser, site_url, built_site, width):
        charts = _drawn(tab)
        count += len(charts)
        problems += [f"{page} @ {width}px: {p}" for p in _layout_problems(charts)]
    assert count >= 10
    assert problems == []


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_chart_text_and_symbols_contrast_with_the_page(browser, site_url, built_site, mode):
    context = browser.new_context(viewport={"width": 375, "height": 900})
    tab = context.new_page()
    tab.add_init_script(f"localStorage.setItem('mode', '{mode}')")
    problems = []
    for page in chart_pages(built_site):
        tab.goto(f"{site_url}/{page}.html", wait_until="load")
        assert tab.evaluate("document.documentElement.dataset.theme") == mode
        for c in _drawn(tab):
            if c["faintText"]:
                problems.append(f"{page} {c['id']}: faint text {c['faintText'][:3]}")
            if c["faintSymbols"]:
                problems.append(f"{page} {c['id']}: symbols that vanish {c['faintSymbols'][:3]}")
    context.close()
    assert problems == []


def test_charts_redraw_at_the_new_width_after_a_resize(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    for page in ["chapters/opportunities", "chapters/risks"]:
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.goto(f"{site_url}/{page}.html", wait_until="load")
        wide = {c["id"]: c for c in _drawn(tab)}
        tab.set_viewport_size({"width": 375, "height": 800})     # a phone turned upright
        narrow = {c["id"]: c for c in _drawn(tab)}
        assert _layout_problems(list(narrow.values())) == [], page
        tab.set_viewport_size({"width": 1280, "height": 900})
        again = {c["id"]: c for c in _drawn(tab)}
        assert _layout_problems(list(again.values())) == [], page
        for chart_id, chart in wide.items():
            assert narrow[chart_id]["column"] < chart["column"] / 1.5
            # No mark and no legend entry is lost at either width.
            assert narrow[chart_id]["marks"] == chart["marks"] == again[chart_id]["marks"], chart_id
            assert narrow[chart_id]["legendEntries"] == chart["legendEntries"], chart_id
    context.close()


def test_small_multiples_take_one_column_on_a_phone_and_several_when_widened(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(f"{site_url}/chapters/opportunities.html", wait_until="load")
    columns = "() => new Set(document.querySelector('#fig-capex-by-operator " + CHART + "')._view.scenegraph().root" \
              ".items[0].items.filter(m => m.role === 'scope').flatMap(m => m.items.map(i => Math.round(i.x)))).size"
    _drawn(tab)
    assert tab.evaluate(columns) == 1
    tab.set_viewport_size({"width": 1280, "height": 900})
    _drawn(tab)
    assert tab.evaluate(columns) >= 3
    context.close()


def test_the_model_explorer_reads_out_percentages_euros_and_years(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(f"{site_url}/chapters/risks.html", wait_until="load")
    _drawn(tab)
    readouts = tab.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#fig-factory-explorer .vega-bind')]
        .map(b => [b.querySelector('input').name, b.querySelector('.vega-bind-value').textContent]))""")
    assert re.fullmatch(r"\d+%", readouts["utilisation"])
    assert re.fullmatch(r"€\d\.\d\d", readouts["price"])
    assert re.fullmatch(r"\d+ years?", readouts["life"])
    assert re.fullmatch(r"€[\d,]+", readouts["capex"])
    assert re.fullmatch(r"\d+\.\d%", readouts["rate"])
    tab.locator("#fig-factory-explorer input[name='utilisation']").fill("0.5")
    assert tab.locator("#fig-factory-explorer input[name='utilisation'] + .vega-bind-value").text_content() == "50%"
    context.close()


def test_tables_are_numbered_captioned_and_counted_with_one_scroll_box(browser, site_url, built_site):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    seen = 0
    for page in table_pages(built_site):
        tab.goto(f"{site_url}/{page}.html", wait_until="load")
        tables = tab.evaluate("""() => [...document.querySelectorAll('figure.telcoai-table-figure')].map(f => {
            const wrap = f.querySelector('.telcoai-table-wrap');
            const scrollers = [];
            for (let n = wrap.parentElement; n && n !== document.body; n = n.parentElement) {
                const s = getComputedStyle(n);
                if (/(auto|scroll)/.test(s.overflowX + s.overflowY) && n.scrollHeight > n.clientHeight + 1) scrollers.push(n.className);
            }
            return {id: f.id, caption: f.querySelector('figcaption').textContent, count: f.querySelector('.telcoai-table-count').textContent,
                    rows: Number(f.dataset.rows), visible: [...f.querySelectorAll('tbody tr')].filter(r => !r.hidden).length,
                    sticky: getComputedStyle(f.querySelector('thead th')).position, scrollers: scrollers,
                    download: (f.querySelector('.telcoai-downloads a[download]') || {}).href || null};
        })""")
        for t in tables:
            seen += 1
            assert re.match(r"Table (\d+\.)?\d+ \S", t["caption"]), t
            assert t["sticky"] == "sticky", t
            assert t["scrollers"] == [], t
            assert t["visible"] == min(t["rows"], 20), t
            assert f"{t['rows']:,} row" in t["count"], t
            assert t["download"], t
            csv_path = built_site / t["download"].split(site_url + "/", 1)[1]
            assert len(list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))) == t["rows"], t
    context.close()
    assert seen >= 7


def test_numeric_columns_sort_by_value_with_gaps_last(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{site_url}/chapters/european-ai-surge.html", wait_until="load")
    figure = tab.locator("figure.telcoai-table-figure").first
    header = figure.locator("thead th", has_text="GPU count")
    index = figure.locator("thead th").evaluate_all("(ths, name) => ths.findIndex(t => t.textContent.includes(name))", "GPU count")
    read = f"""() => [...document.querySelector('figure.telcoai-table-figure').querySelectorAll('tbody tr')]
        .map(r => r.cells[{index}]).map(td => td.classList.contains('telcoai-gap') ? null : parseFloat(td.dataset.sort))"""
    for direction in (1, -1):
        header.locator("button").click()
        values = tab.evaluate(read)
        numbers = [v for v in values if v is not None]
        assert len(numbers) >= 2
        assert values[: len(numbers)] == numbers, "gaps come last"
        assert numbers == sorted(numbers, reverse=direction < 0)
    context.close()


def test_long_tables_show_twenty_rows_until_asked(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{site_url}/chapters/opportunities.html", wait_until="load")
    figure = tab.locator("#tbl-capex-and-revenue")
    rows = int(figure.get_attribute("data-rows"))
    assert rows > 20
    assert figure.locator("tbody tr:visible").count() == 20
    figure.locator("button.telcoai-show-all").click()
    assert figure.locator("tbody tr:visible").count() == rows
    context.close()


def test_table_numbers_use_one_format_per_column(built_site):
    """No exponent notation, and within a numeric column every cell has the same decimal style."""
    for page in table_pages(built_site):
        text = (built_site / f"{page}.html").read_text(encoding="utf-8")
        assert not re.search(r'<td class="num"[^>]*>[^<]*\de[+−-]\d', text), page


def test_the_front_page_answers_with_a_chart_the_authors_and_the_date(browser, site_url, built_site):
    from telcoai.kernel.citation import report_metadata
    from telcoai.kernel.fmt import date

    meta = report_metadata()
    text = (built_site / "chapters" / "overview.html").read_text(encoding="utf-8")
    assert text.count("<title>") == 1 and "<title>Telcos and AI factories</title>" in text
    context = browser.new_context(viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(f"{site_url}/chapters/overview.html", wait_until="load")
    _drawn(tab)
    article = " ".join(tab.locator("article").inner_text().split())
    for author in meta["authors"]:
        assert (author.get("name") or author["family-names"]) in article
    assert f"version {meta['version']}, {date(str(meta['date-released']))}" in article
    # The lead chart comes before the first section, right after the answer.
    first_section = tab.locator("article section h2").first.bounding_box()["y"]
    assert tab.locator(f"article {CHART}").first.bounding_box()["y"] < first_section
    context.close()


@pytest.mark.parametrize("page,width", [("chapters/overview", 1280), ("chapters/risks", 375)])
def test_the_readers_view_has_one_search_box_no_code_and_no_maintainers_page_among_the_chapters(
        browser, site_url, page, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.goto(f"{site_url}/{page}.html", wait_until="load")
    searches = tab.locator("button.search-button, .search-button-field, form.bd-search, input[type='search']")
    assert sum(searches.nth(i).is_visible() for i in range(searches.count())) == 1
    assert tab.locator(".cell_input, details.hide.above-input, .toggle-details").count() == 0
    nav = tab.locator(".bd-sidebar-primary nav.bd-links").first.text_content()
    assert "For maintainers" in nav
    assert "Updating the data" not in nav.split("For maintainers")[0]
    context.close()


#: Per chart on view, its drawing made in advance that shows (there must be exactly one), with its text boxes.
STATIC_JS = charts_js("""charts.map(c => {
  const shown = [...c.querySelectorAll('.' + P.static)].filter(d => d.getBoundingClientRect().width > 0);
  const svg = shown.length === 1 ? shown[0].querySelector('svg') : null;
  const texts = svg ? [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const b = t.getBoundingClientRect(); return {text: t.textContent.trim(), x1: b.left, x2: b.right, y1: b.top, y2: b.bottom}; }) : [];
  const overlaps = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
    if (Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1) > 1 && Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) > 1) overlaps.push(a.text + ' / ' + b.text);
  }));
  return {id: (c.closest('figure') || c).id, state: c.dataset[P.rendered], shown: shown.length,
          column: c.getBoundingClientRect().width, width: svg ? svg.getBoundingClientRect().width : 0,
          minText: texts.length ? Math.min(...texts.map(t => t.y2 - t.y1)) : null, overlaps: overlaps.slice(0, 3)};
}).filter(c => c.state !== undefined)""")


@pytest.mark.parametrize("width", WIDTHS)
def test_charts_drawn_in_advance_show_at_once_fit_their_column_and_stay_legible(browser, site_url, built_site, width):
    problems, count = [], 0
    for page, tab in _chart_pages_at(browser, site_url, built_site, width):
        for c in tab.evaluate(STATIC_JS):
            if c["state"] != "static":
                continue
            count += 1
            where = f"{page} @ {width}px: {c['id']}"
            if c["shown"] != 1:
                problems.append(f"{where}: {c['shown']} drawings shown")
            elif abs(c["width"] - c["column"]) > 1:
                problems.append(f"{where}: drawing {c['width']:.0f} px in a {c['column']:.0f} px column")
            elif c["minText"] is not None and c["minText"] < 9:
                problems.append(f"{where}: text {c['minText']:.1f} px high")
            if c["overlaps"]:
                problems.append(f"{where}: overlapping text {c['overlaps']}")
        assert tab.evaluate("typeof window.vega") == "undefined", f"{page}: Vega ran before any chart was reached for"
    assert count >= 10
    assert problems == []


def test_a_chart_is_drawn_live_when_the_reader_reaches_for_it_or_when_it_has_inputs(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 700})
    tab = context.new_page()
    tab.goto(f"{site_url}/chapters/opportunities.html", wait_until="load")
    first = tab.locator(CHART).first
    assert first.get_attribute(DRAWN_ATTRIBUTE) == "static"
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_timeout(500)
    assert tab.evaluate("typeof window.vega") == "undefined", "scrolling past charts drawn in advance runs no Vega"
    first.scroll_into_view_if_needed()
    first.dispatch_event("touchstart")
    tab.wait_for_function(f"el => el.dataset.{PROTOCOL['rendered']} === 'true'", arg=first.element_handle(), timeout=10000)
    assert tab.evaluate("typeof window.vega") == "object"
    # A chart with inputs (the explorer's sliders) has no drawing in advance: it is drawn when it nears the screen.
    tab.goto(f"{site_url}/chapters/risks.html", wait_until="load")
    explorer = tab.locator(f"#fig-factory-explorer {CHART}")
    assert explorer.get_attribute(DRAWN_ATTRIBUTE) is None
    explorer.scroll_into_view_if_needed()
    tab.wait_for_function(f"el => el.dataset.{PROTOCOL['rendered']} === 'true'", arg=explorer.element_handle(), timeout=10000)
    context.close()


def test_the_dark_theme_draws_every_chart_live_in_its_own_palette(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 900}, color_scheme="dark")
    tab = context.new_page()
    tab.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    tab.goto(f"{site_url}/chapters/overview.html", wait_until="load")
    first = tab.locator(CHART).first
    tab.wait_for_function(f"el => el.dataset.{PROTOCOL['rendered']} === 'true'", arg=first.element_handle(), timeout=10000)
    shown = first.evaluate("(c, name) => [...c.querySelectorAll('.' + name)].filter(d => d.getBoundingClientRect().width > 0).length",
                           PROTOCOL["static"])
    assert shown == 0
    context.close()


def test_pages_without_charts_never_load_vega(browser, site_url, built_site):
    pages = [p for p in toc_pages() if p not in chart_pages(built_site)]
    assert pages
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    vega = []
    tab.on("request", lambda r: vega.append(r.url) if "/vendor/vega/" in r.url else None)
    for page in pages:
        tab.goto(f"{site_url}/{page}.html", wait_until="load")
        tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        tab.wait_for_timeout(200)
    context.close()
    assert vega == []
