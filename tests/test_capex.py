"""Derived figures against values computed by hand from the sourced inputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from telcoai.kernel import capex
from telcoai.kernel.currency import fx_year, to_eur_bn
from telcoai.kernel.tables import load


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
    from telcoai.kernel.currency import rate_for

    fx = load("fx_rates")
    latest = int(fx["year"].max())
    assert rate_for(fx, "USD", latest + 1) == rate_for(fx, "USD", latest)
    assert rate_for(fx, "USD", 2023) == (pytest.approx(1.0813), 2023)
    with pytest.raises(KeyError, match="no USD rate for 1990 or earlier"):
        rate_for(fx, "USD", 1990)


def test_every_hole_inside_a_comparison_span_is_stated():
    # The validator's rule (x-stated-gaps): the stated gaps are exactly the years with no figure.
    from telcoai.kernel import validate

    problems, _ = validate.check()
    assert [str(p) for p in problems if p.column == "stated_gaps"] == []


def test_changes_of_perimeter_reach_the_capex_panel():
    from telcoai.kernel import capex

    panel = capex.capex_panel().set_index(["entity_id", "fiscal_year"])
    assert "Vodafone Italia" in panel.loc[("swisscom", 2025), "break_note"]
    assert "MasOrange" in panel.loc[("orange", 2024), "break_note"] or "Spain" in panel.loc[("orange", 2024), "break_note"]
    assert panel["break_note"].notna().sum() == len(capex.breaks())


def _with_next_year_for(entities: set[str], tmp_path, monkeypatch):
    """A copy of the data with fiscal 2026 capex and revenue for `entities`; capex reads the copy."""
    import csv
    import json
    import shutil

    from telcoai.kernel import capex, tables
    from telcoai.kernel.paths import DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    package["x-data-cutoff"] = "2027-03-31"
    (data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    with open(data / "financials.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    current = {(r["entity_id"], r["measure"], r["series"]) for r in csv.DictReader(open(data / "comparison_series.csv"))
               if not r["last_year"]}
    latest = {}
    for row in rows:
        key = (row["entity_id"], row["measure"], row["series"])
        if key in current and row["entity_id"] in entities:
            latest[key] = max(latest.get(key, row), row, key=lambda r: int(r["fiscal_year"]))
    rows += [dict(row, fiscal_year="2026", source_date="2027-02-20") for row in latest.values() if row["fiscal_year"] != "2026"]
    with open(data / "financials.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    from support import state_new_gaps

    state_new_gaps(data)   # the years a series skips to reach 2026 are stated, as the validator asks
    fx = data / "fx_rates.csv"   # the test's own rates for 2026: those of 2025
    lines = fx.read_text(encoding="utf-8").splitlines()
    fx.write_text("\n".join(lines + [line.replace(",2025,", ",2026,", 1) for line in lines if ",2025," in line]) + "\n",
                  encoding="utf-8")
    monkeypatch.setattr(capex, "load", lambda name: tables.load(name, data))
    # The tables capex computes once per kernel are computed afresh from the copy.
    for name in ("compared_financials", "capex_panel"):
        monkeypatch.setattr(capex, name, getattr(capex, name).__wrapped__)
    return capex


def test_a_year_reported_by_two_groups_only_does_not_become_the_latest_year(tmp_path, monkeypatch):
    capex = _with_next_year_for({"deutsche_telekom", "orange"}, tmp_path, monkeypatch)
    assert 2026 in capex.years()
    assert capex.latest_year() == 2024        # 2 of 12 groups is below the two-thirds rule
    assert capex.balanced_span()[1] == 2024


def test_a_year_reported_by_every_group_becomes_the_latest_year(tmp_path, monkeypatch):
    from telcoai.kernel.tables import load

    telcos = set(load("entities").query("entity_type == 'telco'")["entity_id"])
    capex = _with_next_year_for(telcos, tmp_path, monkeypatch)
    assert capex.latest_year() == 2026
    panel = capex.capex_panel()
    assert panel[panel["fiscal_year"] == 2026]["capex_eur_bn"].notna().sum() == len(telcos)
