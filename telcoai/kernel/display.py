"""Readable, sortable HTML tables for the chapters; text is always escaped.

A table is numbered and captioned like a figure, sits in one scroll box with a
sticky header, says how many rows it has and shows at most ``SHOWN`` of them;
the whole table is a CSV download (written when the site is built, from the
rows the table carries for it, see ``telcoai.build.downloads``).
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
from IPython.display import HTML

from telcoai.kernel import site

GAP = "not reported"
#: Rows a chapter shows before "Show all"; the PDF prints this many and names the download.
SHOWN = 20


def number(value: float) -> str:
    """One format for a column of mixed quantities: thousands separated, at most four significant digits.

    10000 -> '10,000'; 0.6165 -> '0.6165'; 2.4778 -> '2.478'; never an exponent.
    """
    if value == 0:
        return "0"
    digits = max(0, 3 - int(math.floor(math.log10(abs(value)))))
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "−")


def _format(spec, value: float) -> str:
    if callable(spec):
        return spec(value)
    if spec == "auto":
        return number(value)
    return spec.format(value).replace("-", "−")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def table_html(frame: pd.DataFrame, columns: dict[str, str], numbers: dict[str, object] | None = None,
               link: tuple[str, str] | None = None, caption: str | None = None, name: str | None = None,
               shown: int = SHOWN, long_text: tuple[str, ...] = ()) -> str:
    """Render `frame` as a captioned HTML table with the given column labels.

    `numbers` maps a column to a format string, a function or "auto" (see
    `number`); numeric cells are right-aligned and sort by value, gaps last.
    `link` is a (text column, URL column) pair whose text becomes a link to the
    URL. Empty cells read "not reported". `name` is the table's anchor
    (``tbl-<name>``) and the name of its CSV download. Cells of the `long_text`
    columns (addresses, identifiers, field changes) may break anywhere, so they
    never widen the table beyond the page.
    """
    numbers = numbers or {}
    head = "".join(
        f'<th scope="col" aria-sort="none"{" class=num" if c in numbers else ""}>'
        f'<button type="button" class="telcoai-sort">{html.escape(label)}</button></th>'
        for c, label in columns.items()
    )
    body = []
    for index, (_, row) in enumerate(frame.iterrows()):
        cells = []
        for column in columns:
            value = row[column]
            missing = value is None or (not isinstance(value, str) and pd.isna(value))
            if missing:
                cells.append(f'<td class="telcoai-gap{" num" if column in numbers else ""}">{GAP}</td>')
            elif column in numbers:
                text = _format(numbers[column], float(value))
                cells.append(f'<td class="num" data-sort="{float(value)}">{html.escape(text)}</td>')
            elif link and column == link[0] and isinstance(row[link[1]], str):
                cells.append(f'<td><a href="{html.escape(row[link[1]], quote=True)}">{html.escape(str(value))}</a></td>')
            else:
                cells.append(f'<td{" class=telcoai-long" if column in long_text else ""}>{html.escape(str(value))}</td>')
        hidden = ' class="telcoai-more" hidden' if index >= shown else ""
        body.append(f"<tr{hidden}>" + "".join(cells) + "</tr>")
    rows = len(frame)
    anchor = "tbl-" + (name or slug(caption or "table"))
    label = caption or "Data table"
    figcaption = (f'<figcaption><span class="caption-number">Table </span>'
                  f'<span class="caption-text">{html.escape(label)}</span></figcaption>')
    count = f'{rows:,} row{"s" if rows != 1 else ""}'
    if rows > shown:
        status = (f'<p class="telcoai-table-count telcoai-table-partial" aria-live="polite">Showing {shown} of {count}. '
                  f'<button type="button" class="telcoai-show-all" aria-controls="{anchor}-table">Show all {count}</button></p>')
    else:
        status = f'<p class="telcoai-table-count">{count}.</p>'
    export = [c for c in columns] + ([link[1]] if link and link[1] not in columns else [])
    csv_text = frame[export].rename(columns={c: columns.get(c, c) for c in export}).to_csv(index=False)
    # Nothing in the CSV may close the script element it travels in.
    csv_text = csv_text.replace("</", "<\\/")
    download = site.file(site.TABLES, f"{anchor}.csv")
    links = (f'<p class="telcoai-downloads">Download: <a href="{html.escape(download)}" download>the full table (CSV)</a>'
             f' · <a href="#{anchor}">link to this table</a></p>'
             f'<p class="telcoai-print-only telcoai-table-address">The full table: '
             f'{html.escape(site.address(f"{site.TABLES}/{anchor}.csv"))}</p>')
    return (
        f'<figure class="telcoai-table-figure" id="{anchor}" data-rows="{rows}" data-shown="{min(rows, shown)}">'
        f"{figcaption}{status}"
        f'<div class="telcoai-table-wrap" tabindex="0" role="region" aria-label="{html.escape(label, quote=True)}">'
        f'<table class="telcoai-table" id="{anchor}-table"><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(body)}</tbody></table></div>{links}'
        f'<script type="text/csv" class="{site.CSV_BLOCK}">{csv_text}</script>'
        "</figure>"
    )


def data_table(frame: pd.DataFrame, columns: dict[str, str], **options) -> HTML:
    return HTML(table_html(frame, columns, **options))
