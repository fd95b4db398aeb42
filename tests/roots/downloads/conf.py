"""A small Sphinx project for the extension's downloads, without a full build.

A chapter holds one chart figure and one table, made by the report's own
renderer and table writer as a chapter's kernel would; the directive below
plays MyST-NB's part, putting the chart in a numbered figure with a caption.
"""

import altair as alt
from docutils import nodes
from docutils.parsers.rst import Directive

from telcoai.build import downloads, sphinx_ext
from telcoai.kernel import chartpage
from telcoai.kernel.display import table_html

import pandas as pd

project = "downloads test"
extensions = []
exclude_patterns = ["_build"]
numfig = True


class ChartFigure(Directive):
    has_content = True

    def run(self):
        chart = alt.Chart(alt.Data(values=[{"year": 2024, "capex": 1.5}, {"year": 2025, "capex": 2.5}])).mark_bar()
        chart = chart.encode(x="year:O", y="capex:Q").properties(title="Capex")
        figure = nodes.figure(ids=["fig-capex-test"])
        figure += nodes.raw("", chartpage.render(chart.to_dict())["text/html"], format="html")
        figure += nodes.caption("", " ".join(self.content))
        self.state.document.note_explicit_target(figure)
        return [figure]


class RowsTable(Directive):
    def run(self):
        frame = pd.DataFrame({"name": ["Alpha", "Beta </script>"], "value": [1.0, 2.0]})
        return [nodes.raw("", table_html(frame, {"name": "Name", "value": "Value"}, numbers={"value": "auto"},
                                         caption="Two rows", name="two-rows"), format="html")]


def setup(app):
    app.add_directive("chartfigure", ChartFigure)
    app.add_directive("rowstable", RowsTable)
    app.connect("doctree-resolved", downloads.add_downloads, priority=400)
    app.connect("build-finished", downloads.finish_drawing)
    app.connect("doctree-resolved", sphinx_ext.resolve_site_links, priority=500)
    app.connect("env-check-consistency", sphinx_ext.check_pages)
