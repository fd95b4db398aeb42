"""Capex analysis: the compared series, euro conversion, intensity and totals."""

from __future__ import annotations

from functools import lru_cache, wraps

import pandas as pd

from telcoai.kernel.currency import SCALE, fx_year, rate_for, to_eur_bn
from telcoai.kernel.tables import load

#: The latest year the comparisons use is the latest fiscal year in which at
#: least this share of the European groups report capex on the compared definition.
LATEST_YEAR_QUORUM = 2 / 3
#: A stated investment is "small beside" the network budget below this share of one year's capex.
SMALL_SHARE = 0.25
#: A balanced span is the longest run of consecutive years, ending in the latest
#: year, over which at least this share of the groups report capex in every year.
BALANCED_QUORUM = 1 / 2


def _computed_once(function):
    """Compute a table of the data once per kernel (the data do not change while a chapter runs); hand out copies."""
    cached = lru_cache(maxsize=8)(function)

    @wraps(function)
    def copy(*args, **kwargs):
        return cached(*args, **kwargs).copy()
    copy.cache_clear = cached.cache_clear
    return copy


@_computed_once
def compared_financials() -> pd.DataFrame:
    """The financial rows the comparisons use, one per entity, measure and year, in euros.

    For each entity and measure, comparison_series.csv names the series to use
    for each span of years; the reported value is kept beside its euro value.
    """
    entities = load("entities")
    financials = load("financials")
    spans = load("comparison_series")
    fx = load("fx_rates")
    chosen = financials.merge(spans, on=["entity_id", "measure", "series"], how="inner")
    # An empty last year marks the current choice: it runs to the latest figure.
    open_ended = chosen["last_year"].isna()
    in_span = (chosen["fiscal_year"] >= chosen["first_year"]) & (open_ended | (chosen["fiscal_year"] <= chosen["last_year"]))
    chosen = chosen[in_span].merge(entities, on="entity_id", how="left")
    chosen["fx_year"] = [fx_year(int(y), int(m)) for y, m in zip(chosen["fiscal_year"], chosen["fiscal_year_end_month"])]
    chosen["value_eur_bn"] = to_eur_bn(chosen, fx)
    columns = ["entity_id", "name", "entity_type", "fiscal_year", "measure", "series", "metric_as_reported",
               "basis", "spectrum", "scope", "value", "unit", "currency", "fx_year", "value_eur_bn",
               "source_title", "source_publisher", "source_url", "source_type"]
    return chosen[columns].sort_values(["entity_type", "name", "measure", "fiscal_year"]).reset_index(drop=True)


def years() -> list[int]:
    """Every fiscal year from the first to the last in which a European group reports capex."""
    rows = compared_financials()
    found = rows[(rows["entity_type"] == "telco") & (rows["measure"] == "capex")]["fiscal_year"]
    return list(range(int(found.min()), int(found.max()) + 1))


def coverage() -> pd.DataFrame:
    """Per fiscal year: how many European groups report capex on the compared definition, of how many."""
    panel = capex_panel()
    groups = panel["entity_id"].nunique()
    counts = panel.dropna(subset=["capex_eur_bn"]).groupby("fiscal_year").size()
    return pd.DataFrame({"fiscal_year": years(), "groups": groups}).assign(
        reporting=lambda f: f["fiscal_year"].map(counts).fillna(0).astype(int))


def latest_year() -> int:
    """The latest fiscal year in which at least LATEST_YEAR_QUORUM of the groups report capex."""
    table = coverage()
    enough = table[table["reporting"] >= LATEST_YEAR_QUORUM * table["groups"]]
    return int(enough["fiscal_year"].max())


def balanced_span() -> tuple[int, int]:
    """The longest run of years ending in the latest year over which enough groups report every year."""
    panel = capex_panel()
    last = latest_year()
    have = panel.dropna(subset=["capex_eur_bn"]).groupby("entity_id")["fiscal_year"].apply(set)
    groups = panel["entity_id"].nunique()
    first = last
    for start in range(last, min(years()) - 1, -1):
        complete = sum(set(range(start, last + 1)) <= found for found in have)
        if complete >= BALANCED_QUORUM * groups:
            first = start
    return first, last


def breaks() -> pd.DataFrame:
    """Changes of perimeter by group and first fiscal year affected, one row per break, with its description."""
    found = load("series_breaks").merge(load("entities")[["entity_id", "name"]], on="entity_id")
    return (found.groupby(["entity_id", "name", "first_fiscal_year"], as_index=False)
            .agg(description=("description", "first"), source_url=("source_url", "first")))


@_computed_once
def capex_panel(entity_type: str = "telco") -> pd.DataFrame:
    """Every entity-year of the data's span with capex, revenue and capex intensity; gaps stay NaN.

    Capex intensity is capex / revenue in the reported currency, so no exchange
    rate enters it.
    """
    rows = compared_financials()
    rows = rows[rows["entity_type"] == entity_type]
    names = load("entities").set_index("entity_id")["name"]
    ids = sorted(rows["entity_id"].unique(), key=lambda i: names[i])
    found = rows[rows["measure"] == "capex"]["fiscal_year"] if entity_type != "telco" else None
    span = years() if entity_type == "telco" else list(range(int(found.min()), int(found.max()) + 1))
    grid = pd.MultiIndex.from_product([ids, span], names=["entity_id", "fiscal_year"]).to_frame(index=False)
    grid["name"] = grid["entity_id"].map(names)

    def measure(name: str, column: str) -> pd.DataFrame:
        part = rows[rows["measure"] == name][["entity_id", "fiscal_year", "value", "value_eur_bn", "currency", "unit"]]
        part = part.astype({"fiscal_year": "int64"})
        return part.rename(columns={"value": f"{column}_reported", "value_eur_bn": f"{column}_eur_bn",
                                    "currency": f"{column}_currency", "unit": f"{column}_unit"})

    panel = grid.merge(measure("capex", "capex"), on=["entity_id", "fiscal_year"], how="left")
    changes = breaks().rename(columns={"first_fiscal_year": "fiscal_year", "description": "break_note"})
    panel = panel.merge(changes[["entity_id", "fiscal_year", "break_note"]].astype({"fiscal_year": "int64"}),
                        on=["entity_id", "fiscal_year"], how="left")
    panel = panel.merge(measure("revenue", "revenue"), on=["entity_id", "fiscal_year"], how="left")
    panel["capex_intensity"] = [
        _ratio(c, cu, cc, r, ru, rc)
        for c, cu, cc, r, ru, rc in zip(panel["capex_reported"], panel["capex_unit"], panel["capex_currency"],
                                        panel["revenue_reported"], panel["revenue_unit"], panel["revenue_currency"])
    ]
    return panel


def _ratio(capex, capex_unit, capex_currency, revenue, revenue_unit, revenue_currency) -> float:
    if pd.isna(capex) or pd.isna(revenue):
        return float("nan")
    if capex_currency != revenue_currency:
        raise ValueError(f"capex in {capex_currency} but revenue in {revenue_currency}")
    return float(capex) * SCALE[capex_unit] / (float(revenue) * SCALE[revenue_unit])


def balanced_totals(first: int, last: int) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Capex totals by year over a span, for the companies that report every year of it.

    Summing only companies with a figure in every year keeps the totals
    comparable from year to year; the members of each group are returned so
    the text can name them.
    """
    rows = compared_financials()
    rows = rows[(rows["measure"] == "capex") & rows["fiscal_year"].between(first, last)]
    span = set(range(first, last + 1))
    out, members = [], {}
    for group, label in [("telco", "European telcos"), ("hyperscaler", "US hyperscalers")]:
        part = rows[rows["entity_type"] == group]
        complete = sorted(n for n, years in part.groupby("name")["fiscal_year"] if set(years) == span)
        members[group] = complete
        part = part[part["name"].isin(complete)]
        for year, value in part.groupby("fiscal_year")["value_eur_bn"].sum().items():
            out.append({"group": group, "label": label, "fiscal_year": int(year), "capex_eur_bn": value,
                        "members": ", ".join(complete)})
    return pd.DataFrame(out), members


def investments_vs_capex() -> pd.DataFrame:
    """Each European project with a stated investment, beside its group's annual capex.

    The investment is converted at the ECB average of the year the project was
    first announced (or the latest year with a rate); it is compared with the
    group's capex in the latest fiscal year up to the announcement that has a
    figure on the compared definition. A one-off investment against one year's
    capex is a measure of scale, not a share of any budget.
    """
    from telcoai.kernel import registry

    parts = registry.projects()
    parts = parts[(parts["region"] == "Europe") & parts["investment_value"].notna() & parts["entity_id"].notna()]
    fx = load("fx_rates")
    capex = compared_financials()
    capex = capex[capex["measure"] == "capex"]
    stage = registry.status().set_index("project_id")["status"]
    bids = registry.bid_projects()
    rows = []
    for part in parts.itertuples(index=False):
        year = int(part.announced_year)
        # The operator's own commitment where a consortium's project states one, else the project's total.
        own_share = not pd.isna(part.operator_commitment_value)
        value, currency, unit = ((part.operator_commitment_value, part.operator_commitment_currency, part.operator_commitment_unit)
                                 if own_share else (part.investment_value, part.investment_currency, part.investment_unit))
        amount = float(value) * SCALE[unit]
        eur = amount if currency == "EUR" else amount / rate_for(fx, currency, year)[0]
        own = capex[(capex["entity_id"] == part.entity_id) & (capex["fiscal_year"] <= year)]
        if own.empty:
            own = capex[capex["entity_id"] == part.entity_id]
        latest = own.sort_values("fiscal_year").iloc[-1] if len(own) else None
        rows.append({
            "project_id": part.project_id, "name": part.name, "operator": part.operator, "announced": part.announced,
            "investment_eur_bn": eur / 1e9,
            "investment_stated": f"{currency} {value:,.0f} {unit}",
            "basis": "operator's commitment" if own_share else "project total",
            "bid": part.project_id in bids and stage.get(part.project_id) not in ("building", "live"),
            "group": None if latest is None else latest["name"],
            "capex_year": None if latest is None else int(latest["fiscal_year"]),
            "capex_eur_bn": None if latest is None else latest["value_eur_bn"],
            "share_of_capex": None if latest is None else eur / 1e9 / latest["value_eur_bn"],
        })
    return pd.DataFrame(rows)
