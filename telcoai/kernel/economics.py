"""A cash-flow model of a telco AI factory: capex up front, rental income that falls each year.

Year 0 holds the investment. In each year 1..life the factory rents out its
GPUs for a share (utilisation) of the 8,760 hours, at a price per GPU-hour that
falls by a fixed share each year, and pays for the electricity its GPUs and
their cooling draw while rented (IT power times PUE) and for other operating
costs. At the end of its useful life the equipment is worth nothing: the
question the model answers is whether the factory pays back before its GPUs are
obsolete.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

HOURS_PER_YEAR = 8760


#: How each model input is named in tables, charts and prose.
INPUT_LABELS = {
    "utilisation": "Utilisation", "price_eur_per_gpu_hour": "Rental price (year 1)", "price_decline_per_year": "Price decline per year",
    "useful_life_years": "Useful life", "capex_per_gpu_eur": "Investment per GPU", "electricity_eur_per_kwh": "Electricity price",
    "pue": "PUE", "discount_rate": "Discount rate",
}


@dataclass(frozen=True)
class FactoryInputs:
    """Inputs of the model; money in euros."""

    gpu_count: int
    capex_per_gpu_eur: float
    facility_capex_eur: float
    it_power_kw_per_gpu: float
    pue: float
    electricity_eur_per_kwh: float
    other_opex_eur_per_year: float
    utilisation: float
    price_eur_per_gpu_hour: float
    price_decline_per_year: float
    useful_life_years: int
    discount_rate: float

    def __post_init__(self):
        problems = []
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value) or math.isinf(value):
                problems.append(f"{field.name} must be a finite number, got {value!r}")
        if problems:
            raise ValueError("; ".join(problems))
        checks = [
            (isinstance(self.gpu_count, int) and self.gpu_count >= 1, "gpu_count must be a whole number of at least 1"),
            (self.capex_per_gpu_eur >= 0, "capex_per_gpu_eur cannot be negative"),
            (self.facility_capex_eur >= 0, "facility_capex_eur cannot be negative"),
            (self.capex_per_gpu_eur * self.gpu_count + self.facility_capex_eur > 0, "the investment must be more than zero"),
            (self.it_power_kw_per_gpu >= 0, "it_power_kw_per_gpu cannot be negative"),
            (self.pue >= 1, "pue (power usage effectiveness) cannot be below 1"),
            (self.electricity_eur_per_kwh >= 0, "electricity_eur_per_kwh cannot be negative"),
            (self.other_opex_eur_per_year >= 0, "other_opex_eur_per_year cannot be negative"),
            (0 <= self.utilisation <= 1, "utilisation is a share of hours and must lie between 0 and 1"),
            (self.price_eur_per_gpu_hour >= 0, "price_eur_per_gpu_hour cannot be negative"),
            (0 <= self.price_decline_per_year <= 1, "price_decline_per_year must lie between 0 (no decline) and 1 (price falls to zero)"),
            (isinstance(self.useful_life_years, int) and 1 <= self.useful_life_years <= 30,
             "useful_life_years must be a whole number from 1 to 30"),
            (self.discount_rate > -1, "discount_rate must be above -1"),
        ]
        problems = [message for ok, message in checks if not ok]
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def investment_eur(self) -> float:
        return self.capex_per_gpu_eur * self.gpu_count + self.facility_capex_eur


@dataclass(frozen=True)
class YearFlow:
    year: int
    revenue_eur: float
    electricity_eur: float
    other_opex_eur: float
    net_cash_flow_eur: float
    cumulative_eur: float


@dataclass(frozen=True)
class FactoryResult:
    flows: list[YearFlow]
    npv_eur: float
    irr: float | None
    payback_year: int | None


def cash_flows(inputs: FactoryInputs) -> list[YearFlow]:
    """Year 0 (the investment) and each year of the useful life."""
    flows = [YearFlow(0, 0.0, 0.0, 0.0, -inputs.investment_eur, -inputs.investment_eur)]
    rented_hours = inputs.gpu_count * HOURS_PER_YEAR * inputs.utilisation
    electricity = rented_hours * inputs.it_power_kw_per_gpu * inputs.pue * inputs.electricity_eur_per_kwh
    cumulative = -inputs.investment_eur
    for year in range(1, inputs.useful_life_years + 1):
        price = inputs.price_eur_per_gpu_hour * (1 - inputs.price_decline_per_year) ** (year - 1)
        revenue = rented_hours * price
        net = revenue - electricity - inputs.other_opex_eur_per_year
        cumulative += net
        flows.append(YearFlow(year, revenue, electricity, inputs.other_opex_eur_per_year, net, cumulative))
    return flows


def npv(rate: float, flows: list[float]) -> float:
    """Net present value of flows at years 0, 1, 2 ..."""
    return sum(flow / (1 + rate) ** year for year, flow in enumerate(flows))


def irr(flows: list[float]) -> float | None:
    """Internal rate of return by bisection, or None when no rate above -100% sets the NPV to zero.

    With an outlay first and inflows after, NPV falls as the rate rises, so a
    single root is bracketed between -99.99% and a rate high enough to make it negative.
    """
    low, high = -0.9999, 1.0
    if npv(low, flows) < 0:
        return None
    while npv(high, flows) > 0:
        high *= 2
        if high > 1e6:
            return None
    for _ in range(200):
        mid = (low + high) / 2
        if npv(mid, flows) > 0:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def payback_year(flows: list[YearFlow]) -> int | None:
    """First year whose cumulative cash flow is zero or more; None if never within the life."""
    for flow in flows[1:]:
        if flow.cumulative_eur >= 0:
            return flow.year
    return None


def evaluate(inputs: FactoryInputs) -> FactoryResult:
    flows = cash_flows(inputs)
    nets = [f.net_cash_flow_eur for f in flows]
    return FactoryResult(flows=flows, npv_eur=npv(inputs.discount_rate, nets), irr=irr(nets), payback_year=payback_year(flows))


def sensitivity(inputs: FactoryInputs, change: float = 0.2) -> list[dict]:
    """NPV when each input moves `change` down and up, all else equal (a tornado table).

    Shares (utilisation, price decline) are kept within 0-1; the useful life
    moves by whole years, at least one.
    """
    base = evaluate(inputs).npv_eur
    rows = []
    for name in ["utilisation", "price_eur_per_gpu_hour", "price_decline_per_year", "useful_life_years",
                 "capex_per_gpu_eur", "electricity_eur_per_kwh", "pue", "discount_rate"]:
        value = getattr(inputs, name)
        outcomes = []
        for factor in (1 - change, 1 + change):
            if name == "useful_life_years":
                moved = max(1, round(value * factor)) if round(value * factor) != value else value + (1 if factor > 1 else -1)
                moved = max(1, moved)
            else:
                moved = value * factor
                if name in ("utilisation", "price_decline_per_year"):
                    moved = min(1.0, max(0.0, moved))
                if name == "pue":
                    moved = max(1.0, moved)
            outcomes.append((moved, evaluate(_replace(inputs, name, moved)).npv_eur))
        (low_value, low_npv), (high_value, high_npv) = outcomes
        rows.append({"input": name, "base_value": value, "low_value": low_value, "high_value": high_value,
                     "npv_low_eur": low_npv, "npv_high_eur": high_npv, "npv_base_eur": base,
                     "swing_eur": abs(high_npv - low_npv)})
    return sorted(rows, key=lambda r: -r["swing_eur"])


def _replace(inputs: FactoryInputs, name: str, value) -> FactoryInputs:
    values = {f.name: getattr(inputs, f.name) for f in fields(inputs)}
    values[name] = value
    return FactoryInputs(**values)


def break_even(inputs: FactoryInputs, name: str, low: float, high: float) -> float | None:
    """The value of input `name` within [low, high] at which the NPV is zero, all else equal.

    Returns None when the NPV does not change sign over the range (no break-even there).
    """
    def npv_at(value: float) -> float:
        return evaluate(_replace(inputs, name, value)).npv_eur

    f_low, f_high = npv_at(low), npv_at(high)
    if f_low == 0:
        return low
    if (f_low > 0) == (f_high > 0):
        return None
    for _ in range(100):
        mid = (low + high) / 2
        f_mid = npv_at(mid)
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2
