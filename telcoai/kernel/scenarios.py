"""Cautious, base and optimistic inputs for the AI-factory model, each traced to a data row.

The factory is sized on Deutsche Telekom's Munich AI factory as announced
(GPU count and investment). Every other input comes from a sourced row of the
data package or is derived from such rows by a rule stated here; the
assumptions table that the risks chapter shows lists each one with its source.
"""

from __future__ import annotations

import pandas as pd

from telcoai.kernel.currency import SCALE, rate_for
from telcoai.kernel.economics import INPUT_LABELS, FactoryInputs
from telcoai.kernel.tables import load
from telcoai.kernel.validate import parse_partial_date

SCENARIOS = ["cautious", "base", "optimistic"]
#: The announcement the factory is sized on.
REFERENCE_FACTORY = "dt-industrial-ai-cloud-munich"
#: GPU records whose stated maximum power sets the IT power per GPU.
POWER_RECORD = {"cautious": "gb200-nvl72-gpu", "base": "b200-gtc2024", "optimistic": "b200-gtc2024"}
#: The GPU the factory rents out: its observed rental prices set the first-year price. The
#: cautious case takes the lowest observation, the optimistic the highest, the base their median.
PRICE_FAMILY = "B200"
#: The GPU with the longest price record: every source that priced it on one basis at two dates
#: gives an annualised change; the cautious case takes the steepest fall, the optimistic the
#: gentlest (a rise counts as no decline), the base their median.
DECLINE_FAMILY = "H100"
#: Useful lives: (company, effective date) of the depreciation change used.
LIFE_RECORD = {"cautious": ("Amazon", "2025-01-01"), "base": ("Microsoft", "2022-07"), "optimistic": ("Microsoft", "2022-07")}
#: Other operating costs (staff, maintenance, software, network): no source specific to GPU
#: clusters was found, so the scenarios leave them out and say so.
OTHER_OPEX_EUR_PER_YEAR = 0.0


#: Inputs that measure something close to, but not, what the model needs; the
#: assumptions table shows the limitation beside each.
PROXY_LIMITATIONS = {
    INPUT_LABELS["capex_per_gpu_eur"]: ("Proxy: the announced investment covers the building, networking, storage and software as well as "
                           "the GPUs, and the GPU count is stated as about 10,000, so this is an all-in cost per GPU, not a GPU price."),
    INPUT_LABELS["utilisation"]: ("Proxy: the share of capacity in use on opening day (Deutsche Telekom) and the share of colocation capacity "
                    "committed before launch (Singtel) are not the share of GPU-hours sold over a year, which no operator publishes."),
    INPUT_LABELS["price_eur_per_gpu_hour"]: "Market price observations; the prices the operators charge are not published.",
}


def _source(row) -> str:
    return f"{row['source_publisher']} ({row['source_date']})"


def _years_between(start: str, end: str) -> float:
    return (parse_partial_date(end) - parse_partial_date(start)).days / 365.25


def _by_scenario(frame: pd.DataFrame, column: str, scenario: str, low_is_cautious: bool) -> tuple[float, pd.DataFrame]:
    """The value a scenario takes from `frame[column]` (lowest, median or highest), and the rows it rests on."""
    ordered = frame.sort_values(column, kind="stable").reset_index(drop=True)
    if scenario == "base":
        middle = len(ordered) // 2
        rows = ordered.iloc[[middle]] if len(ordered) % 2 else ordered.iloc[[middle - 1, middle]]
        return float(rows[column].mean()), rows
    take_lowest = (scenario == "cautious") == low_is_cautious
    row = ordered.iloc[[0]] if take_lowest else ordered.iloc[[-1]]
    return float(row[column].iloc[0]), row


def price_declines(prices: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per source that priced the decline GPU on one basis at two dates: first and last price, annualised change.

    `prices` is the table of rental prices (telcoai.kernel.risks.rental_prices), read if not given.
    """
    if prices is None:
        from telcoai.kernel.risks import rental_prices

        prices = rental_prices()
    prices = prices[prices["family"] == DECLINE_FAMILY]
    rows = []
    for (_, provider), group in prices.groupby(["source_url", "provider"], sort=False):
        if group["date"].nunique() < 2:
            continue
        first, last = group.iloc[0], group.iloc[-1]
        years = _years_between(first["date"], last["date"])
        change = (float(last["price_usd_per_gpu_hour"]) / float(first["price_usd_per_gpu_hour"])) ** (1 / years) - 1
        rows.append({"provider": provider, "first": first, "last": last, "change": change, "decline": max(0.0, -change)})
    return pd.DataFrame(rows)


def scenario_inputs() -> tuple[dict[str, FactoryInputs], pd.DataFrame]:
    """Model inputs by scenario, and the table of assumptions with their sources."""
    factory = load("projects").set_index("project_id").loc[REFERENCE_FACTORY]
    gpus = load("gpu_generations").set_index("gpu_id")
    from telcoai.kernel.risks import rental_prices

    all_prices = rental_prices()
    family_prices = all_prices.query("family == @PRICE_FAMILY")
    declines = price_declines(all_prices)
    lives = load("depreciation_lives")
    fx = load("fx_rates")
    stated = load("model_assumptions").set_index(["parameter", "scenario"])

    gpu_count = int(factory["gpu_count"])
    investment = float(factory["investment_value"]) * SCALE[factory["investment_unit"]]
    rows, inputs = [], {}

    def note(scenario, name, value, unit, basis, source):
        rows.append({"scenario": scenario, "input": name, "value": value, "unit": unit, "basis": basis, "source": source,
                     "limitation": PROXY_LIMITATIONS.get(name, "")})

    for scenario in SCENARIOS:
        note(scenario, "GPUs", gpu_count, "GPUs", "Deutsche Telekom's Munich AI factory as announced", _source(factory))
        note(scenario, INPUT_LABELS["capex_per_gpu_eur"], investment / gpu_count, "€", "announced investment divided by GPU count (facility included)", _source(factory))

        power = gpus.loc[POWER_RECORD[scenario]]
        it_kw = float(power["tdp_watts"]) / 1000
        note(scenario, "IT power per GPU", it_kw, "kW", f"stated maximum power of {power['name']}", _source(power))

        pue = float(stated.loc[("pue", scenario), "value"])
        note(scenario, INPUT_LABELS["pue"], pue, "ratio", stated.loc[("pue", scenario), "statement"], _source(stated.loc[("pue", scenario)]))

        electricity = float(stated.loc[("electricity", scenario), "value"]) / 100
        note(scenario, INPUT_LABELS["electricity_eur_per_kwh"], electricity, "€ per kWh", stated.loc[("electricity", scenario), "statement"],
             _source(stated.loc[("electricity", scenario)]))

        if scenario == "base":
            low = float(stated.loc[("utilisation", "cautious"), "value"]) / 100
            high = float(stated.loc[("utilisation", "optimistic"), "value"]) / 100
            utilisation = (low + high) / 2
            note(scenario, INPUT_LABELS["utilisation"], utilisation, "share of hours", "midpoint of the cautious and optimistic figures", "derived")
        else:
            utilisation = float(stated.loc[("utilisation", scenario), "value"]) / 100
            note(scenario, INPUT_LABELS["utilisation"], utilisation, "share of hours", stated.loc[("utilisation", scenario), "statement"],
                 _source(stated.loc[("utilisation", scenario)]))

        usd, picked = _by_scenario(family_prices, "price_usd_per_gpu_hour", scenario, low_is_cautious=True)
        rate, rate_year = rate_for(fx, "USD", max(parse_partial_date(d).year for d in picked["date"]))
        price = usd / rate
        rule = {"cautious": "lowest", "base": "median", "optimistic": "highest"}[scenario]
        observed = "; ".join(f"{r.provider} ${r.price_usd_per_gpu_hour:.2f} ({r.date})" for r in picked.itertuples())
        note(scenario, INPUT_LABELS["price_eur_per_gpu_hour"], price, "€ per GPU-hour",
             f"{rule} of the {len(family_prices)} {PRICE_FAMILY} rental prices in the data: {observed}, converted at the ECB {rate_year} average",
             "; ".join(_source(r) for _, r in picked.iterrows()))

        decline, pair = _by_scenario(declines, "decline", scenario, low_is_cautious=False)
        rule = {"cautious": "steepest", "base": "median", "optimistic": "gentlest"}[scenario]
        spans = "; ".join(f"{r['provider']}: ${r['first']['price_usd_per_gpu_hour']:.2f} ({r['first']['date']}) to "
                          f"${r['last']['price_usd_per_gpu_hour']:.2f} ({r['last']['date']})" for _, r in pair.iterrows())
        note(scenario, INPUT_LABELS["price_decline_per_year"], decline, "share",
             f"{rule} annualised fall of the {len(declines)} {DECLINE_FAMILY} price records on one basis: {spans}; "
             "a rise counts as no decline",
             "; ".join(f"{_source(r['first'])}; {_source(r['last'])}" for _, r in pair.iterrows()))

        company, effective = LIFE_RECORD[scenario]
        life_row = lives[(lives["company"] == company) & (lives["effective"] == effective)].iloc[0]
        life = int(life_row["useful_life_years_to"])
        note(scenario, INPUT_LABELS["useful_life_years"], life, "years", f"{company}'s useful life for {life_row['asset_class']} from {effective}", _source(life_row))

        discount = float(stated.loc[("discount_rate", scenario), "value"]) / 100
        note(scenario, INPUT_LABELS["discount_rate"], discount, "share", stated.loc[("discount_rate", scenario), "statement"],
             _source(stated.loc[("discount_rate", scenario)]))
        note(scenario, "Other operating costs", OTHER_OPEX_EUR_PER_YEAR, "€ per year",
             "not modelled: no source specific to GPU clusters found; results are optimistic on costs", "gap")

        inputs[scenario] = FactoryInputs(
            gpu_count=gpu_count, capex_per_gpu_eur=investment / gpu_count, facility_capex_eur=0.0,
            it_power_kw_per_gpu=it_kw, pue=pue, electricity_eur_per_kwh=electricity,
            other_opex_eur_per_year=OTHER_OPEX_EUR_PER_YEAR, utilisation=utilisation,
            price_eur_per_gpu_hour=price, price_decline_per_year=decline, useful_life_years=life,
            discount_rate=discount,
        )
    return inputs, pd.DataFrame(rows)


def proxy_range(inputs: dict[str, FactoryInputs], field: str) -> dict:
    """The base case's NPV with one proxy input moved across the cautious-to-optimistic range, others held."""
    from dataclasses import replace

    from telcoai.kernel.economics import evaluate

    low, high = sorted((getattr(inputs["cautious"], field), getattr(inputs["optimistic"], field)))
    base = inputs["base"]
    return {"low": low, "high": high,
            "npv_low": evaluate(replace(base, **{field: low})).npv_eur,
            "npv_high": evaluate(replace(base, **{field: high})).npv_eur}


def summary(inputs: dict[str, FactoryInputs], results: dict) -> pd.DataFrame:
    """One row per scenario: its main inputs and its results, for the chapter's table."""
    return pd.DataFrame([
        {"scenario": name, "utilisation": inputs[name].utilisation, "price": inputs[name].price_eur_per_gpu_hour,
         "decline": inputs[name].price_decline_per_year, "life": inputs[name].useful_life_years,
         "npv": results[name].npv_eur / 1e6,
         "irr": "none (never repaid)" if results[name].irr is None else f"{results[name].irr:.1%}",
         "payback": "not within life" if results[name].payback_year is None else f"year {results[name].payback_year}"}
        for name in SCENARIOS
    ])
