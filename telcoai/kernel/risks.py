"""Evidence for the article's two risks: telcos' cloud history and the pace of GPU generations."""

from __future__ import annotations

import re

import pandas as pd

from telcoai.kernel import vocab
from telcoai.kernel.tables import load
from telcoai.kernel.validate import partial_dates_to_timestamps



def _dated(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    frame = frame.dropna(subset=[column]).copy()
    frame[f"{column}_date"] = partial_dates_to_timestamps(frame[column])
    frame[f"{column}_precision"] = frame[column].str.len().map({4: "year", 7: "month", 10: "day"})
    return frame


def cloud_history() -> pd.DataFrame:
    """Telcos' cloud and data-centre ventures in date order, with amounts as stated."""
    frame = _dated(load("cloud_ventures"), "date").sort_values("date_date")
    frame["amount"] = [
        "" if pd.isna(v) else f"{c} {v:,.3g} {u}" for v, c, u in
        zip(frame["amount_value"], frame["amount_currency"], frame["amount_unit"])
    ]
    return frame.reset_index(drop=True)


def years_between(company: str, first_event: str, last_event: str) -> float:
    """Years from a company's first event of one kind to its last event of another."""
    frame = cloud_history()
    frame = frame[frame["company"] == company]
    start = frame[frame["event"] == first_event]["date_date"].min()
    end = frame[frame["event"] == last_event]["date_date"].max()
    return (end - start).days / 365.25


def architecture_announcements() -> pd.DataFrame:
    """The year Nvidia first publicly announced each new data-centre architecture, and the years since the previous one.

    The measure is the first public announcement with a memory or performance figure (a roadmap
    that gives one counts; naming an architecture does not), not the
    first shipment, taken to the year because that is the precision every
    architecture has in the data; a refresh such as Blackwell Ultra is not a
    new architecture.
    """
    frame = _dated(load("gpu_generations"), "announced")
    # Refreshes of an architecture are not new architectures: left out of the cadence.
    frame = frame[~frame["architecture"].isin(vocab.members("gpu_generations", "architecture", "refreshes"))]
    first = frame.sort_values("announced_date").groupby("architecture", as_index=False).first()
    first["order"] = first["architecture"].map({a: i for i, a in enumerate(vocab.order("gpu_generations", "architecture"))})
    first = first.sort_values("order").reset_index(drop=True)
    first["announced_year"] = first["announced_date"].dt.year
    first["years_since_previous"] = first["announced_year"].diff()
    return first[["architecture", "name", "announced", "announced_date", "announced_year", "years_since_previous",
                  "source_publisher", "source_url"]]


def _deal(event_id: str) -> str:
    """The deal an event belongs to: its id without the step (announce, tender, close) and the date."""
    return re.sub(r"(-(announce|tender|close))?-\d{4}(-\d{2})?$", "", event_id)


def venture_summary() -> dict:
    """What the table of telcos' cloud ventures holds: events by kind, acquisitions and exits counted as deals.

    Events of a business after an operator sold it are marked "(former …)" in
    the company field and are not the operator's exits.
    """
    frame = cloud_history()
    frame = frame.assign(deal=frame["event_id"].map(_deal))
    acquisitions = frame[frame["event"] == "acquisition"]
    # The events that end an operator's control of a venture.
    exits = frame[frame["event"].isin(vocab.members("cloud_ventures", "event", "exits")) & ~frame["company"].str.contains("former")].drop_duplicates("deal")
    return {
        "events": len(frame),
        "acquisition_events": len(acquisitions),
        "acquisition_deals": acquisitions["deal"].nunique(),
        "launches": int((frame["event"] == "launch").sum()),
        "exit_deals": len(exits),
        "sales": int((exits["event"] == "sale").sum()),
        "shutdowns": int((exits["event"] == "shutdown").sum()),
        "other_exits": int((exits["event"] == "exit").sum()),
        "companies_exiting": exits["company"].str.split(" ").str[0].nunique(),
    }


def specs_by_architecture() -> pd.DataFrame:
    """Largest memory and power, and dense FP16 throughput, stated for each architecture."""
    frame = load("gpu_generations")
    grouped = frame.groupby("architecture").agg(
        memory_gb=("memory_gb", "max"), tdp_watts=("tdp_watts", "max"), fp16_dense_tflops=("fp16_dense_tflops", "max"))
    grouped = grouped.reindex([a for a in vocab.order("gpu_generations", "architecture") if a in grouped.index]).reset_index()
    return grouped


def rental_prices() -> pd.DataFrame:
    frame = _dated(load("gpu_rental_prices"), "date").dropna(subset=["price_usd_per_gpu_hour"])
    frame["family"] = frame["gpu_model"].str.extract(r"^(A100|H100|H200|B200)", expand=False).fillna(frame["gpu_model"])
    return frame.sort_values("date_date").reset_index(drop=True)


def depreciation_changes() -> pd.DataFrame:
    return _dated(load("depreciation_lives"), "effective").sort_values(["company", "effective_date"]).reset_index(drop=True)


def price_spread(family: str = "H100") -> float:
    """Highest observed rental price of a GPU family divided by its lowest."""
    prices = rental_prices()
    prices = prices[prices["family"] == family]["price_usd_per_gpu_hour"]
    return float(prices.max() / prices.min())
