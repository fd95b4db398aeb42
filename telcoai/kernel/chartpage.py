"""The chart renderer and the page protocol it shares with the site's script.

A chart reaches the page as a ``<div>`` that holds its Vega spec (compiled
from Vega-Lite when the chapter runs, by vl-convert, offline) in a JSON script
tag; ``_static/charts.js`` draws it with the Vega library the site serves
itself. A page never asks a CDN for code, never runs JavaScript that came from
the data, and spends no time compiling in the browser.

Each chart without inputs is also drawn in advance, as SVG in the page, at
a phone's column width and at a wide one (:data:`STATIC_WIDTHS`): the page
shows the one that fits its column at once, with no script, and the script
draws the chart live (tooltips, exact width, the dark palette) only when the
reader reaches for it or reads in the dark theme.

The names of that protocol (classes, the spec's own keys, the column-width
signal, the drawn-state attribute) are stated once, in :data:`PROTOCOL`. The
build gives them to the page's script (``window.telcoaiChartProtocol``,
:func:`protocol_script`); the stylesheet's chart selectors and the tests are
checked against them.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET

#: Every name the chart element, its script, its styles and the tests rely on.
PROTOCOL = {
    # Classes of the chart element and its parts.
    "chart": "telcoai-chart",
    "canvas": "telcoai-chart-canvas",
    "spec": "telcoai-spec",
    "title": "telcoai-chart-title",
    "static": "telcoai-chart-static",
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
#: Narrow columns (phones) below this many pixels get the compact layout; the page swaps the drawings there too.
NARROW_BELOW = 560
#: The column widths at which a chart is drawn in advance: a 375 px phone's column, and a wide column.
STATIC_WIDTHS = (343, COLUMN_DEFAULT)
#: The typeface of the drawings made in advance, which are laid out before any browser sees them: metric-compatible
#: faces that the drawing tool and the reader's browser both find, so labels keep the room they were given.
STATIC_FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
#: Small multiples without their own panel sizes: the smallest panel and the space between panels (px).
PANEL_DEFAULTS = {"min_width": 150, "gutter": 60}
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


def fixed_width(spec: dict, width: int) -> dict:
    """The spec drawn at a fixed column width: no input bindings, and a chart that fills its container fills `width`."""
    def fix(node):
        if isinstance(node, dict):
            node = {k: fix(v) for k, v in node.items() if k != "bind"}
            if node.get("name") == "width" and "containerSize" in str(node.get("init", "")):
                node = {"name": "width", "value": width}
            elif node.get("name") == PROTOCOL["column"] and "value" in node:
                node = {**node, "value": width}
            return node
        if isinstance(node, list):
            return [fix(item) for item in node]
        return node
    return fix(spec)


def _static_font(node):
    """The spec with every typeface set to :data:`STATIC_FONT`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "font" and isinstance(value, str):
                out[key] = STATIC_FONT
            elif key == "font" and isinstance(value, dict) and isinstance(value.get("value"), str):
                out[key] = {**value, "value": STATIC_FONT}
            else:
                out[key] = _static_font(value)
        return out
    if isinstance(node, list):
        return [_static_font(item) for item in node]
    return node


def _set_signal(spec: dict, name: str, value) -> None:
    for signal in spec.get("signals", []):
        if signal.get("name") == name:
            signal["value"] = value
            signal.pop("init", None)


def layout_at(payload: dict, width: int) -> tuple[dict, int]:
    """The layout ``_static/charts.js`` would pick for a column `width` px wide, and its number of panels (0: one view).

    Small multiples take as many panels per row as fit at their smallest width.
    """
    if PROTOCOL["variants"] not in payload:
        return json.loads(json.dumps(payload)), 0
    variants = payload[PROTOCOL["variants"]]
    meta = (variants[0][1].get("usermeta") or {}).get("panels") or PANEL_DEFAULTS
    for index, (count, spec) in enumerate(variants):
        panel = (width - 8) // count - meta["gutter"]
        if panel >= meta["min_width"] or index == len(variants) - 1:
            spec = json.loads(json.dumps(spec))
            _set_signal(spec, "child_width", max(panel, 80))
            return spec, count
    raise AssertionError("unreachable")


def static_svg(payload: dict, width: int) -> str:
    """The chart drawn as SVG for a column `width` px wide, as the page's script would lay it out (title aside).

    The page scales the drawing to its column, so small multiples need not be fitted to the pixel as the
    script fits the live chart.
    """
    import vl_convert

    spec, _ = layout_at(payload, width)
    spec.pop("title", None)
    svg = vl_convert.vega_to_svg(_static_font(fixed_width(spec, width)))
    # A tenth of a pixel is finer than any screen shows: fewer digits, a lighter page.
    return _compact(re.sub(r"(\d\.\d)\d+", r"\1", svg))


_SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", _SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
#: What a drawing made in advance does not need: it is hidden from assistive technology (the live chart
#: and the figure's caption describe it) and never takes the pointer.
_UNUSED_ATTRIBUTES = {"class", "role", "aria-roledescription", "aria-label", "aria-hidden", "pointer-events"}
_DEFAULTS = {("opacity", "1"), ("transform", "translate(0,0)"), ("font-family", STATIC_FONT)}


def _compact(svg: str) -> str:
    """The same drawing with fewer nodes and bytes: no unused attributes, defaults, empty or hidden parts.

    The typeface is stated once on the root; groups that carry no attribute are dissolved into their parent.
    """
    root = ET.fromstring(svg)

    def prune(parent):
        kept = []
        for child in parent:
            prune(child)
            attributes = child.attrib
            for key in [k for k in attributes if k in _UNUSED_ATTRIBUTES or (k, attributes[k]) in _DEFAULTS]:
                del attributes[key]
            tag = child.tag.rpartition("}")[2]
            if attributes.get("display") == "none" or (tag == "path" and attributes.get("d", "") in ("", "M0,0h0v0h0Z")):
                continue
            if tag == "g" and not attributes:
                kept.extend(child)
                continue
            kept.append(child)
        parent[:] = kept

    prune(root)
    root.set("font-family", STATIC_FONT)
    return ET.tostring(root, encoding="unicode")


def _static_block(column: str, svg: str) -> str:
    """A drawing made in advance, in a block that keeps the drawing's proportions.

    The stylesheet lets the browser skip laying out a drawing far from the screen; the block's aspect ratio
    keeps its place the size the drawing will take, so nothing moves when it is laid out.
    """
    size = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg)
    ratio = f' style="aspect-ratio: {size[1]} / {size[2]}"' if size else ""
    return f'<div class="{PROTOCOL["static"]}" data-column="{column}" aria-hidden="true"{ratio}>{svg}</div>'


def has_inputs(payload: dict) -> bool:
    """Whether the chart has inputs (sliders): such a chart is only ever drawn live."""
    return '"bind"' in json.dumps(payload)


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
    compiled = compiled_payload(with_column_signal(spec))
    payload = _spec_json(compiled)
    chart_id = "chart-" + hashlib.sha1(payload.encode()).hexdigest()[:10]
    drawn = "" if has_inputs(compiled) else "".join(
        _static_block(column, static_svg(compiled, width)) for column, width in zip(("narrow", "wide"), STATIC_WIDTHS))
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
        f'{drawn}<div class="{PROTOCOL["canvas"]}"></div>'
        f'<script type="application/json" class="{PROTOCOL["spec"]}">{payload}</script>'
        "</div>"
    )
    return {"text/html": html, "text/plain": f"[chart: {title or 'untitled'}]"}


def _attr(text: str) -> str:
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;"))


def enable_renderer() -> None:
    """Draw Altair charts in this kernel through the renderer above."""
    import altair as alt   # here, not at the top: the build side reads this module's protocol without Altair

    alt.renderers.register(RENDERER_NAME, render)
    alt.renderers.enable(RENDERER_NAME)
