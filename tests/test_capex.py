"""Derived figures against values computed by hand from the sourced inputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from telcoai import capex
from telcoai.currency import fx_year, to_eur_bn
from telcoai.tables import load


def panel_row(name: str, year: int) -> pd.Series:
    panel = capex.capex_panel()
    return panel[(panel["name"] == name) & (panel["fiscal_year"] == year)].iloc[0]


def test_fiscal_years_ending_by_june_use_the_previous_years_rate():
    assert fx_year(2024, 3) == 2023   # BT, Vodafone: year to 31 March 2024
    assert fx_year(2024, 6) == 2023   # Microsoft: year to 30 June 2024
    assert fx_year(2024, 12) == 2024


def test_bt_fy2024_in_euros_and_intensity_by_hand():
    # financials.csv: BT capex FY2024 (year to March 2024) GBP 4.9 billion, revenue GBP 20.8 billion;
    # fx_rates.csv: GBP 2023 = 0.8698 per euro.  4.9 / 0.8698 = 5.6335 EUR bn;  4.9 / 20.8 = 0.23558.
    row = panel_row("BT Group", 2024)
    assert row["capex_eur_bn"] == pytest.approx(5.6335, abs=1e-4)
    assert row["capex_intensity"] == pytest.approx(0.23558, abs=1e-5)


def test_swisscom_2023_in_euros_and_intensity_by_hand():
    # Swisscom 2023: capex CHF 2,292 million, revenue CHF 11,072 million; CHF 2023 = 0.9718 per euro.
    # 2292 / 0.9718 / 1000 = 2.35851 EUR bn;  2292 / 11072 = 0.20701.
    row = panel_row("Swisscom", 2023)
    assert row["capex_eur_bn"] == pytest.approx(2.35851, abs=1e-5)
    assert row["capex_intensity"] == pytest.approx(0.20701, abs=1e-5)


def test_telia_2019_in_euros_by_hand():
    # Telia 2019: CAPEX SEK 14,113 million; SEK 2019 = 10.5891 per euro. 14113 / 10.5891 / 1000 = 1.33279.
    assert panel_row("Telia Company", 2019)["capex_eur_bn"] == pytest.approx(1.33279, abs=1e-5)


def test_euro_figures_pass_through_and_units_scale():
    # Deutsche Telekom 2025: EUR 16,864 million -> 16.864 EUR bn; 2024: EUR 16.0 billion.
    assert panel_row("Deutsche Telekom", 2025)["capex_eur_bn"] == pytest.approx(16.864)
    assert panel_row("Deutsche Telekom", 2024)["capex_eur_bn"] == pytest.approx(16.0)


def test_a_gap_stays_a_gap():
    row = panel_row("Telenor", 2024)
    assert math.isnan(row["capex_eur_bn"]) and math.isnan(row["capex_intensity"])


def test_a_missing_exchange_rate_is_an_error_not_a_zero():
    frame = pd.DataFrame([{"value": 1.0, "unit": "billion", "currency": "JPY", "fx_year": 2023}])
    with pytest.raises(KeyError, match="no JPY rate for 2023"):
        to_eur_bn(frame, load("fx_rates"))


def test_fx_rates_are_the_means_of_the_ecb_daily_rates():
    daily = load("ecb_daily_rates")
    daily["year"] = daily["date"].str.slice(0, 4).astype(int)
    for row in load("fx_rates").itertuples():
        values = daily.loc[daily["year"] == row.year, row.currency].dropna()
        assert round(values.mean(), 4) == pytest.approx(row.units_per_eur, abs=5e-5)


def test_balanced_totals_only_sum_companies_with_every_year():
    totals, members = capex.balanced_totals(2020, 2024)
    compared = capex.compared_financials()
    compared = compared[(compared["measure"] == "capex") & compared["fiscal_year"].between(2020, 2024)]
    for name in members["telco"] + members["hyperscaler"]:
        assert set(compared[compared["name"] == name]["fiscal_year"]) == set(range(2020, 2025))
    telco_2024 = compared[(compared["fiscal_year"] == 2024) & compared["name"].isin(members["telco"])]["value_eur_bn"].sum()
    assert totals.query("group == 'telco' and fiscal_year == 2024")["capex_eur_bn"].item() == pytest.approx(telco_2024)
    assert "Telenor" not in members["telco"]


def test_a_year_without_a_rate_falls_back_to_the_latest_earlier_year():
    from telcoai.currency import rate_for

    fx = load("fx_rates")
    latest = int(fx["year"].max())
    assert rate_for(fx, "USD", latest + 1) == rate_for(fx, "USD", latest)
    assert rate_for(fx, "USD", 2023) == (pytest.approx(1.0813), 2023)
    with pytest.raises(KeyError, match="no USD rate for 1990 or earlier"):
        rate_for(fx, "USD", 1990)


def test_every_hole_inside_a_comparison_span_is_stated():
    from telcoai import capex

    holes = capex.series_holes()
    unstated = holes[[h != s for h, s in zip(holes["holes"], holes["stated"])]]
    assert unstated.empty, unstated.to_dict("records")


def test_changes_of_perimeter_reach_the_capex_panel():
    from telcoai import capex

    panel = capex.capex_panel().set_index(["entity_id", "fiscal_year"])
    assert "Vodafone Italia" in panel.loc[("swisscom", 2025), "break_note"]
    assert "MasOrange" in panel.loc[("orange", 2024), "break_note"] or "Spain" in panel.loc[("orange", 2024), "break_note"]
    assert panel["break_note"].notna().sum() == len(capex.breaks())
