"""The registry of telco partnerships with Nvidia: timelines, status, the article's window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from telcoai.lineage import reads
from telcoai.tables import cutoff_date, load
from telcoai.validate import parse_partial_date, partial_dates_to_timestamps

#: Order in which a project's status advances; a later milestone never moves it back,
#: except a cancellation, which ends it.
STATUS_ORDER = ["announced", "building", "delayed", "live"]
#: Milestone events that show a project in operation.
IN_OPERATION = {"live", "expansion", "customer", "utilisation"}
KIND_LABELS = {
    "ai_factory": "AI factory", "sovereign_cloud": "Sovereign AI cloud", "gpu_as_a_service": "GPU as a service",
    "ai_ran": "AI-RAN", "edge_ai": "Edge AI", "other": "Other",
}


@reads("partnerships")
def registry() -> pd.DataFrame:
    """The partnerships with parsed dates (the first day a partial date can denote)."""
    frame = load("partnerships").copy()
    frame["announced_date"] = partial_dates_to_timestamps(frame["announced"])
    frame["announced_year"] = frame["announced_date"].dt.year
    frame["kind_label"] = frame["kind"].map(KIND_LABELS)
    return frame.sort_values("announced_date").reset_index(drop=True)


@reads("partnerships", "milestones")
def project_status(as_of: str | None = None) -> pd.DataFrame:
    """Each partnership's status on `as_of` (default: the data cut-off), from its milestones.

    The status is the furthest stage any milestone up to that date shows
    (announced < building < delayed < live); a cancellation overrides all.
    A delay after a go-live does not undo the go-live.
    """
    as_of_date = parse_partial_date(as_of or cutoff_date())
    parts = registry()
    milestones = load("milestones").copy()
    milestones["when"] = [parse_partial_date(d) for d in milestones["date"]]
    milestones = milestones[milestones["when"] <= as_of_date]
    rows = []
    for part in parts.itertuples(index=False):
        events = milestones[milestones["partnership_id"] == part.partnership_id].sort_values("when")
        kinds = set(events["event"])
        if "cancelled" in kinds:
            status = "cancelled"
        elif kinds & IN_OPERATION:
            status = "live"
        elif "delayed" in kinds:
            status = "delayed"
        elif "building" in kinds:
            status = "building"
        else:
            status = "announced"
        latest = events.iloc[-1] if len(events) else None
        rows.append({
            "partnership_id": part.partnership_id, "operator": part.operator, "country": part.country,
            "region": part.region, "kind_label": part.kind_label, "announced": part.announced,
            "status": status,
            "latest_event": None if latest is None else latest["event"],
            "latest_date": None if latest is None else latest["date"],
            "latest_description": None if latest is None else latest["description"],
            "description": part.description,
        })
    return pd.DataFrame(rows)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


@reads("partnerships", "milestones")
def window_events(start: dt.date, months: int, region: str = "Europe") -> pd.DataFrame:
    """Milestones of a region's projects dated within `months` of `start` (announcements excluded)."""
    end = add_months(start, months)
    parts = registry()
    parts = parts[parts["region"] == region][["partnership_id", "operator"]]
    milestones = load("milestones").merge(parts, on="partnership_id")
    milestones["when"] = [parse_partial_date(d) for d in milestones["date"]]
    precise = milestones["date"].str.len() >= 7
    inside = (milestones["when"] > start) & (milestones["when"] <= end) & precise
    found = milestones[inside & (milestones["event"] != "announced")]
    return found.sort_values("when").reset_index(drop=True)
