"""Readable, sortable HTML tables for the chapters; text is always escaped."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

GAP = "not reported"


def table_html(frame: pd.DataFrame, columns: dict[str, str], numbers: dict[str, str] | None = None,
               link: tuple[str, str] | None = None, caption: str | None = None) -> str:
    """Render `frame` as an HTML table with the given column labels.

    `numbers` maps a column to a format string (right-aligned); `link` is a
    (text column, URL column) pair whose text becomes a link to the URL. Empty
    cells read "not reported".
    """
    numbers = numbers or {}
    head = "".join(
        f'<th scope="col" aria-sort="none"{" class=num" if c in numbers else ""}>'
        f'<button type="button" class="telcoai-sort">{html.escape(label)}</button></th>'
        for c, label in columns.items()
    )
    body = []
    for _, row in frame.iterrows():
        cells = []
        for column in columns:
            value = row[column]
            missing = value is None or (not isinstance(value, str) and pd.isna(value))
            if missing:
                cells.append(f'<td class="telcoai-gap">{GAP}</td>')
            elif column in numbers:
                text = numbers[column].format(float(value))
                cells.append(f'<td class="num" data-sort="{float(value)}">{html.escape(text)}</td>')
            elif link and column == link[0] and isinstance(row[link[1]], str):
                cells.append(f'<td><a href="{html.escape(row[link[1]], quote=True)}">{html.escape(str(value))}</a></td>')
            else:
                cells.append(f"<td>{html.escape(str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        '<div class="telcoai-table-wrap" tabindex="0" role="region" aria-label="Data table">'
        f'<table class="telcoai-table">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def data_table(frame: pd.DataFrame, columns: dict[str, str], **options) -> HTML:
    return HTML(table_html(frame, columns, **options))
