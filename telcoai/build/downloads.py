"""Reader downloads, made while Sphinx writes each page: each figure's data and image, and the datasets.

Every numbered figure that holds a chart (found in the page's doctree, as
Sphinx resolves it) gets its data as CSV, its image as SVG and PNG (drawn
offline by vl-convert) and its Vega spec, under ``downloads/figures/<figure
id>.*``, and a line of links under its caption. The SVG and PNG carry the
report's name, the figure's address and the licence, drawn in a band under the
chart and, in the PNG, also as text chunks. Each figure also gets a short
citation with a copy button and its BibTeX, RIS and CSL-JSON exports
(``telcoai.kernel.citation``). Each chapter table's rows, which the table
carries in the page (``telcoai.kernel.display``), become
``downloads/tables/<table id>.csv``. Links are written as site addresses
(``telcoai.kernel.site``), which the extension then resolves relative to the
page, so every page is written once. The data package (the tables
``datapackage.json`` declares, and the descriptor) is copied to
``downloads/data/``, with a zip of all of it.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from telcoai.kernel import site
from telcoai.kernel.chartpage import COLUMN_DEFAULT, PROTOCOL, fixed_width, widest

#: The spec inside the renderer's output (telcoai.kernel.chartpage.render), and a table's rows (display.table_html).
SPEC = re.compile(r'<script type="application/json" class="' + PROTOCOL["spec"] + r'">(?P<json>.*?)</script>', re.S)
TABLE_ROWS = re.compile(r'<figure class="telcoai-table-figure" id="(?P<id>tbl-[\w.-]+)".*?'
                        r'(?P<script><script type="text/csv" class="' + site.CSV_BLOCK + r'">(?P<csv>.*?)</script>)', re.S)
MARKER = 'class="telcoai-downloads"'
SVG_ROOT = re.compile(r'<svg (?P<attrs>[^>]*)>')
CREDIT_BAND = 34


def chart_rows(spec: dict) -> list[dict]:
    """The rows of the chart's data: the largest inline dataset of the Vega spec."""
    inline = [d["values"] for d in spec.get("data", []) if isinstance(d.get("values"), list)]
    return max(inline, key=len) if inline else []


def rows_to_csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def credit_lines(figure_url: str, meta: dict | None = None) -> list[str]:
    """The credit drawn under an exported image: report, version, licence, and the figure's address."""
    from telcoai.kernel import citation

    meta = meta or citation.report_metadata()
    return [f"{citation.short_title(meta)} (version {meta['version']}), {citation.institution(meta)} · "
            f"{citation.LICENSE_NAME}, {citation.LICENSE_URL}", figure_url]


def credit_svg(svg: str, lines: list[str], title: str) -> str:
    """The SVG with a band under the chart holding the credit lines, and a title and licence in its metadata."""
    match = SVG_ROOT.search(svg)
    attrs = match.group("attrs")
    width = float(re.search(r'width="([\d.]+)"', attrs).group(1))
    height = float(re.search(r'height="([\d.]+)"', attrs).group(1))
    total = height + CREDIT_BAND
    new_attrs = re.sub(r'height="[\d.]+"', f'height="{total:g}"', attrs)
    new_attrs = re.sub(r'viewBox="[^"]*"', f'viewBox="0 0 {width:g} {total:g}"', new_attrs)
    texts = "".join(
        f'<text x="6" y="{height + 13 + 14 * i:g}" font-family="sans-serif" font-size="10" fill="#444">'
        f"{html.escape(line)}</text>" for i, line in enumerate(lines))
    head = (f"<title>{html.escape(title)}</title>"
            f"<metadata>{html.escape(' · '.join(lines))}</metadata>")
    band = (f'<g class="telcoai-credit"><rect x="0" y="{height:g}" width="{width:g}" height="{CREDIT_BAND}" '
            f'fill="#ffffff"/>{texts}</g>')
    body = svg[match.end():]
    closing = body.rindex("</svg>")
    return svg[: match.start()] + f"<svg {new_attrs}>" + head + body[:closing] + band + body[closing:]


def png_with_text(png: bytes, chunks: dict[str, str]) -> bytes:
    """The PNG with tEXt chunks (title, copyright, source) right after its header chunk."""
    header_end = 8 + 8 + 13 + 4   # signature, IHDR length and type, IHDR data, CRC
    extra = b""
    for keyword, text in chunks.items():
        data = keyword.encode("latin-1") + b"\0" + text.encode("latin-1", "replace")
        extra += struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    return png[:header_end] + extra + png[header_end:]


def write_figure_files(figure_id: str, spec: dict, target: Path, credit: list[str] | None = None,
                       title: str = "") -> list[tuple[str, str]]:
    """Write the figure's files (only those whose content changed); return (label, file name) pairs.

    The images are drawn in a separate process (:func:`drawing`), while Sphinx goes on writing pages;
    :func:`finish_drawing` waits for them.
    """
    target.mkdir(parents=True, exist_ok=True)
    spec_text = json.dumps(spec, sort_keys=True, indent=1)
    credit = credit or []
    digest = hashlib.sha256((spec_text + "\n".join(credit) + title).encode()).hexdigest()
    stamp = target / f"{figure_id}.sha256"
    links = []
    rows = chart_rows(spec)
    if rows:
        links.append(("data (CSV)", f"{figure_id}.csv"))
    links += [("image (SVG)", f"{figure_id}.svg"), ("image (PNG)", f"{figure_id}.png"), ("Vega spec", f"{figure_id}.vg.json")]
    if stamp.exists() and stamp.read_text() == digest and all((target / name).exists() for _, name in links):
        return links
    stamp.unlink(missing_ok=True)   # written last, once every file is: an interrupted build draws it again
    if rows:
        (target / f"{figure_id}.csv").write_text(rows_to_csv(rows), encoding="utf-8")
    (target / f"{figure_id}.vg.json").write_text(spec_text, encoding="utf-8")
    _pending.append(drawing().submit(draw_figure, figure_id, spec, target, credit, title, digest))
    return links


def draw_figure(figure_id: str, spec: dict, target: Path, credit: list[str], title: str, digest: str) -> None:
    """Draw the figure's SVG and PNG (with the credit band and text chunks), then its stamp."""
    import vl_convert

    svg = vl_convert.vega_to_svg(fixed_width(spec, COLUMN_DEFAULT))
    if credit:
        svg = credit_svg(svg, credit, title)
    (target / f"{figure_id}.svg").write_text(svg, encoding="utf-8")
    png = vl_convert.svg_to_png(svg, scale=2)
    if credit:
        png = png_with_text(png, {"Title": title, "Copyright": credit[0], "Source": credit[-1]})
    (target / f"{figure_id}.png").write_bytes(png)
    (target / f"{figure_id}.sha256").write_text(digest)


_drawing = None
_pending: list = []


def _start_renderer(build: int) -> None:
    """In the drawing process: follow the build (a build killed outright leaves no process behind), then
    start the renderer."""
    import os
    import threading
    import time

    import vl_convert

    def follow() -> None:
        while os.getppid() == build:
            time.sleep(0.5)
        os._exit(0)   # the build is gone: nothing will ask for a drawing again
    threading.Thread(target=follow, daemon=True).start()
    vl_convert.vega_to_svg({"width": 1, "height": 1, "marks": []})


def drawing():
    """The process that draws the figures' images: vl-convert holds Python's lock while it draws, so a
    thread would not run beside Sphinx; a process does, on another core."""
    global _drawing
    if _drawing is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _drawing = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_renderer, initargs=(os.getpid(),))
        _drawing.submit(int)   # the process starts (and its renderer with it) now, not at the first figure
    return _drawing


def finish_drawing(app=None, exception=None) -> None:
    """Wait for every figure being drawn (a drawing that failed fails the build), then stop the process."""
    global _drawing
    try:
        while _pending:
            _pending.pop(0).result()
    finally:
        _pending.clear()
        if _drawing is not None:
            _drawing.shutdown(cancel_futures=True)
            _drawing = None


def links_html(figure_id: str, links: list[tuple[str, str]]) -> str:
    items = " · ".join(
        f'<a href="{html.escape(site.file(site.FIGURES, name))}" download>{html.escape(label)}</a>' for label, name in links
    )
    return (f'<p {MARKER}>Download: {items} · <a href="#{html.escape(figure_id)}">link to this figure</a>'
            f' · <a href="{html.escape(site.page(site.HOW_TO_CITE))}">how to cite</a></p>')


def cite_html(figure_id: str, item: dict, exports: list[tuple[str, str]]) -> str:
    """"Cite this figure": the short citation with the figure's stable address, a copy button, the exports."""
    from telcoai.kernel import citation

    target = f"cite-{figure_id}"
    formats = " · ".join(
        f'<a href="{html.escape(site.file(site.FIGURES, name))}" download>{html.escape(label)}</a>'
        for label, name in exports)
    return (f'<p class="telcoai-cite-figure">Cite this figure: <span class="telcoai-cite-text" id="{target}">'
            f'{citation.apa_html(item)}</span> <button type="button" class="telcoai-copy" data-copy-target="{target}" '
            f'aria-label="Copy the citation of this figure">Copy</button> · {formats}</p>')


def figure_number(env, docname: str, figure_id: str) -> str:
    """The figure's number as Sphinx numbered it ("2.1"), or "" if it has none."""
    return ".".join(str(n) for n in (env.toc_fignumbers.get(docname, {}).get("figure", {}).get(figure_id) or ()))


def add_downloads(app, doctree, docname: str) -> None:
    """Write the downloads of the page's chart figures and tables, and link each from the page.

    Runs on the resolved doctree, before the page is written (and before its
    site addresses are resolved): a figure gets its links and citation as
    nodes; a table's carried rows become its CSV file and leave the page.
    """
    if app.builder.format != "html":
        return
    import time

    from docutils import nodes

    from telcoai.kernel import citation

    started = time.perf_counter()
    outdir = Path(app.outdir)
    meta = citation.report_metadata()
    for figure in list(doctree.findall(nodes.figure)):
        chart = next((raw for raw in figure.findall(nodes.raw) if SPEC.search(raw.astext())), None)
        if chart is None or not figure.get("ids") or MARKER in "".join(r.astext() for r in figure.findall(nodes.raw)):
            continue
        figure_id = figure["ids"][0]
        caption = next(iter(figure.findall(nodes.caption)), None)
        item = citation.figure_item(figure_id, figure_number(app.env, docname, figure_id),
                                    caption.astext() if caption else "", docname, meta)
        target = outdir / site.FIGURES
        links = write_figure_files(figure_id, widest(json.loads(SPEC.search(chart.astext()).group("json"))), target,
                                   credit_lines(item["URL"], meta), f"{item['genre']}: {item['title']}")
        exports = citation.write_exports(item, target, figure_id)
        figure += nodes.raw("", links_html(figure_id, links) + cite_html(figure_id, item, exports), format="html")
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        found = list(TABLE_ROWS.finditer(text))
        for match in found:
            write_table_rows(outdir, match.group("id"), match.group("csv").replace("<\\/", "</"))
        if found:
            kept = "".join(text[start:end] for start, end in
                           zip([0] + [m.end("script") for m in found], [m.start("script") for m in found] + [len(text)]))
            raw.replace_self(nodes.raw("", kept, format=raw.get("format", "html")))
    # Reported with the datasets' copy as the build's time on downloads.
    app.telcoai_download_seconds = getattr(app, "telcoai_download_seconds", 0.0) + time.perf_counter() - started


def write_table_rows(outdir: Path, table_id: str, csv_text: str) -> None:
    """A chapter table's rows as downloads/tables/<id>.csv (written only when they changed)."""
    target = outdir / site.TABLES
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{table_id}.csv"
    if not path.exists() or path.read_text(encoding="utf-8") != csv_text:
        path.write_text(csv_text, encoding="utf-8")


def copy_datasets(data_dir: Path, outdir: Path, package_name: str) -> None:
    """Copy the data package (the tables it declares and the descriptor) to downloads/data/ and zip it whole."""
    target = outdir / site.DATASETS
    if target.exists():
        shutil.rmtree(target)
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    files = sorted([data_dir / r["path"] for r in descriptor["resources"]] + [data_dir / "datapackage.json"])
    for path in files:
        dest = target / path.relative_to(data_dir)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    # Fixed entry dates: the same data always gives the same zip, byte for byte.
    with zipfile.ZipFile(target / f"{package_name}.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in files:
            entry = zipfile.ZipInfo(f"{package_name}/{path.relative_to(data_dir).as_posix()}", date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(entry, path.read_bytes())
