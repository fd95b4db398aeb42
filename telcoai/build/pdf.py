"""The PDF edition: every page of the book, in order, printed by headless Chromium.

As Sphinx writes each page of the book, its rendered body and title are kept
(:func:`keep_page`, from the page's own template context, so nothing is cut
out of written HTML). The print page joins them under the head Sphinx gives
the first page (its styles and scripts, through Sphinx's own tags), so charts
are drawn exactly as on the web and printed as vector images. The print page opens with a title page (title,
authors, version, date and the site's address, from ``CITATION.cff``) and a
table of contents with the page on which each chapter starts (known only once
the report is printed, so the numbers are printed on the contents page in a
second, short pass); its headings become the PDF's bookmarks. In the browser,
before printing, each page's ids are prefixed with its name and its links are
resolved against the page's own address (the DOM does it, not text
substitution): links between pages become links inside the PDF, links to
downloads and other files point to the published site. Page numbers and the version are in the footer, a
page margin box (:func:`footer_css`).
"""

from __future__ import annotations

import html
import json
import posixpath
import queue
import re
import shutil
import threading
from concurrent.futures import Future, wait
from pathlib import Path

from telcoai.kernel import site as layout

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


def parts_dir(app) -> Path:
    """Where the bodies of the written pages are kept between builds (beside the site, not in it)."""
    return Path(app.outdir).parent / "print-parts"


def part_path(parts: Path, page: str) -> Path:
    """The kept body and title of one page of the book."""
    return parts / f"{_key(page)}.json"


def keep_page(app, pagename, templatename, context, doctree) -> None:
    """Keep a written page's rendered body and title for the print page; the first page's head too.

    Runs after every other page hook, so the body is the one written to the site.
    """
    from telcoai.build.sphinx_ext import toc_pages

    if app.builder.format != "html" or doctree is None:
        return
    pages = toc_pages()
    if pagename not in pages:
        return
    folder = parts_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    part = {"page": pagename, "title": html.unescape(re.sub(r"<[^>]+>", "", context.get("title") or "")).strip(),
            "body": context.get("body") or ""}
    if pagename == pages[0]:
        part["head"] = app.builder.templates.render("print-head.html", context)
    target = part_path(folder, pagename)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(part), encoding="utf-8")
    temporary.replace(target)


#: Run in the print page before printing: prefix each chapter's ids with its key, and point every link
#: inside the PDF (another page of the book) or to the published site (anything else of the site).
RESOLVE_LINKS = """([known, site]) => {
  for (const section of document.querySelectorAll("section.telcoai-print-chapter")) {
    const key = section.id, base = new URL(section.dataset.page + ".html", "http://book/");
    section.querySelectorAll("[id]").forEach((el) => { el.id = key + "--" + el.id; });
    section.querySelectorAll("a[href]").forEach((a) => {
      const href = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return;
      const [path, fragment] = [href.split("#")[0], href.split("#").slice(1).join("#")];
      if (!path) { a.setAttribute("href", "#" + key + (fragment ? "--" + fragment : "")); return; }
      const resolved = new URL(path, base).pathname.slice(1);
      const doc = resolved.replace(/[.]html$/, "");
      a.setAttribute("href", doc in known ? "#" + known[doc] + (fragment ? "--" + fragment : "")
                                          : site + resolved + (fragment ? "#" + fragment : ""));
    });
  }
}"""

#: The print page's footer stylesheet (:func:`footer_css`).
FOOTER_ID = "telcoai-print-footer"

#: Run for the second pass: only the contents page stays, with its page numbers filled in (and no footer).
FILL_NUMBERS = """(numbers) => {
  document.querySelectorAll("section.telcoai-print-chapter").forEach((s) => s.remove());
  document.getElementById("%s").remove();
  document.querySelectorAll(".telcoai-print-toc a").forEach((a) => {
    a.querySelector(".telcoai-toc-page").textContent = numbers[a.getAttribute("href").slice(1)] || "";
    a.removeAttribute("href");
  });
  document.documentElement.classList.add("telcoai-print-numbers");
}""" % FOOTER_ID


def report_authors() -> dict:
    """The authors as CITATION.cff names them (people as 'Given Family', organisations by name)."""
    from telcoai.kernel.citation import report_metadata

    names = [a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
             for a in report_metadata()["authors"]]
    return {"authors": names}


#: Printed over the contents page in the second pass: only the page numbers show.
NUMBERS_CSS = """
<style>
  .telcoai-print-numbers, .telcoai-print-numbers body, .telcoai-print-numbers body * {
    background: transparent !important; box-shadow: none !important; }
  .telcoai-print-numbers .telcoai-print-front * { color: transparent !important; text-decoration: none !important;
    border-color: transparent !important; }
  .telcoai-print-numbers .telcoai-print-front .telcoai-toc-page { color: #222 !important; }
</style>
"""


def css_string(text: str) -> str:
    """`text` as a CSS string, quoted; quotes, backslashes, angle brackets and controls escaped."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '\\"<>' or ord(c) < 32 else c for c in text) + '"'


def footer_css(edition: dict) -> str:
    """The footer of every page (the report's short title and version, the page number), as page margin boxes.

    Chromium lays them out with the pages; its header and footer templates are laid out as a document of
    their own for every page, which took most of a second for a hundred pages.
    """
    box = "font-family: var(--pst-font-family-base); font-size: 7.5pt; color: #444;"   # the text's own font
    left = f"{edition['title'].split(':')[0]} · version {edition['version']}"
    return (f'<style id="{FOOTER_ID}">@page {{ @bottom-left {{ content: {css_string(left)}; {box} }} '
            f'@bottom-right {{ content: "Page " counter(page) " of " counter(pages); {box} }} }}</style>')


def _document(head: str, title: str, parts: list[str], footer: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
            f'<title>{html.escape(title)}</title>{head}{PRINT_CSS}{NUMBERS_CSS}{footer}</head>'
            f'<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">'
            f'{"".join(parts)}</div></div></main></body></html>')


def front_matter(edition: dict, authors: list[str], contents: list[tuple[str, str]]) -> str:
    """The title page and the contents (their page numbers are filled in for the second pass)."""
    from telcoai.kernel.fmt import date
    from telcoai.kernel.site import address as site_address

    address = site_address()
    entries = "".join(
        f'<li><a href="#{key}"><span>{html.escape(label)}</span><span class="telcoai-toc-page"></span></a></li>'
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


def print_page(parts: Path, site: Path, pages: list[str], edition: dict,
               meta: dict | None = None) -> tuple[Path, list[tuple[str, str]]]:
    """Write the print page beside the first page: a title page, the contents, then every page's body.

    Returns the page and the contents as (anchor, title) pairs.
    """
    meta = meta or report_authors()
    authors = meta.get("authors") or edition.get("authors") or []
    contents, chapters, head = [], [], ""
    for page in pages:
        path = part_path(parts, page)
        if not path.exists():
            raise FileNotFoundError(f"{page} has not been written by Sphinx, so it cannot be printed")
        part = json.loads(path.read_text(encoding="utf-8"))
        head = head or part.get("head", "")
        contents.append((_key(page), part["title"]))
        chapters.append(f'<section class="telcoai-print-chapter" id="{_key(page)}" data-page="{html.escape(page)}">'
                        f'{part["body"]}</section>')
    # Named .htm, not .html: the stylesheet cut, which reads the site's .html pages, runs while it prints.
    target = site / posixpath.dirname(pages[0]) / "print.htm"
    target.write_text(_document(head, edition["title"], [front_matter(edition, authors, contents)] + chapters,
                                footer_css(edition)), encoding="utf-8")
    return target, contents


def start_pages(pdf_path: Path, keys: list[str]) -> dict[str, int]:
    """The page (from 1) on which each anchor of the printed report lands, from the PDF's named destinations.

    Chromium writes them in the catalogue's /Dests dictionary; pikepdf reads them in a hundredth of a second.
    """
    import pikepdf

    with pikepdf.open(pdf_path) as report:
        numbers = {page.obj.objgen: number for number, page in enumerate(report.pages, start=1)}
        destinations = report.Root.get("/Dests", pikepdf.Dictionary())
        pages = {}
        for key in keys:
            destination = destinations.get(f"/{key}")
            if isinstance(destination, pikepdf.Dictionary):   # a destination may be wrapped as {/D [...]}
                destination = destination.get("/D")
            if destination is not None:
                pages[key] = numbers[destination[0].objgen]
        return pages


def number_contents(pdf_path: Path, numbers_pdf: Path) -> None:
    """Print the page numbers onto the contents page(s): every page of `numbers_pdf` after the title page.

    pikepdf (qpdf) writes the 100-page report in a tenth of a second; pypdf took three seconds to copy it.
    """
    import pikepdf

    with pikepdf.open(pdf_path, allow_overwriting_input=True) as report, pikepdf.open(numbers_pdf) as numbers:
        for index, page in enumerate(numbers.pages[1:], start=1):
            report.pages[index].add_overlay(page)
        report.save(pdf_path)


#: How headless Chromium is started for printing.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class Printer:
    """Playwright and headless Chromium, started in a thread of their own while Sphinx writes the pages
    (they take about a second to start), so that printing begins as soon as the pages are written.
    A printer prints one report (:meth:`run` or :meth:`submit`) or is closed unused (:meth:`close`)."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="telcoai-printer")
        self._thread.start()

    def _serve(self) -> None:
        from playwright.sync_api import sync_playwright

        playwright = browser = failed = None
        try:
            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        except BaseException as error:   # reported to whoever asks for a print
            failed = error
        job = self._jobs.get()
        try:
            if job is not None:
                work, result = job
                if failed is not None:
                    result.set_exception(failed)
                else:
                    try:
                        result.set_result(work(browser))
                    except BaseException as error:
                        result.set_exception(error)
        finally:
            if browser is not None:
                browser.close()
            if playwright is not None:
                playwright.stop()

    def run(self, work):
        """`work(browser)` in the printer's thread; its result, or the error it raised."""
        return self.submit(work).result()

    def submit(self, work) -> Future:
        """Start `work(browser)` in the printer's thread; its result (or error) will be in the future returned."""
        result: Future = Future()
        self._jobs.put((work, result))
        return result

    def close(self) -> None:
        """Stop a printer that will not print."""
        self._jobs.put(None)
        self._thread.join(10)


def build_pdf(parts: Path, site: Path, pages: list[str], edition: dict, meta: dict | None = None,
              printer: Printer | None = None, beside=None) -> Path:
    """Print the whole report to downloads/telcos-and-ai-factories.pdf, from the pages kept in `parts`,
    with `printer` if one was started in advance.

    `beside()`, if given, runs while Chromium lays out and prints, once the print page has loaded its
    stylesheets, scripts and fonts: it may then rewrite them in the site (the stylesheet cut does).
    """
    from telcoai.kernel.chartpage import PROTOCOL, selector
    from telcoai.kernel.site import address as site_address

    source, contents = print_page(parts, site, pages, edition, meta)
    target = site / layout.PDF
    target.parent.mkdir(parents=True, exist_ok=True)
    margin = {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
    drawn = (f"() => [...document.querySelectorAll({json.dumps(selector('chart'))})]"
             f".every(c => c.dataset[{json.dumps(PROTOCOL['rendered'])}] === 'true')")
    overlay = target.with_suffix(".numbers.pdf")

    loaded = threading.Event()

    def print_report(browser) -> None:
        page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1000})
        page.emulate_media(media="print")
        page.goto(source.as_uri(), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        loaded.set()
        page.evaluate(RESOLVE_LINKS, [{p: _key(p) for p in pages}, site_address()])
        page.wait_for_function(drawn, timeout=60000)
        page.pdf(path=str(target), format="A4", print_background=True, outline=True, tagged=True, margin=margin)
        # Second pass: the same front matter, laid out identically, with only the page numbers visible.
        page.evaluate(FILL_NUMBERS, start_pages(target, [key for key, _ in contents]))
        page.pdf(path=str(overlay), format="A4", print_background=False, margin=margin)
        page.close()

    printing = (printer or Printer()).submit(print_report)
    try:
        if beside is not None:
            while not loaded.wait(0.02) and not printing.done():
                pass
            if loaded.is_set():
                beside()
        printing.result()
        number_contents(target, overlay)
        overlay.unlink()
    finally:
        wait([printing])   # whatever failed, the print page stays until Chromium is done with it
        source.unlink(missing_ok=True)
    return target
