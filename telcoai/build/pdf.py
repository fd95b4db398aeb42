"""The PDF edition: every page of the book, in order, printed by headless Chromium.

The chapters' article content is gathered into one print page that uses the
site's own styles and chart script, so charts are drawn exactly as on the web
and printed as vector images. Page numbers, version and date are in the footer.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

ARTICLE = re.compile(r'<article class="bd-article"[^>]*>(?P<body>.*?)</article>', re.S)
HEAD = re.compile(r"<head>(?P<head>.*?)</head>", re.S)
PDF_NAME = "telcos-and-ai-factories.pdf"
PRINT_CSS = """
<style>
  @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
  body { background: white !important; }
  .telcoai-print-chapter { break-before: page; }
  .telcoai-print-title { text-align: center; padding-top: 30vh; }
  .telcoai-print-title h1 { font-size: 2.4rem; }
  details.hide, .cell_input, .toggle-details, .telcoai-downloads, .headerlink, .vega-embed details,
  .vega-bindings { display: none !important; }
  .telcoai-table-wrap { max-height: none !important; overflow: visible !important; }
  .telcoai-chart, figure { break-inside: avoid; }
  table.telcoai-table { font-size: 7.5pt; width: 100%; }
  table.telcoai-table th, table.telcoai-table td { padding: 1px 3px; }
  button.telcoai-sort::after { content: "" !important; }
  a { color: inherit; }
</style>
"""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_page(site: Path, pages: list[str], edition: dict) -> Path:
    """Write chapters/print.html: a title page, then every page's article."""
    first = (site / f"{pages[0]}.html").read_text(encoding="utf-8")
    head = HEAD.search(first).group("head")
    head = re.sub(r"<title>.*?</title>", f"<title>{html.escape(edition['title'])}</title>", head, flags=re.S)
    parts = [
        '<section class="telcoai-print-title">'
        f"<h1>{html.escape(edition['title'])}</h1>"
        f"<p>Version {html.escape(edition['version'])}, released {html.escape(edition['date_released'])}<br>"
        f"Data version {html.escape(edition['data_version'])}, cut-off {html.escape(edition['data_cutoff'])}</p>"
        "<p>Text and data: CC BY 4.0. Code: MIT.</p></section>"
    ]
    for page in pages:
        text = (site / f"{page}.html").read_text(encoding="utf-8")
        match = ARTICLE.search(text)
        if match:
            body = match.group("body")
            if not page.startswith("chapters/"):
                body = body.replace('href="chapters/', 'href="')
            parts.append(f'<section class="telcoai-print-chapter">{body}</section>')
    document = (f'<!DOCTYPE html><html lang="en" data-theme="light"><head>{head}{PRINT_CSS}</head>'
                f'<body><main class="bd-main"><div class="bd-content"><div class="bd-article-container">'
                f'{"".join(parts)}</div></div></main></body></html>')
    target = site / "chapters" / "print.html"
    target.write_text(document, encoding="utf-8")
    return target


def build_pdf(site: Path, pages: list[str], edition: dict) -> Path:
    """Print the whole report to downloads/telcos-and-ai-factories.pdf."""
    from playwright.sync_api import sync_playwright

    source = print_page(site, pages, edition)
    target = site / "downloads" / PDF_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    footer = (
        '<div style="font-size:8px;width:100%;padding:0 16mm;display:flex;justify-content:space-between;color:#444;">'
        f"<span>{html.escape(edition['title'])} · version {html.escape(edition['version'])} ({html.escape(edition['date_released'])})</span>"
        '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page()
        page.goto(source.as_uri(), wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.telcoai-chart')].every(c => c.dataset.rendered === 'true')",
            timeout=60000)
        page.pdf(path=str(target), format="A4", print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=footer,
                 margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"})
        browser.close()
    source.unlink()
    return target
