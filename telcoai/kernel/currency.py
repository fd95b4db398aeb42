"""Conversion of reported figures to euros with ECB annual average rates."""

from __future__ import annotations

import pandas as pd

SCALE = {"million": 1e6, "billion": 1e9}


def fx_year(fiscal_year: int, fiscal_year_end_month: int) -> int:
    """Calendar year whose average rate converts a fiscal year's flows.

    A fiscal year ending in January-June lies mostly (or, ending in June, half)
    in the previous calendar year (BT's and Vodafone's year to March 2024 has
    nine months in 2023), so
    its flows are converted at that year's average; otherwise at the average
    of the year in which the fiscal year ends.
    """
    return fiscal_year - 1 if fiscal_year_end_month <= 6 else fiscal_year


def rate_for(fx_rates: pd.DataFrame, currency: str, year: int) -> tuple[float, int]:
    """Units of `currency` per euro for `year`, or for the latest earlier year with a rate.

    Returns the rate and the year it is for, so the text can say which was used.
    """
    rates = fx_rates[fx_rates["currency"] == currency].set_index("year")["units_per_eur"]
    earlier = [y for y in rates.index if y <= year]
    if not earlier:
        raise KeyError(f"no {currency} rate for {year} or earlier in data/fx_rates.csv")
    use = max(earlier)
    return float(rates.loc[use]), int(use)


def to_eur_bn(frame: pd.DataFrame, fx_rates: pd.DataFrame) -> pd.Series:
    """Euro billions for rows with value, unit, currency and fx_year columns.

    A row whose currency-year has no rate raises: a missing rate is a data gap
    to fill in fx_rates.csv, never a silent zero.
    """
    rates = fx_rates.set_index(["currency", "year"])["units_per_eur"]
    out = []
    for row in frame.itertuples(index=False):
        amount = float(row.value) * SCALE[row.unit]
        if row.currency == "EUR":
            out.append(amount / 1e9)
            continue
        key = (row.currency, int(row.fx_year))
        if key not in rates.index:
            raise KeyError(f"no {row.currency} rate for {row.fx_year} in data/fx_rates.csv")
        out.append(amount / float(rates.loc[key]) / 1e9)
    return pd.Series(out, index=frame.index, dtype="float64")
