"""Reader downloads, made when the site is built: each figure's data and image, and the datasets.

After Sphinx has written a page, every numbered figure that holds a chart gets
its data as CSV, its image as SVG and PNG (drawn offline by vl-convert) and its
Vega spec, under ``downloads/figures/<figure id>.*``, and a line of links
under its caption. The data package (CSV tables and ``datapackage.json``) is
copied whole to ``downloads/data/``, with a zip of all of it.
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
import zipfile
from pathlib import Path

FIGURE = re.compile(r'<figure class="[^"]*" id="(?P<id>fig-[\w-]+)">(?P<body>.*?)</figure>', re.S)
SPEC = re.compile(r'<script type="application/json" class="telcoai-spec">(?P<json>.*?)</script>', re.S)
MARKER = 'class="telcoai-downloads"'
TABLE = re.compile(r'(?P<open><figure class="telcoai-table-figure" id="(?P<id>tbl-[\w-]+)"[^>]*>)(?P<body>.*?)'
                   r'<script type="text/csv" class="telcoai-table-csv">(?P<csv>.*?)</script>', re.S)
STATIC_WIDTH = 680


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


def write_figure_files(figure_id: str, spec: dict, target: Path) -> list[tuple[str, str]]:
    """Write the figure's files (only those whose content changed); return (label, file name) pairs."""
    import vl_convert

    target.mkdir(parents=True, exist_ok=True)
    spec_text = json.dumps(spec, sort_keys=True, indent=1)
    digest = hashlib.sha256(spec_text.encode()).hexdigest()
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
    (target / f"{figure_id}.svg").write_text(vl_convert.vega_to_svg(fixed), encoding="utf-8")
    (target / f"{figure_id}.png").write_bytes(vl_convert.vega_to_png(fixed, scale=2))
    (target / f"{figure_id}.vg.json").write_text(spec_text, encoding="utf-8")
    stamp.write_text(digest)
    return links


def links_html(figure_id: str, links: list[tuple[str, str]], prefix: str, cite_page: str) -> str:
    items = " · ".join(
        f'<a href="{html.escape(prefix + name)}" download>{html.escape(label)}</a>' for label, name in links
    )
    return (f'<p {MARKER}>Download: {items} · <a href="#{html.escape(figure_id)}">link to this figure</a>'
            f' · <a href="{html.escape(cite_page)}">how to cite</a></p>')


def add_figure_downloads(page: Path, outdir: Path) -> int:
    """Write the downloads of every chart figure on `page` and link them under the captions."""
    text = page.read_text(encoding="utf-8")
    target = outdir / "downloads" / "figures"
    prefix = os.path.relpath(target, page.parent).replace(os.sep, "/") + "/"
    cite_page = os.path.relpath(outdir / "chapters" / "how-to-cite.html", page.parent).replace(os.sep, "/")
    count = 0

    def with_links(match: re.Match) -> str:
        nonlocal count
        spec = SPEC.search(match.group("body"))
        if not spec:
            return match.group(0)
        count += 1
        figure_id = match.group("id")
        links = write_figure_files(figure_id, widest(json.loads(spec.group("json"))), target)
        if MARKER in match.group("body"):
            return match.group(0)
        whole = match.group(0)
        return whole[: -len("</figure>")] + links_html(figure_id, links, prefix, cite_page) + "</figure>"

    updated = TABLE.sub(lambda match: with_table_download(match, outdir, page), FIGURE.sub(with_links, text))
    if updated != text:
        page.write_text(updated, encoding="utf-8")
    return count


def with_table_download(match: re.Match, outdir: Path, page: Path) -> str:
    """Write a chapter table's rows to downloads/tables/<id>.csv and link it under the table."""
    from telcoai.charts import site_address

    table_id = match.group("id")
    target = outdir / "downloads" / "tables"
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{table_id}.csv"
    csv_text = match.group("csv").replace("<\\/", "</")
    if not path.exists() or path.read_text(encoding="utf-8") != csv_text:
        path.write_text(csv_text, encoding="utf-8")
    href = os.path.relpath(path, page.parent).replace(os.sep, "/")
    address = site_address(f"downloads/tables/{table_id}.csv")
    links = (f'<p {MARKER}>Download: <a href="{html.escape(href)}" download>the full table (CSV)</a>'
             f' · <a href="#{table_id}">link to this table</a></p>'
             f'<p class="telcoai-print-only telcoai-table-address">The full table: {html.escape(address)}</p>')
    return match.group("open") + match.group("body") + links


def copy_datasets(data_dir: Path, outdir: Path, package_name: str) -> None:
    """Copy the data package to downloads/data/ and zip it whole."""
    target = outdir / "downloads" / "data"
    if target.exists():
        shutil.rmtree(target)
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and (p.suffix == ".csv" or p.name == "datapackage.json"))
    for path in files:
        dest = target / path.relative_to(data_dir)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)
    with zipfile.ZipFile(target / f"{package_name}.zip", "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in files:
            bundle.write(path, f"{package_name}/{path.relative_to(data_dir).as_posix()}")
