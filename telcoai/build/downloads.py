"""Reader downloads, made when the site is built: each figure's data and image, and the datasets.

After Sphinx has written a page, every numbered figure that holds a chart gets
its data as CSV, its image as SVG and PNG (drawn offline by vl-convert) and its
Vega spec, under ``downloads/figures/<figure id>.*``, and a line of links
under its caption. The SVG and PNG carry the report's name, the figure's
address and the licence, drawn in a band under the chart and, in the PNG,
also as text chunks. Each figure also gets a short citation with a copy
button and its BibTeX, RIS and CSL-JSON exports (``telcoai.citation``). The
data package (the tables ``datapackage.json`` declares, and the descriptor)
is copied to ``downloads/data/``, with a zip of all of it.
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

from telcoai import site

FIGURE = re.compile(r'<figure class="[^"]*" id="(?P<id>fig-[\w-]+)">(?P<body>.*?)</figure>', re.S)
SPEC = re.compile(r'<script type="application/json" class="telcoai-spec">(?P<json>.*?)</script>', re.S)
MARKER = 'class="telcoai-downloads"'
TABLE = re.compile(r'(?P<open><figure class="telcoai-table-figure" id="(?P<id>tbl-[\w-]+)"[^>]*>)(?P<body>.*?)'
                   r'<script type="text/csv" class="telcoai-table-csv">(?P<csv>.*?)</script>', re.S)
STATIC_WIDTH = 680
CAPTION = re.compile(r'<span class="caption-number">(?:Fig\.|Figure) (?P<number>[\w.]+) </span>'
                     r'<span class="caption-text">(?P<text>.*?)</span>', re.S)
SVG_ROOT = re.compile(r'<svg (?P<attrs>[^>]*)>')
CREDIT_BAND = 34


def figure_specs(page_html: str) -> list[tuple[str, dict]]:
    """(figure id, Vega spec) for each numbered figure that holds a chart."""
    found = []
    for match in FIGURE.finditer(page_html):
        spec = SPEC.search(match.group("body"))
        if spec:
            found.append((match.group("id"), widest(json.loads(spec.group("json")))))
    return found


def widest(payload: dict) -> dict:
    """The spec itself, or the widest layout of a chart that carries several."""
    if "telcoai_variants" in payload:
        return payload["telcoai_variants"][0][1]
    return payload


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


def static_spec(spec: dict) -> dict:
    """The spec for a static image: a fixed width where it fills its container, no input bindings."""
    def fix(node):
        if isinstance(node, dict):
            node = {k: fix(v) for k, v in node.items() if k != "bind"}
            if node.get("name") == "width" and "containerSize" in str(node.get("init", "")):
                node = {"name": "width", "value": STATIC_WIDTH}
            return node
        if isinstance(node, list):
            return [fix(item) for item in node]
        return node
    return fix(spec)


def credit_lines(figure_url: str, meta: dict | None = None) -> list[str]:
    """The credit drawn under an exported image: report, version, licence, and the figure's address."""
    from telcoai import citation

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
    """Write the figure's files (only those whose content changed); return (label, file name) pairs."""
    import vl_convert

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
    if rows:
        (target / f"{figure_id}.csv").write_text(rows_to_csv(rows), encoding="utf-8")
    fixed = static_spec(spec)
    svg = vl_convert.vega_to_svg(fixed)
    if credit:
        svg = credit_svg(svg, credit, title)
    (target / f"{figure_id}.svg").write_text(svg, encoding="utf-8")
    png = vl_convert.svg_to_png(svg, scale=2)
    if credit:
        png = png_with_text(png, {"Title": title, "Copyright": credit[0], "Source": credit[-1]})
    (target / f"{figure_id}.png").write_bytes(png)
    (target / f"{figure_id}.vg.json").write_text(spec_text, encoding="utf-8")
    stamp.write_text(digest)
    return links


def links_html(figure_id: str, links: list[tuple[str, str]], prefix: str, cite_page: str) -> str:
    items = " · ".join(
        f'<a href="{html.escape(prefix + name)}" download>{html.escape(label)}</a>' for label, name in links
    )
    return (f'<p {MARKER}>Download: {items} · <a href="#{html.escape(figure_id)}">link to this figure</a>'
            f' · <a href="{html.escape(cite_page)}">how to cite</a></p>')


def cite_html(figure_id: str, item: dict, exports: list[tuple[str, str]], prefix: str) -> str:
    """"Cite this figure": the short citation with the figure's stable address, a copy button, the exports."""
    from telcoai import citation

    target = f"cite-{figure_id}"
    formats = " · ".join(
        f'<a href="{html.escape(prefix + name)}" download>{html.escape(label)}</a>' for label, name in exports)
    return (f'<p class="telcoai-cite-figure">Cite this figure: <span class="telcoai-cite-text" id="{target}">'
            f'{citation.apa_html(item)}</span> <button type="button" class="telcoai-copy" data-copy-target="{target}" '
            f'aria-label="Copy the citation of this figure">Copy</button> · {formats}</p>')


def caption_of(figure_body: str) -> tuple[str, str]:
    """(number, caption text) of a figure, from its HTML caption."""
    match = CAPTION.search(figure_body)
    if not match:
        return "", ""
    return match.group("number"), html.unescape(re.sub(r"<[^>]+>", "", match.group("text")))


def add_figure_downloads(page: Path, outdir: Path) -> int:
    """Write the downloads of every chart figure on `page` and link them under the captions."""
    text = page.read_text(encoding="utf-8")
    target = outdir / site.FIGURES
    prefix = os.path.relpath(target, page.parent).replace(os.sep, "/") + "/"
    cite_page = os.path.relpath(outdir / "chapters" / "how-to-cite.html", page.parent).replace(os.sep, "/")
    from telcoai import citation

    pagename = page.relative_to(outdir).with_suffix("").as_posix()
    meta = citation.report_metadata()
    count = 0

    def with_links(match: re.Match) -> str:
        nonlocal count
        spec = SPEC.search(match.group("body"))
        if not spec:
            return match.group(0)
        count += 1
        figure_id = match.group("id")
        number, caption = caption_of(match.group("body"))
        item = citation.figure_item(figure_id, number, caption, pagename, meta)
        credit = credit_lines(item["URL"], meta)
        links = write_figure_files(figure_id, widest(json.loads(spec.group("json"))), target, credit,
                                   f"{item['genre']}: {item['title']}")
        exports = citation.write_exports(item, target, figure_id)
        if MARKER in match.group("body"):
            return match.group(0)
        whole = match.group(0)
        return (whole[: -len("</figure>")] + links_html(figure_id, links, prefix, cite_page)
                + cite_html(figure_id, item, exports, prefix) + "</figure>")

    updated = TABLE.sub(lambda match: with_table_download(match, outdir, page), FIGURE.sub(with_links, text))
    if updated != text:
        page.write_text(updated, encoding="utf-8")
    return count


def with_table_download(match: re.Match, outdir: Path, page: Path) -> str:
    """Write a chapter table's rows to downloads/tables/<id>.csv and link it under the table."""
    from telcoai.charts import site_address

    table_id = match.group("id")
    target = outdir / site.TABLES
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{table_id}.csv"
    csv_text = match.group("csv").replace("<\\/", "</")
    if not path.exists() or path.read_text(encoding="utf-8") != csv_text:
        path.write_text(csv_text, encoding="utf-8")
    href = os.path.relpath(path, page.parent).replace(os.sep, "/")
    address = site_address(f"{site.TABLES}/{table_id}.csv")
    links = (f'<p {MARKER}>Download: <a href="{html.escape(href)}" download>the full table (CSV)</a>'
             f' · <a href="#{table_id}">link to this table</a></p>'
             f'<p class="telcoai-print-only telcoai-table-address">The full table: {html.escape(address)}</p>')
    return match.group("open") + match.group("body") + links


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
