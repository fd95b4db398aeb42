"""The report's charts: one theme, one palette, one finishing helper, and every chart of the chapters.

Each function takes a table from :mod:`telcoai.kernel.findings` and returns an
Altair chart; the renderer in :mod:`telcoai.kernel.chartpage` puts it on the
page. Responsive properties read the column-width signal, so one spec serves
a phone and a desktop.
"""

from __future__ import annotations

import json

import altair as alt

from telcoai.kernel import chartpage, vocab
from telcoai.kernel.economics import INPUT_LABELS
from telcoai.kernel.validate import partial_dates_to_timestamps

#: Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: Grey for context marks (totals, reference lines).
NEUTRAL = "#6b6b6b"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
HEIGHT = 320
THEME_NAME = "telcoai"
#: The signal that holds the width of the chart's text column, in pixels: ``_static/charts.js`` sets it
#: before each drawing (and again after a resize); images drawn at build time keep the default.
COLUMN = chartpage.PROTOCOL["column"]
NARROW_BELOW = chartpage.NARROW_BELOW


def narrow(if_narrow, otherwise) -> dict:
    """A property that takes `if_narrow` in a narrow column and `otherwise` elsewhere."""
    return {"expr": f"{COLUMN} < {NARROW_BELOW} ? {json.dumps(if_narrow)} : {json.dumps(otherwise)}"}


def years_ticks() -> dict:
    """Yearly ticks on a time axis; every other year in a narrow column."""
    return {"expr": f"{{interval: 'year', step: {COLUMN} < {NARROW_BELOW} ? 2 : 1}}"}


def rows_axis(offset: float | dict, **options) -> alt.Axis:
    """A category axis whose labels sit above each row, inside the plot.

    The plot then spans the whole column at every width, and long labels
    (project names, operators) are shortened only where wider than the column. `offset` moves the label from
    the row's centre to just above its mark.
    """
    return alt.Axis(labelAlign="left", labelBaseline="alphabetic", labelPadding=0, labelOffset=offset,
                    ticks=False, domain=False, labelLimit={"expr": f"{COLUMN} - 16"}, minExtent=0, maxExtent=0,
                    labelFontWeight=500, labelFontSize=12, labelBound=False, **options)


def band_label_offset() -> dict:
    """Label baseline just above a bar that fills part of a band row."""
    return {"expr": "-bandwidth('y') / 2 - 3"}


def theme() -> dict:
    """Vega-Lite config shared by every chart in the report."""
    return {
        "config": {
            "font": FONT,
            "background": "transparent",
            "view": {"stroke": None, "continuousWidth": 600, "continuousHeight": HEIGHT},
            "range": {"category": PALETTE},
            "title": {"fontSize": 15, "fontWeight": 600, "anchor": "start", "subtitleFontSize": 12,
                      "subtitleColor": "#4a4a4a", "offset": 12},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": 500, "labelOverlap": True,
                     "gridColor": "#dddddd", "domainColor": "#888888", "tickColor": "#888888",
                     "labelColor": "#333333", "titleColor": "#333333"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#333333",
                       "titleColor": "#333333", "orient": "bottom", "labelLimit": 0,
                       "columns": {"expr": f"max(1, floor({COLUMN} / 170))"}},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 50, "filled": True},
            "bar": {"color": PALETTE[0]},
        }
    }


def enable() -> None:
    """Use the report's theme and renderer in this kernel."""
    alt.theme.register(THEME_NAME, enable=True)(theme)
    chartpage.enable_renderer()


# --- Charts of the report -------------------------------------------------

def finish(chart: alt.Chart, title: str, source: str | list[str], description: str, height=HEIGHT,
           **properties) -> alt.Chart:
    """The report's finishing for every chart: title with its source line(s), description, and any other properties.

    A single view also fills its column's width at `height`; small multiples (``height=None``) keep their panel sizes.
    """
    subtitle = [source] if isinstance(source, str) else source
    size = {} if height is None else {"width": "container", "height": height}
    return chart.properties(**size, title=alt.TitleParams(title, subtitle=subtitle), description=description, **properties)


def _years_axis(years, title: str = "Fiscal year", every: int = 1) -> alt.X:
    """An ordinal axis over the fiscal years present in the data, labelled every `every` years."""
    years = sorted(int(y) for y in set(years))
    values = list(range(years[0], years[-1] + 1, every))
    return alt.X("fiscal_year:O", title=title, axis=alt.Axis(labelAngle=0, values=values))


def capex_by_operator(panel, source: str) -> alt.Chart:
    """Small multiples: each operator's capex in euro billions by fiscal year."""
    data = panel[["name", "fiscal_year", "capex_eur_bn", "capex_reported", "capex_currency", "capex_unit", "break_note"]].copy()
    data["break_note"] = data["break_note"].astype(object).where(data["break_note"].notna(), None)
    data["reported"] = [
        "not reported" if v != v else f"{v:,.0f} {c} {u}" if u == "million" else f"{v:,.2f} {c} {u}"
        for v, c, u in zip(data["capex_reported"], data["capex_currency"], data["capex_unit"])
    ]
    data = data.drop(columns=["capex_reported", "capex_currency", "capex_unit"])
    base = alt.Chart(data).encode(
        x=_years_axis(data["fiscal_year"], "", every=2),
        y=alt.Y("capex_eur_bn:Q", title=None, axis=alt.Axis(tickCount=4)),
        tooltip=[alt.Tooltip("name:N", title="Operator"), alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                 alt.Tooltip("capex_eur_bn:Q", title="Capex (€ bn)", format=".2f"),
                 alt.Tooltip("reported:N", title="As reported")],
    )
    lines = base.mark_line(color=PALETTE[0], invalid="break-paths-show-domains")
    points = base.mark_point(color=PALETTE[0])
    # A change of perimeter: the figures before and after it are not comparable.
    breaks = base.transform_filter("datum.break_note != null").mark_rule(color=NEUTRAL, strokeDash=[4, 3]).encode(
        y=alt.value(0), y2=alt.value(110),
        tooltip=[alt.Tooltip("name:N", title="Operator"), alt.Tooltip("fiscal_year:O", title="Break in series from"),
                 alt.Tooltip("break_note:N", title="Change of perimeter")])
    panels = (lines + points + breaks).properties(width=150, height=110).facet(
        facet=alt.Facet("name:N", title=None, header=alt.Header(labelFontWeight=600)), columns=4
    ).resolve_scale(y="independent")
    return finish(panels, "Capex by operator, € billion", source,
                  "Small multiples of each European operator's annual capex in euro billions, fiscal years "
                  f"{data['fiscal_year'].min()} to {data['fiscal_year'].max()}; missing years are gaps.",
                  height=None, usermeta={"panels": {"min_width": 150, "gutter": 45}})


def intensity_heatmap(panel, source: str) -> alt.Chart:
    """Capex / revenue by operator and year; years without both figures say so."""
    data = panel[["name", "fiscal_year", "capex_intensity"]].copy()
    data["label"] = ["n.r." if v != v else f"{v * 100:.0f}%" for v in data["capex_intensity"]]
    base = alt.Chart(data).encode(
        x=_years_axis(data["fiscal_year"], ""),
        y=alt.Y("name:N", title=None, sort="ascending", axis=rows_axis(band_label_offset()),
                scale=alt.Scale(paddingInner=0.42, paddingOuter=0.1)),
        tooltip=[alt.Tooltip("name:N", title="Operator"), alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                 alt.Tooltip("label:N", title="Capex / revenue")],
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("capex_intensity:Q", title="Capex / revenue", scale=alt.Scale(scheme="blues", domain=[0.1, 0.26]),
                        legend=alt.Legend(format=".0%", orient="bottom", gradientLength=200)),
    )
    gaps = base.transform_filter("!isValid(datum.capex_intensity)").mark_rect(color="#eeeeee", stroke="white")
    text = base.mark_text(fontSize=11, opacity={"expr": "bandwidth('x') >= 30 ? 1 : 0"}).encode(
        text="label:N",
        color=alt.condition("datum.capex_intensity > 0.2", alt.value("white"), alt.value("#222222")),
    )
    chart = (gaps + cells + text)
    return finish(chart, "Capex intensity: capex as a share of revenue", [source, "n.r.: no figure in the data on the compared definition"],
        "Heat map of capex divided by revenue for each European operator and fiscal year; cells marked n.r. have no figure.", height=alt.Step(40))


def totals_comparison(totals, source: str) -> alt.Chart:
    """Grouped bars: capex of a set of telcos and of the hyperscalers, € billion."""
    data = totals.copy()
    chart = alt.Chart(data).mark_bar().encode(
        x=_years_axis(data["fiscal_year"], ""),
        xOffset=alt.XOffset("label:N"),
        y=alt.Y("capex_eur_bn:Q", title="Capex (€ billion)"),
        color=alt.Color("label:N", title=None, scale=alt.Scale(range=[PALETTE[0], PALETTE[1]])),
        tooltip=[alt.Tooltip("label:N", title="Group"), alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                 alt.Tooltip("capex_eur_bn:Q", title="Capex (€ bn)", format=".1f"),
                 alt.Tooltip("members:N", title="Companies")],
)
    return finish(chart, "European telcos and US hyperscalers: capex, € billion", source,
                  "Bars comparing the summed annual capex of the European telecom groups and of the US hyperscalers "
                  "with a figure for every year shown.")


STATUS_COLOURS = {"announced": "#999999", "building": PALETTE[4], "delayed": PALETTE[5], "live": PALETTE[2],
                  "cancelled": "#000000"}


def announcements_timeline(registry, source: str) -> alt.Chart:
    """Projects per quarter of first announcement, stacked by region."""
    import pandas as pd

    data = registry[["announced", "announced_date", "region", "operator", "kind_label"]].copy()
    # A date given only as a year has no quarter: it gets a bar of its own after that year's quarters,
    # and every quarter of the span has its place, so a quarter with no announcement shows as a gap.
    year_only = data["announced"].str.len() == 4
    data["quarter"] = data["announced_date"].dt.to_period("Q").astype(str).str.replace("Q", " Q")
    data.loc[year_only, "quarter"] = data.loc[year_only, "announced"] + " (year only)"
    first, last = data["announced_date"].min().to_period("Q"), data["announced_date"].max().to_period("Q")
    places = []
    for period in pd.period_range(first, last, freq="Q"):
        places.append(str(period).replace("Q", " Q"))
        if period.quarter == 4 or period == last:
            places += sorted(set(data.loc[year_only & (data["announced_date"].dt.year == period.year), "quarter"]))
    chart = alt.Chart(data).mark_bar().encode(
        # Upright labels at every width: a year-only bar's label is longer than a quarter's.
        x=alt.X("quarter:O", title="Quarter first announced", scale=alt.Scale(domain=places),
                axis=alt.Axis(labelAngle=-90)),
        y=alt.Y("count():Q", title="Projects", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("region:N", title="Region", sort=vocab.order("projects", "region"),
                        scale=alt.Scale(domain=vocab.order("projects", "region"), range=PALETTE[:6])),
        order=alt.Order("region:N"),
        tooltip=[alt.Tooltip("quarter:O", title="Quarter"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("count():Q", title="Projects")],
    )
    return finish(chart, "Telco projects with Nvidia, by quarter of first announcement and region", source,
        "Stacked bars counting telco projects with Nvidia by the quarter of their first announcement, coloured by region; each project counts once.", height=HEIGHT)


def europe_by_country(registry, source: str) -> alt.Chart:
    """European projects per country, split by kind."""
    data = registry[registry["region"] == "Europe"][["country", "kind_label", "operator"]]
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("country:N", title="Country (ISO code)", sort="-x"),
        x=alt.X("count():Q", title="Projects", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("kind_label:N", title="Kind", scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("kind_label:N", title="Kind"),
                 alt.Tooltip("count():Q", title="Projects")],
    )
    return finish(chart, "European projects by country and kind", source,
        "Horizontal bars counting European telco projects with Nvidia by country, coloured by kind of project.", height=alt.Step(28))


def status_tracker(status, events, source: str) -> alt.Chart:
    """Each project's dated events over time, with the project's status at the cut-off."""
    events = events.drop(columns=["operator", "name"], errors="ignore").merge(
        status[["project_id", "name", "operator", "status"]], on="project_id")
    events = events.assign(project=events["name"])
    events["when"] = partial_dates_to_timestamps(events["date"])
    order = status.sort_values(["status", "operator"])["project_id"].tolist()
    events["rank"] = events["project_id"].map({p: i for i, p in enumerate(order)})
    base = alt.Chart(events).encode(
        y=alt.Y("project:N", title=None, sort=alt.EncodingSortField("rank"), axis=rows_axis(-9)),
    )
    rule = base.mark_rule(color="#bbbbbb").encode(x="min(when):T", x2="max(when):T")
    dots = base.mark_point(filled=True, size=70).encode(
        x=alt.X("when:T", title="Date of event", axis=alt.Axis(format="%Y", tickCount=years_ticks())),
        shape=alt.Shape("event:N", title="Event"),
        color=alt.Color("status:N", title="Status at cut-off",
                        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values()))),
        tooltip=[alt.Tooltip("operator:N", title="Operator"), alt.Tooltip("date:N", title="Date"),
                 alt.Tooltip("event:N", title="Event"), alt.Tooltip("description:N", title="What happened")],
    )
    chart = (rule + dots)
    return finish(chart, "From announcement to operation: European projects", source,
        "Timeline of each European project's dated events, coloured by the project's status at the data cut-off.", height=alt.Step(34))




def cloud_timeline(history, source: str) -> alt.Chart:
    """Telcos' cloud and data-centre events on one time axis, one row per company."""
    data = history[["date", "date_date", "company", "counterparty", "event", "amount", "description"]].copy()
    data["counterparty"] = data["counterparty"].fillna("")
    chart = alt.Chart(data).mark_point(filled=True, size=90, opacity=0.9).encode(
        x=alt.X("date_date:T", title="Date", axis=alt.Axis(format="%Y", tickCount=narrow(4, 8))),
        y=alt.Y("company:N", title=None, axis=rows_axis(-10)),
        color=alt.Color("event:N", title="Event", scale=alt.Scale(domain=vocab.order("cloud_ventures", "event"), range=PALETTE[:6])),
        shape=alt.Shape("event:N", title="Event", scale=alt.Scale(domain=vocab.order("cloud_ventures", "event"))),
        tooltip=[alt.Tooltip("company:N", title="Company"), alt.Tooltip("date:N", title="Date"),
                 alt.Tooltip("event:N", title="Event"), alt.Tooltip("counterparty:N", title="Counterparty"),
                 alt.Tooltip("amount:N", title="Amount"), alt.Tooltip("description:N", title="What happened")],
    )
    return finish(chart, "Telcos in cloud and data centres: in, then out", source,
        "Timeline of telecom operators' acquisitions, launches, shutdowns and sales of cloud and data-centre businesses since 2010.", height=alt.Step(36))


def gpu_cadence(announcements, source: str) -> alt.Chart:
    """First announcement of each Nvidia data-centre GPU architecture."""
    data = announcements[["architecture", "name", "announced", "announced_date", "years_since_previous"]].copy()
    data["gap"] = ["first in series" if v != v else f"{v:.0f} years after the previous" for v in data["years_since_previous"]]
    order = data.sort_values("announced_date")["architecture"].tolist()
    chart = alt.Chart(data).mark_point(filled=True, size=120, color=PALETTE[0]).encode(
        x=alt.X("announced_date:T", title="Announced", axis=alt.Axis(format="%Y", tickCount=years_ticks())),
        y=alt.Y("architecture:N", title=None, sort=order, axis=rows_axis(-9)),
        tooltip=[alt.Tooltip("architecture:N", title="Architecture"), alt.Tooltip("name:N", title="First product"),
                 alt.Tooltip("announced:N", title="Announced"), alt.Tooltip("gap:N", title="Gap")],
    )
    return finish(chart, "Nvidia data-centre GPU architectures, by year of first public announcement", source,
        "Timeline of the years in which Nvidia first publicly announced each new data-centre GPU architecture; refreshes are left out.", height=alt.Step(32))


def rental_price_chart(prices, source: str) -> alt.Chart:
    """Observed GPU rental prices, US dollars per GPU-hour."""
    data = prices[["date", "date_date", "family", "gpu_model", "provider", "price_usd_per_gpu_hour", "price_note"]].copy()
    data["price_note"] = data["price_note"].fillna("")
    chart = alt.Chart(data).mark_point(filled=True, size=80).encode(
        x=alt.X("date_date:T", title="Date of price", axis=alt.Axis(format="%Y", tickCount=years_ticks())),
        y=alt.Y("price_usd_per_gpu_hour:Q", title="US dollars per GPU-hour"),
        color=alt.Color("family:N", title="GPU", scale=alt.Scale(range=PALETTE)),
        shape=alt.Shape("family:N", title="GPU"),
        tooltip=[alt.Tooltip("date:N", title="Date"), alt.Tooltip("gpu_model:N", title="GPU"),
                 alt.Tooltip("provider:N", title="Provider"),
                 alt.Tooltip("price_usd_per_gpu_hour:Q", title="USD per GPU-hour", format=".2f"),
                 alt.Tooltip("price_note:N", title="Note")],
)
    years = data["date_date"].dt.year
    return finish(chart, "What renting a GPU costs: observed prices", source,
                  f"Scatter of observed hourly rental prices for {', '.join(sorted(data['family'].unique()))} GPUs "
                  f"from {years.min()} to {years.max()}, in US dollars.")


def factory_explorer(inputs, max_life: int = 10) -> alt.LayerChart:
    """Interactive cash-flow chart of the AI-factory model: sliders move the main inputs.

    The model's arithmetic is repeated here as Vega expressions so the page
    needs no server; tests check that both give the same NPV.
    """
    years = alt.sequence(0, max_life + 1, as_="year")
    # name in the Vega expressions, model input, slider range and step, label
    sliders = [("utilisation", "utilisation", 0, 1, 0.01, "Utilisation (share of hours) "),
               ("price", "price_eur_per_gpu_hour", 0, 6, 0.05, "Rental price, € per GPU-hour, year 1 "),
               ("decline", "price_decline_per_year", 0, 0.6, 0.01, "Price decline per year "),
               ("life", "useful_life_years", 1, max_life, 1, "Useful life, years "),
               ("capex", "capex_per_gpu_eur", 10000, 200000, 1000, "Investment per GPU, € "),
               ("elec", "electricity_eur_per_kwh", 0, 0.4, 0.005, "Electricity, € per kWh "),
               ("rate", "discount_rate", 0, 0.2, 0.005, "Discount rate ")]
    util, price, decline, life, capex, power, rate = (
        alt.param(name=name, value=getattr(inputs, field), bind=alt.binding_range(min=low, max=high, step=step, name=label))
        for name, field, low, high, step, label in sliders)
    fixed = {"gpus": inputs.gpu_count, "kw": inputs.it_power_kw_per_gpu, "pue": inputs.pue,
             "other": inputs.other_opex_eur_per_year, "facility": inputs.facility_capex_eur}
    hours = 8760
    calc = (
        alt.Chart(years)
        .transform_filter("datum.year <= life")
        .transform_calculate(
            revenue=f"datum.year == 0 ? 0 : {fixed['gpus']} * {hours} * utilisation * price * pow(1 - decline, datum.year - 1)",
            costs=f"datum.year == 0 ? 0 : {fixed['gpus']} * {hours} * utilisation * {fixed['kw']} * {fixed['pue']} * elec + {fixed['other']}",
        )
        .transform_calculate(
            net=f"datum.year == 0 ? -({fixed['gpus']} * capex + {fixed['facility']}) : datum.revenue - datum.costs")
        .transform_calculate(discounted="datum.net / pow(1 + rate, datum.year)")
        .transform_window(cumulative="sum(net)", sort=[alt.SortField("year")])
        .transform_calculate(paid="datum.year >= 1 && datum.cumulative >= 0 ? datum.year : 999",
                             cumulative_m="datum.cumulative / 1e6")
        .transform_joinaggregate(npv="sum(discounted)", payback="min(paid)")
    )
    bars = calc.mark_bar().encode(
        x=alt.X("year:O", title="Year (0 = investment)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cumulative_m:Q", title=None),
        color=alt.condition("datum.cumulative >= 0", alt.value(PALETTE[2]), alt.value(PALETTE[5])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("cumulative_m:Q", title="Cumulative (€ m)", format=",.0f")],
    )
    summary = calc.transform_filter("datum.year == 0").transform_calculate(
        label="['NPV: € ' + format(datum.npv / 1e6, ',.0f') + ' million', 'Payback: ' + "
              "(datum.payback == 999 ? 'not within the useful life' : 'year ' + datum.payback)]"
    ).mark_text(align="left", baseline="top", fontSize=13, fontWeight=600, lineHeight=17).encode(
        x=alt.value(0), y=alt.value(-44), text="label:N")
    return finish(
        alt.layer(bars, summary).add_params(util, price, decline, life, capex, power, rate),
        f"Explore the model: cumulative cash flow of a {inputs.gpu_count:,}-GPU factory",
        ["Cumulative cash flow, € million, by year. Move the sliders; other inputs as in the base scenario. Scenario, not forecast."],
        "Interactive bar chart of the AI factory's cumulative cash flow by year, with sliders for utilisation, rental price, "
        "price decline, useful life, investment per GPU, electricity price and discount rate.",
        usermeta={"renderer": "svg", "readouts": {"utilisation": "pct", "price": "eur2", "decline": "pct",
                                                  "life": "years", "capex": "eur0", "elec": "eur3", "rate": "pct1"},
                  "print_subtitle": "Printed at the base scenario. The interactive version, with a slider for each input, "
                                    "is online at this figure's address, given in its citation below."})


def sensitivity_tornado(rows, change: float) -> alt.Chart:
    """NPV when each input moves down and up by `change`, base scenario otherwise."""
    import pandas as pd

    records = []
    for rank, row in enumerate(rows):
        for side, key in (("lower input", "npv_low_eur"), ("higher input", "npv_high_eur")):
            records.append({"input": INPUT_LABELS[row["input"]], "rank": rank, "side": side,
                            "npv_m": row[key] / 1e6, "base_m": row["npv_base_eur"] / 1e6})
    data = pd.DataFrame(records)
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("input:N", title=None, sort=alt.EncodingSortField("rank"), axis=rows_axis(band_label_offset()),
                scale=alt.Scale(paddingInner=0.5, paddingOuter=0.2)),
        # Few enough ticks that wide negative labels ("−1,000") never meet, in any typeface.
        x=alt.X("npv_m:Q", title="Net present value, € million", axis=alt.Axis(tickCount=narrow(4, 6))),
        x2="base_m:Q",
        color=alt.Color("side:N", title=f"Input moved {change:.0%}", scale=alt.Scale(range=[PALETTE[0], PALETTE[1]])),
        tooltip=[alt.Tooltip("input:N", title="Input"), alt.Tooltip("side:N", title="Change"),
                 alt.Tooltip("npv_m:Q", title="NPV (€ m)", format=",.0f")],
    )
    base = alt.Chart(data).mark_rule(color=NEUTRAL, strokeDash=[4, 3]).encode(x="mean(base_m):Q")
    chart = (bars + base)
    return finish(chart, "Which input moves the result most", ["Base scenario; each input moved down and up, the others held. Scenario, not forecast."],
        "Tornado chart of the change in the AI factory's net present value when each model input is moved down and up by 20 percent.", height=alt.Step(44))


def investments_vs_capex_chart(frame, source: str) -> alt.Chart:
    """Each stated AI-factory investment beside its group's capex for one year, € billion."""
    import pandas as pd

    records = []
    for row in frame.itertuples(index=False):
        label = f"{row.operator} ({row.announced[:7]}{', bid' if row.bid else ''})"
        records.append({"project": label, "what": "Stated investment", "eur_bn": row.investment_eur_bn,
                        "note": row.investment_stated})
        records.append({"project": label, "what": "Group capex, one fiscal year", "eur_bn": row.capex_eur_bn,
                        "note": f"{row.group}, fiscal {row.capex_year}"})
    data = pd.DataFrame(records)
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("project:N", title=None, axis=rows_axis(band_label_offset()),
                scale=alt.Scale(paddingInner=0.45, paddingOuter=0.2)),
        yOffset=alt.YOffset("what:N"),
        x=alt.X("eur_bn:Q", title="€ billion"),
        color=alt.Color("what:N", title=None, scale=alt.Scale(range=[PALETTE[1], PALETTE[0]])),
        tooltip=[alt.Tooltip("project:N", title="Project"), alt.Tooltip("what:N", title="Bar"),
                 alt.Tooltip("eur_bn:Q", title="€ bn", format=",.2f"), alt.Tooltip("note:N", title="As stated")],
    )
    return finish(chart, "Stated AI investments against one year of the group's capex", source,
        "Paired bars comparing each European project's stated investment with its operator group's capex for one fiscal year, in euro billions.", height=alt.Step(16))


def gpu_specs_chart(specs, source: str) -> alt.Chart:
    """Memory and maximum power per GPU, by architecture, as stated."""
    data = specs.melt(id_vars=["architecture"], value_vars=["memory_gb", "tdp_watts"], var_name="measure", value_name="value")
    data["measure"] = data["measure"].map({"memory_gb": "Memory per GPU (GB)", "tdp_watts": "Maximum power per GPU (W)"})
    data["order"] = data["architecture"].map({a: i for i, a in enumerate(specs["architecture"])})
    panels = alt.Chart(data).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("architecture:N", title=None, sort=alt.EncodingSortField("order"), axis=rows_axis(-12),
                scale=alt.Scale(paddingInner=0.45, paddingOuter=0.2)),
        x=alt.X("value:Q", title=None, axis=alt.Axis(tickCount=4)),
        tooltip=[alt.Tooltip("architecture:N", title="Architecture"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("value:Q", title="Value", format=",.0f")],
    ).properties(width=240, height=alt.Step(32)).facet(
        facet=alt.Facet("measure:N", title=None, header=alt.Header(labelFontWeight=600, labelAnchor="start")), columns=2,
    ).resolve_scale(x="independent")
    return finish(panels, "Memory and maximum power per GPU, by architecture", source,
                  "Bar charts of the largest memory and maximum power per GPU stated for each Nvidia data-centre "
                  "architecture from Volta to Rubin.", height=None, usermeta={"panels": {"min_width": 220, "gutter": 30}})
