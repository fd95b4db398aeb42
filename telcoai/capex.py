"""Capex analysis: the compared series, euro conversion, intensity and totals."""

from __future__ import annotations

import pandas as pd

from telcoai.currency import SCALE, fx_year, rate_for, to_eur_bn
from telcoai.lineage import reads
from telcoai.tables import load

YEARS = list(range(2019, 2026))


@reads("entities", "financials", "comparison_series", "fx_rates")
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
    in_span = (chosen["fiscal_year"] >= chosen["first_year"]) & (chosen["fiscal_year"] <= chosen["last_year"])
    chosen = chosen[in_span].merge(entities, on="entity_id", how="left")
    chosen["fx_year"] = [fx_year(int(y), int(m)) for y, m in zip(chosen["fiscal_year"], chosen["fiscal_year_end_month"])]
    chosen["value_eur_bn"] = to_eur_bn(chosen, fx)
    columns = ["entity_id", "name", "entity_type", "fiscal_year", "measure", "series", "metric_as_reported",
               "basis", "spectrum", "scope", "value", "unit", "currency", "fx_year", "value_eur_bn",
               "source_title", "source_publisher", "source_url", "source_type"]
    return chosen[columns].sort_values(["entity_type", "name", "measure", "fiscal_year"]).reset_index(drop=True)


@reads("entities", "financials", "comparison_series", "fx_rates")
def capex_panel(entity_type: str = "telco") -> pd.DataFrame:
    """Every entity-year of 2019-2025 with capex, revenue and capex intensity; gaps stay NaN.

    Capex intensity is capex / revenue in the reported currency, so no exchange
    rate enters it.
    """
    rows = compared_financials()
    rows = rows[rows["entity_type"] == entity_type]
    names = load("entities").set_index("entity_id")["name"]
    ids = sorted(rows["entity_id"].unique(), key=lambda i: names[i])
    grid = pd.MultiIndex.from_product([ids, YEARS], names=["entity_id", "fiscal_year"]).to_frame(index=False)
    grid["name"] = grid["entity_id"].map(names)

    def measure(name: str, column: str) -> pd.DataFrame:
        part = rows[rows["measure"] == name][["entity_id", "fiscal_year", "value", "value_eur_bn", "currency", "unit"]]
        part = part.astype({"fiscal_year": "int64"})
        return part.rename(columns={"value": f"{column}_reported", "value_eur_bn": f"{column}_eur_bn",
                                    "currency": f"{column}_currency", "unit": f"{column}_unit"})

    panel = grid.merge(measure("capex", "capex"), on=["entity_id", "fiscal_year"], how="left")
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


@reads("entities", "financials", "comparison_series", "fx_rates")
def yearly_totals() -> pd.DataFrame:
    """Capex in euro billions summed by year for telcos and for hyperscalers.

    Each total says how many entities it sums and which are missing, so a
    total built on an incomplete year is never mistaken for a full one.
    """
    rows = compared_financials()
    rows = rows[(rows["measure"] == "capex") & rows["entity_type"].isin(["telco", "hyperscaler"])]
    entities = load("entities")
    out = []
    for group in ["telco", "hyperscaler"]:
        members = entities[entities["entity_type"] == group]
        for year in YEARS:
            have = rows[(rows["entity_type"] == group) & (rows["fiscal_year"] == year)]
            missing = sorted(set(members["name"]) - set(have["name"]))
            out.append({
                "group": group, "fiscal_year": year, "capex_eur_bn": have["value_eur_bn"].sum() if len(have) else float("nan"),
                "entities_reporting": len(have), "entities_in_group": len(members), "missing": ", ".join(missing),
            })
    return pd.DataFrame(out)


@reads("entities", "financials", "comparison_series", "fx_rates")
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


@reads("partnerships", "entities", "financials", "comparison_series", "fx_rates")
def investments_vs_capex() -> pd.DataFrame:
    """Each European announcement that states an investment, beside its group's annual capex.

    The investment is converted at the ECB average of the year it was announced
    (or the latest year with a rate); it is compared with the group's capex in
    the latest fiscal year up to the announcement that has a figure on the
    compared definition. A one-off investment against one year's capex is a
    measure of scale, not a share of any budget.
    """
    from telcoai.validate import parse_partial_date

    parts = load("partnerships")
    parts = parts[(parts["region"] == "Europe") & parts["investment_value"].notna() & parts["entity_id"].notna()]
    fx = load("fx_rates")
    capex = compared_financials()
    capex = capex[capex["measure"] == "capex"]
    rows = []
    for part in parts.itertuples(index=False):
        year = parse_partial_date(part.announced).year
        amount = float(part.investment_value) * SCALE[part.investment_unit]
        if part.investment_currency == "EUR":
            eur = amount
        else:
            eur = amount / rate_for(fx, part.investment_currency, year)[0]
        own = capex[(capex["entity_id"] == part.entity_id) & (capex["fiscal_year"] <= year)]
        if own.empty:
            own = capex[capex["entity_id"] == part.entity_id]
        latest = own.sort_values("fiscal_year").iloc[-1] if len(own) else None
        rows.append({
            "partnership_id": part.partnership_id, "operator": part.operator, "announced": part.announced,
            "investment_eur_bn": eur / 1e9,
            "investment_stated": f"{part.investment_currency} {part.investment_value:,.0f} {part.investment_unit}",
            "group": None if latest is None else latest["name"],
            "capex_year": None if latest is None else int(latest["fiscal_year"]),
            "capex_eur_bn": None if latest is None else latest["value_eur_bn"],
            "share_of_capex": None if latest is None else eur / 1e9 / latest["value_eur_bn"],
        })
    return pd.DataFrame(rows)
