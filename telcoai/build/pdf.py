"""The PDF edition: every page of the book, in order, printed by headless Chromium.

The chapters' article content is gathered into one print page that uses the
site's own styles and chart script, so charts are drawn exactly as on the web
and printed as vector images. The print page opens with a title page (title,
authors, version, date and the site's address, from ``CITATION.cff``) and a
table of contents with the page on which each chapter starts (known only once
the report is printed, so the numbers are printed on the contents page in a
second, short pass); its headings become the PDF's bookmarks. Links between
pages become links inside the PDF; links to downloads and other files point to
the published site. Page numbers, version and date are in the footer.
"""

from __future__ import annotations

import html
import posixpath
import re
import shutil
from pathlib import Path

from telcoai import site as layout

ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(?P<body>.*?)</article>', re.S)
HEAD = re.compile(r"<head>(?P<head>.*?)</head>", re.S)
H1 = re.compile(r"<h1[^>]*>(?P<title>.*?)</h1>", re.S)
#: Width of the printed text column (A4 less the margins) in CSS pixels: charts are drawn at this width.
PRINT_WIDTH = 672
PRINT_CSS = """
<style>
  @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
  html, body { background: white !important; }
  body { font-size: 10.5pt; }
  .bd-main, .bd-content, .bd-article-container { display: block !important; max-width: none !important; width: auto !important;
    padding: 0 !important; margin: 0 !important; }
  .telcoai-print-chapter { break-before: page; }
  .telcoai-print-title { text-align: left; padding-top: 22vh; break-after: page; }
  .telcoai-print-title h1 { font-size: 26pt; line-height: 1.15; margin-bottom: 1.5rem; }
  .telcoai-print-title p { font-size: 12pt; margin: 0.35rem 0; }
  .telcoai-print-title .telcoai-print-address { margin-top: 2rem; }
  .telcoai-print-toc { break-after: page; }
  .telcoai-print-toc ol { list-style: none; padding-left: 0; font-size: 12pt; }
  /* Fixed line boxes: the contents page is laid out identically whether or not its page numbers are filled in. */
  .telcoai-print-toc li { margin: 0; height: 2rem; line-height: 2rem; overflow: hidden; }
  .telcoai-print-toc li * { line-height: 2rem; }
  .telcoai-print-toc a { text-decoration: none; display: flex; justify-content: space-between; gap: 1rem; }
  .telcoai-toc-page { font-variant-numeric: tabular-nums; }
  details.hide, .cell_input, .toggle-details, .telcoai-downloads, .headerlink, .vega-embed details,
  .vega-bindings, button.telcoai-show-all { display: none !important; }
  .telcoai-table-wrap { max-height: none !important; overflow: visible !important; border: 0 !important; }
  table.telcoai-table { font-size: 7.5pt; width: 100%; table-layout: auto; }
  table.telcoai-table th, table.telcoai-table td, table.telcoai-table caption, table.telcoai-table code { font-size: 7.5pt !important; }
  table.telcoai-table th, table.telcoai-table td { padding: 1px 3px; min-width: 0 !important; overflow-wrap: break-word;
    word-break: normal; hyphens: manual; }
  /* Links, codes and identifiers may break anywhere, which lowers their column's minimum width, so a wide
     table fits the page instead of shrinking every page; other words break only between words. */
  table.telcoai-table th, table.telcoai-table th button,
  table.telcoai-table td a, table.telcoai-table td code, table.telcoai-table td.telcoai-long { overflow-wrap: anywhere; }
  table.telcoai-table thead th { position: static !important; white-space: normal !important; }
  table.telcoai-table tr { break-inside: avoid; }
  figure.telcoai-table-figure { break-inside: auto !important; }
  figure.telcoai-table-figure figcaption, p.telcoai-table-count { break-after: avoid; }
  h1, h2, h3, h4 { break-after: avoid; break-inside: avoid; }
  .telcoai-chart, figure.align-default { break-inside: avoid; }
  p.telcoai-table-partial::after { content: " Every row is in the online edition and in the table's download."; }
  button.telcoai-sort { font-weight: 600; }
  button.telcoai-sort::after { content: "" !important; }
  a { color: inherit; }
</style>
"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _key(page: str) -> str:
    return page.rsplit("/", 1)[-1]


def rewrite_links(body: str, page: str, pages: list[str], site_address) -> str:
    """Prefix the page's ids with its name, and point every link inside the PDF or to the published site."""
    key = _key(page)
    known = {p: _key(p) for p in pages}
    body = re.sub(r'(\sid=")([^"]+)"', lambda m: f'{m.group(1)}{key}--{m.group(2)}"', body)

    def target(match: re.Match) -> str:
        href = html.unescape(match.group(2))
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            return match.group(0)
        path, _, fragment = href.partition("#")
        if not path:
            new = f"#{key}--{fragment}" if fragment else f"#{key}"
        else:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            doc = resolved[:-5] if resolved.endswith(".html") else resolved
            if doc in known:
                new = f"#{known[doc]}--{fragment}" if fragment else f"#{known[doc]}"
            else:
                new = site_address(resolved) + (f"#{fragment}" if fragment else "")
        return f'{match.group(1)}"{html.escape(new, quote=True)}"'

    return re.sub(r'(\shref=)"([^"]*)"', target, body)


def report_authors() -> dict:
    """The authors as CITATION.cff names them (people as 'Given Family', organisations by name)."""
    from telcoai.citation import report_metadata

    names = [a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
             for a in report_metadata()["authors"]]
    return {"authors": names}


#: Printed over the contents page in the second pass: only the page numbers show.
NUMBERS_CSS = """
<style>
  html, body, body * { background: transparent !important; box-shadow: none !important; }
  .telcoai-print-front * { color: transparent !important; text-decoration: none !important; border-color: transparent !important; }
  .telcoai-print-front .telcoai-toc-page { color: #222 !important; }
</style>
"""


def _head(site: Path, pages: list[str], edition: dict) -> str:
    first = (site / f"{pages[0]}.html").read_text(encoding="utf-8")
    head = HEAD.search(first).group("head")
    return re.sub(r"<title>.*?</title>", f"<title>{html.escape(edition['title'])}</title>", head, flags=re.S)


def _document(head: str, parts: list[str], css: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en" data-theme="light"><head>{head}{PRINT_CSS}{css}</head>'
            f'<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">'
            f'{"".join(parts)}</div></div></main></body></html>')


def front_matter(edition: dict, authors: list[str], contents: list[tuple[str, str]],
                 numbers: dict[str, int] | None = None) -> str:
    """The title page and the contents; with `numbers`, each entry's page number and no links."""
    from telcoai.charts import site_address
    from telcoai.fmt import date

    address = site_address()
    entries = "".join(
        (f'<li><a><span>{html.escape(label)}</span><span class="telcoai-toc-page">{numbers.get(key, "")}</span></a></li>'
         if numbers is not None else
         f'<li><a href="#{key}"><span>{html.escape(label)}</span><span class="telcoai-toc-page"></span></a></li>')
        for key, label in contents)
    return (
        '<div class="telcoai-print-front"><section class="telcoai-print-title">'
        f"<h1>{html.escape(edition['title'])}</h1>"
        f'<p class="telcoai-print-authors">{html.escape(", ".join(authors))}</p>'
        f"<p>Version {html.escape(edition['version'])}, {html.escape(date(edition['date_released']))}</p>"
        f"<p>Data version {html.escape(edition['data_version'])}, data cut-off {html.escape(date(edition['data_cutoff']))}</p>"
        f'<p class="telcoai-print-address">Read online, with interactive charts and every table and dataset to download: '
        f'<a href="{html.escape(address)}">{html.escape(address)}</a></p>'
        "<p>Text and data: CC BY 4.0. Code: MIT.</p></section>"
        '<nav class="telcoai-print-toc" aria-label="Contents"><h2>Contents</h2>'
        f"<ol>{entries}</ol></nav></div>")


def print_page(site: Path, pages: list[str], edition: dict, meta: dict | None = None) -> tuple[Path, list[tuple[str, str]]]:
    """Write chapters/print.html: a title page, the contents, then every page's article.

    Returns the page and the contents as (anchor, title) pairs.
    """
    from telcoai.charts import site_address

    meta = meta or report_authors()
    authors = meta.get("authors") or edition.get("authors") or []
    contents, chapters = [], []
    for page in pages:
        text = (site / f"{page}.html").read_text(encoding="utf-8")
        match = ARTICLE.search(text)
        if not match:
            continue
        body = rewrite_links(match.group("body"), page, pages, site_address)
        title = H1.search(body)
        label = re.sub(r"<[^>]+>", "", title.group("title")).strip() if title else _key(page)
        contents.append((_key(page), html.unescape(label.replace("#", "").strip())))
        chapters.append(f'<section class="telcoai-print-chapter" id="{_key(page)}">{body}</section>')
    target = site / "chapters" / "print.html"
    target.write_text(_document(_head(site, pages, edition), [front_matter(edition, authors, contents)] + chapters),
                      encoding="utf-8")
    return target, contents


def start_pages(pdf_path: Path, keys: list[str]) -> dict[str, int]:
    """The page (from 1) on which each anchor of the printed report lands, from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(pdf_path)
    destinations = reader.named_destinations
    return {key: reader.get_destination_page_number(destinations[f"/{key}"]) + 1
            for key in keys if f"/{key}" in destinations}


def number_contents(pdf_path: Path, numbers_pdf: Path) -> None:
    """Print the page numbers onto the contents page(s): every page of `numbers_pdf` after the title page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=pdf_path)
    for index, page in enumerate(PdfReader(numbers_pdf).pages[1:], start=1):
        writer.pages[index].merge_page(page)
    with open(pdf_path, "wb") as handle:
        writer.write(handle)


def build_pdf(site: Path, pages: list[str], edition: dict, meta: dict | None = None) -> Path:
    """Print the whole report to downloads/telcos-and-ai-factories.pdf."""
    from playwright.sync_api import sync_playwright

    meta = meta or report_authors()
    source, contents = print_page(site, pages, edition, meta)
    target = site / layout.PDF
    target.parent.mkdir(parents=True, exist_ok=True)
    footer = (
        '<div style="font-size:10px;width:100%;padding:0 16mm;display:flex;justify-content:space-between;color:#444;">'
        f"<span>{html.escape(edition['title'].split(':')[0])} · version {html.escape(edition['version'])}</span>"
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )
    margin = {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1000})
        page.emulate_media(media="print")
        page.goto(source.as_uri(), wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.telcoai-chart')].every(c => c.dataset.rendered === 'true')",
            timeout=60000)
        page.pdf(path=str(target), format="A4", print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=footer, outline=True, tagged=True, margin=margin)
        # Second pass: the same front matter, laid out identically, with only the page numbers visible.
        numbers = start_pages(target, [key for key, _ in contents])
        authors = meta.get("authors") or edition.get("authors") or []
        source.write_text(_document(_head(site, pages, edition), [front_matter(edition, authors, contents, numbers)],
                                    NUMBERS_CSS), encoding="utf-8")
        page.goto(source.as_uri(), wait_until="load")
        overlay = target.with_suffix(".numbers.pdf")
        page.pdf(path=str(overlay), format="A4", print_background=False, margin=margin)
        browser.close()
    number_contents(target, overlay)
    overlay.unlink()
    source.unlink()
    return target
