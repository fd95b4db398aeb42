"""The AI-factory model against small cases computed by hand, edge cases and refused inputs."""

from __future__ import annotations

import math

import pytest

from telcoai.kernel.economics import FactoryInputs, evaluate, irr, npv, sensitivity


def simple(**changes) -> FactoryInputs:
    """One GPU bought for 1,000 that earns 500 a year (8,760 h at 500/8,760 per hour), no running costs."""
    values = dict(gpu_count=1, capex_per_gpu_eur=1000.0, facility_capex_eur=0.0, it_power_kw_per_gpu=0.0, pue=1.0,
                  electricity_eur_per_kwh=0.0, other_opex_eur_per_year=0.0, utilisation=1.0,
                  price_eur_per_gpu_hour=500 / 8760, price_decline_per_year=0.0, useful_life_years=3, discount_rate=0.10)
    values.update(changes)
    return FactoryInputs(**values)


def test_three_years_of_500_on_1000_by_hand():
    result = evaluate(simple())
    assert [round(f.net_cash_flow_eur, 6) for f in result.flows] == [-1000, 500, 500, 500]
    # -1000 + 500/1.1 + 500/1.21 + 500/1.331 = 243.426
    assert result.npv_eur == pytest.approx(243.4260, abs=1e-3)
    # 500 a year for three years repays 1,000 at r where the annuity factor is 2: r = 23.375%
    assert result.irr == pytest.approx(0.23375, abs=1e-4)
    assert result.payback_year == 2   # cumulative: -500, 0, +500


def test_running_costs_by_hand():
    # 10 GPUs, 1 kW each, PUE 1.5, €0.20/kWh, rented half the hours: 10 * 8760 * 0.5 * 1 * 1.5 * 0.2 = €13,140 a year.
    inputs = simple(gpu_count=10, it_power_kw_per_gpu=1.0, pue=1.5, electricity_eur_per_kwh=0.2, utilisation=0.5,
                    other_opex_eur_per_year=1000.0, price_eur_per_gpu_hour=2.0)
    year1 = evaluate(inputs).flows[1]
    assert year1.revenue_eur == pytest.approx(10 * 8760 * 0.5 * 2.0)          # 87,600
    assert year1.electricity_eur == pytest.approx(13140.0)
    assert year1.net_cash_flow_eur == pytest.approx(87600 - 13140 - 1000)


def test_price_decline_compounds_by_year():
    flows = evaluate(simple(price_decline_per_year=0.5)).flows
    assert [round(f.revenue_eur, 6) for f in flows[1:]] == [500, 250, 125]


def test_zero_utilisation_never_pays_back():
    result = evaluate(simple(utilisation=0.0))
    assert result.npv_eur == pytest.approx(-1000)
    assert result.payback_year is None and result.irr is None


def test_price_falling_to_zero_leaves_only_the_first_year():
    result = evaluate(simple(price_decline_per_year=1.0))
    assert [round(f.revenue_eur, 6) for f in result.flows[1:]] == [500, 0, 0]
    assert result.payback_year is None
    assert result.irr == pytest.approx(-0.5, abs=1e-6)   # -1000 then 500: half the money back


def test_a_life_of_one_year():
    result = evaluate(simple(useful_life_years=1, price_eur_per_gpu_hour=1100 / 8760))
    assert len(result.flows) == 2
    assert result.irr == pytest.approx(0.10, abs=1e-6)
    assert result.npv_eur == pytest.approx(0.0, abs=1e-6)
    assert result.payback_year == 1


def test_npv_and_irr_helpers_agree():
    flows = [-100.0, 60.0, 60.0]
    rate = irr(flows)
    assert npv(rate, flows) == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("changes, message", [
    ({"utilisation": 1.5}, "utilisation is a share of hours"),
    ({"utilisation": -0.1}, "utilisation is a share of hours"),
    ({"useful_life_years": 0}, "useful_life_years must be a whole number from 1 to 30"),
    ({"useful_life_years": 2.5}, "useful_life_years must be a whole number"),
    ({"gpu_count": 0}, "gpu_count must be a whole number of at least 1"),
    ({"pue": 0.8}, "pue (power usage effectiveness) cannot be below 1"),
    ({"price_eur_per_gpu_hour": -1.0}, "price_eur_per_gpu_hour cannot be negative"),
    ({"price_decline_per_year": 1.2}, "price_decline_per_year must lie between 0"),
    ({"capex_per_gpu_eur": 0.0}, "the investment must be more than zero"),
    ({"discount_rate": -1.0}, "discount_rate must be above -1"),
    ({"electricity_eur_per_kwh": float("nan")}, "must be a finite number"),
])
def test_nonsensical_inputs_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ValueError) as caught:
        simple(**changes)
    assert message in str(caught.value)


def test_sensitivity_ranks_inputs_by_their_swing():
    rows = sensitivity(simple(it_power_kw_per_gpu=1.0, electricity_eur_per_kwh=0.01, pue=1.2))
    swings = [r["swing_eur"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    by_name = {r["input"]: r for r in rows}
    # More utilisation always means more income here, so the NPV rises with it.
    assert by_name["utilisation"]["npv_high_eur"] > by_name["utilisation"]["npv_low_eur"]
    assert by_name["discount_rate"]["npv_high_eur"] < by_name["discount_rate"]["npv_low_eur"]
    assert all(math.isfinite(r["npv_base_eur"]) for r in rows)


def test_break_even_price_by_hand():
    # With the simple case at 10%, NPV is zero when the yearly income A solves A * 2.486852 = 1000 (annuity factor
    # for 3 years at 10%: 1/1.1 + 1/1.21 + 1/1.331 = 2.486852), i.e. A = 402.115, a price of 402.115 / 8760 per hour.
    from telcoai.kernel.economics import break_even
    price = break_even(simple(), "price_eur_per_gpu_hour", 0.0, 1.0)
    assert price * 8760 == pytest.approx(402.1148, abs=1e-3)
    assert break_even(simple(utilisation=0.0), "discount_rate", 0.0, 0.5) is None
