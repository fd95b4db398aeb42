"""The chart page protocol: one set of names for the renderer, the page's script, its styles and the tests."""

from __future__ import annotations

import json
import re

import altair as alt

from conftest import ROOT
from telcoai.kernel import chartpage
from telcoai.kernel.chartpage import PROTOCOL

SCRIPT = (ROOT / "_static" / "charts.js").read_text(encoding="utf-8")
STYLES = (ROOT / "_static" / "report.css").read_text(encoding="utf-8")


def test_the_renderer_writes_the_protocols_names():
    out = chartpage.render(alt.Chart({"values": [{"x": 1}]}).mark_point().encode(x="x:Q")
                           .properties(title="A title").to_dict())["text/html"]
    for name in ("chart", "canvas", "spec", "title"):
        assert f'class="{PROTOCOL[name]}"' in out, name
    spec = json.loads(re.search(r'class="telcoai-spec">(.*)</script>', out).group(1))
    assert any(s["name"] == PROTOCOL["column"] for s in spec["signals"])


def test_the_page_script_takes_every_name_from_the_protocol_it_is_given():
    assert "window.telcoaiChartProtocol" in SCRIPT
    for value in PROTOCOL.values():
        if value.startswith("telcoai"):
            assert f'"{value}"' not in SCRIPT and f"'{value}'" not in SCRIPT and f".{value}" not in SCRIPT, value
    names = json.loads(chartpage.protocol_script().split("=", 1)[1].rstrip(";"))
    assert names == PROTOCOL
    for key in set(re.findall(r"\bP\.(\w+)", SCRIPT)):
        assert key in PROTOCOL, f"charts.js uses P.{key}, which the protocol does not name"


def test_every_chart_class_in_the_stylesheet_is_a_protocol_name():
    used = set(re.findall(r"\.(telcoai-chart[\w-]*)", STYLES))
    assert used, "the stylesheet styles no chart"
    assert used <= set(PROTOCOL.values()), used - set(PROTOCOL.values())


def test_the_widest_layout_is_the_first_variant():
    wide, narrow = {"signals": [1]}, {"signals": [2]}
    assert chartpage.widest({PROTOCOL["variants"]: [[3, wide], [1, narrow]]}) is wide
    assert chartpage.widest(narrow) is narrow


def test_a_drawing_made_in_advance_keeps_every_mark_and_label_with_fewer_nodes():
    data = [{"year": str(2019 + i), "value": v, "group": g} for i, v in enumerate([3, 5, 4]) for g in ("A", "B")]
    spec = (alt.Chart(alt.Data(values=data)).mark_line(point=True)
            .encode(x="year:N", y="value:Q", color="group:N").properties(width=300, height=200).to_dict())
    payload = chartpage.compiled_payload(chartpage.with_column_signal(spec))
    import vl_convert
    raw = vl_convert.vega_to_svg(chartpage.fixed_width(json.loads(json.dumps(payload)), 343))
    compact = chartpage.static_svg(payload, 343)

    def marks(svg):
        return {tag: len(re.findall(rf"<{tag}\b", svg)) for tag in ("text", "line", "circle", "rect")}, \
            sorted(re.findall(r"<text[^>]*>([^<]+)</text>", svg))
    assert marks(compact) == marks(raw)
    assert compact.count("<") < raw.count("<") * 0.8
    assert chartpage.STATIC_FONT in compact and "aria-roledescription" not in compact
    html = chartpage.render(spec)["text/html"]
    assert re.search(r'class="telcoai-chart-static" data-column="narrow" aria-hidden="true" style="aspect-ratio: [\d.]+ / [\d.]+"', html)
