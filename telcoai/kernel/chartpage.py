"""The chart renderer and the page protocol it shares with the site's script.

A chart reaches the page as a ``<div>`` that holds its Vega spec (compiled
from Vega-Lite when the chapter runs, by vl-convert, offline) in a JSON script
tag; ``_static/charts.js`` draws it with the Vega library the site serves
itself. A page never asks a CDN for code, never runs JavaScript that came from
the data, and spends no time compiling in the browser.

The names of that protocol (classes, the spec's own keys, the column-width
signal, the drawn-state attribute) are stated once, in :data:`PROTOCOL`. The
build gives them to the page's script (``window.telcoaiChartProtocol``,
:func:`protocol_script`); the stylesheet's chart selectors and the tests are
checked against them.
"""

from __future__ import annotations

import hashlib
import json

import altair as alt

#: Every name the chart element, its script, its styles and the tests rely on.
PROTOCOL = {
    # Classes of the chart element and its parts.
    "chart": "telcoai-chart",
    "canvas": "telcoai-chart-canvas",
    "spec": "telcoai-spec",
    "title": "telcoai-chart-title",
    "subtitle": "telcoai-chart-subtitle",
    # Small multiples: one compiled layout per column count, and the count drawn.
    "variants": "telcoai_variants",
    "panels": "telcoai_panels",
    # The signal that holds the width of the chart's text column, in pixels.
    "column": "cw",
    # data-* attributes the script sets on a chart: "true" or "error", when, and at what width.
    "rendered": "rendered",
    "rendered_at": "renderedAt",
    "drawn_width": "drawnWidth",
}
#: Width of the text column for images drawn at build time (downloads, the data package).
COLUMN_DEFAULT = 680
#: Vega-Lite version of the pinned Altair, for vl-convert.
VEGALITE_VERSION = "6.4"
RENDERER_NAME = "telcoai"


def selector(name: str) -> str:
    """The CSS selector of a protocol class (``selector("chart")`` is ``.telcoai-chart``)."""
    return "." + PROTOCOL[name]


def drawn_attribute() -> str:
    """The attribute that says a chart is drawn (``data-rendered``)."""
    return "data-" + PROTOCOL["rendered"]


def protocol_script() -> str:
    """The inline script that hands the protocol's names to ``_static/charts.js``."""
    return "window.telcoaiChartProtocol = " + json.dumps(PROTOCOL, sort_keys=True) + ";"


def _spec_json(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Inside <script> nothing may close the tag or open a comment.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def compile_to_vega(spec: dict) -> dict:
    import vl_convert

    return vl_convert.vegalite_to_vega(spec, vl_version=VEGALITE_VERSION)


def compiled_payload(spec: dict) -> dict | list:
    """The compiled Vega spec; for wrapped small multiples, one layout per column count.

    Vega fixes a facet's layout when it is compiled, so a chart that must show
    fewer columns on a narrow screen carries a compiled variant for each count
    (widest first) and ``_static/charts.js`` picks the widest that fits.
    """
    columns = spec.get("columns") if "facet" in spec else None
    if not columns or columns <= 1:
        return compile_to_vega(spec)
    return {PROTOCOL["variants"]: [[n, compile_to_vega({**spec, "columns": n})] for n in range(columns, 0, -1)]}


def widest(payload: dict) -> dict:
    """The spec itself, or the widest layout of a chart that carries several."""
    if PROTOCOL["variants"] in payload:
        return payload[PROTOCOL["variants"]][0][1]
    return payload


def with_column_signal(spec: dict) -> dict:
    """The spec with the column-width signal that the responsive properties read."""
    column = PROTOCOL["column"]
    params = [p for p in spec.get("params", []) if p.get("name") != column]
    return {**spec, "params": params + [{"name": column, "value": COLUMN_DEFAULT}]}


def title_parts(spec: dict) -> tuple[str, list[str]]:
    """The chart's title and subtitle lines."""
    title = spec.get("title") or ""
    subtitle: list[str] = []
    if isinstance(title, dict):
        subtitle = title.get("subtitle") or []
        subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        title = title.get("text") or ""
    if isinstance(title, list):
        title = " ".join(title)
    return str(title), [str(line) for line in subtitle]


def render(spec: dict, **_options) -> dict:
    """Altair renderer: a chart placeholder, with its compiled Vega spec, that ``_static/charts.js`` fills.

    The title and subtitle are HTML above the chart, so that they wrap on a
    narrow screen; the spec keeps them for the images made at build time.
    """
    payload = _spec_json(compiled_payload(with_column_signal(spec)))
    chart_id = "chart-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    title, subtitle = title_parts(spec)
    description = spec.get("description") or title or "Chart"
    heading = ""
    print_note = (spec.get("usermeta") or {}).get("print_subtitle")
    if title:
        screen = ' telcoai-screen-only' if print_note else ""
        heading = (f'<p class="{PROTOCOL["title"]}">{_attr(title)}</p>'
                   + "".join(f'<p class="{PROTOCOL["subtitle"]}{screen}">{_attr(line)}</p>' for line in subtitle))
        if print_note:
            heading += f'<p class="{PROTOCOL["subtitle"]} telcoai-print-only">{_attr(print_note)}</p>'
    html = (
        f'<div class="{PROTOCOL["chart"]}" id="{chart_id}" role="figure" aria-label="{_attr(description)}">{heading}'
        f'<div class="{PROTOCOL["canvas"]}"></div>'
        f'<script type="application/json" class="{PROTOCOL["spec"]}">{payload}</script>'
        "</div>"
    )
    return {"text/html": html, "text/plain": f"[chart: {title or 'untitled'}]"}


def _attr(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def enable_renderer() -> None:
    """Draw Altair charts in this kernel through the renderer above."""
    alt.renderers.register(RENDERER_NAME, render)
    alt.renderers.enable(RENDERER_NAME)
