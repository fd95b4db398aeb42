"""The AI-factory scenarios take their prices from the data by stated rules (lowest, median, highest)."""

from __future__ import annotations

import pytest

from telcoai.kernel import scenarios
from telcoai.kernel.economics import INPUT_LABELS


def test_first_year_prices_are_the_lowest_median_and_highest_b200_observations():
    from telcoai.kernel.risks import rental_prices

    b200 = sorted(rental_prices().query("family == 'B200'")["price_usd_per_gpu_hour"])
    assert b200 == [2.25, 2.25, 4.00, 6.03]          # the four B200 rows of data/gpu_rental_prices.csv
    inputs, table = scenarios.scenario_inputs()
    usd = table[table["input"] == INPUT_LABELS["price_eur_per_gpu_hour"]].set_index("scenario")["basis"]
    assert "$2.25" in usd["cautious"] and "lowest" in usd["cautious"]
    assert "$2.25" in usd["base"] and "$4.00" in usd["base"] and "median" in usd["base"]   # (2.25 + 4.00) / 2
    assert "$6.03" in usd["optimistic"] and "highest" in usd["optimistic"]
    ratio = inputs["optimistic"].price_eur_per_gpu_hour / inputs["cautious"].price_eur_per_gpu_hour
    assert ratio == pytest.approx(6.03 / 2.25)      # same exchange rate year, so the ratio is the dollar ratio
    assert inputs["base"].price_eur_per_gpu_hour / inputs["cautious"].price_eur_per_gpu_hour == pytest.approx(3.125 / 2.25)


def test_price_declines_come_from_sources_that_priced_the_h100_twice_on_one_basis():
    declines = scenarios.price_declines().set_index("provider")["decline"]
    # AWS P5 on-demand: $7.57 (2025, read as 1 January) to $3.90 (March 2026), 1.1608 years: -43.5% a year.
    assert declines["AWS EC2 P5 (on-demand)"] == pytest.approx(0.4352, abs=1e-4)
    # AIMultiple's median: $7 (2024) to $2.95 (May 2026), 2.3299 years: -31.0% a year.
    assert declines["market (median posted on-demand price, AIMultiple index)"] == pytest.approx(0.3099, abs=1e-4)
    inputs, _ = scenarios.scenario_inputs()
    assert inputs["cautious"].price_decline_per_year == pytest.approx(0.4352, abs=1e-4)
    assert inputs["optimistic"].price_decline_per_year == pytest.approx(0.3099, abs=1e-4)
    assert inputs["base"].price_decline_per_year == pytest.approx((0.4352 + 0.3099) / 2, abs=1e-4)


def test_a_source_with_one_date_gives_no_decline():
    declines = scenarios.price_declines()
    assert "Lambda Labs (on-demand)" not in set(declines["provider"])
