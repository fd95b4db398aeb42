"""The registry of telco AI-factory projects with Nvidia: projects, their events, their status.

The unit is the project (a physical system or a service); announcements,
restatements, go-lives and cancellations are dated events of a project.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from telcoai.kernel import vocab
from telcoai.kernel.tables import cutoff_date, load
from telcoai.kernel.validate import parse_partial_date, partial_dates_to_timestamps

#: Events that show a project in operation. A customer signed or an expansion
#: announced does not: customers often sign before a system is running.
IN_OPERATION = {"live", "utilisation"}
#: Events that are announcements (the first one, and later restatements or expansions).
ANNOUNCEMENTS = {"announced", "restated", "expanded"}


def events() -> pd.DataFrame:
    """Every event with its project's operator, country and region, and a parsed date."""
    frame = load("project_events").copy()
    frame["when"] = [parse_partial_date(d) for d in frame["date"]]
    info = load("projects")[["project_id", "operator", "operator_group", "country", "region", "name"]]
    return frame.merge(info, on="project_id").sort_values(["when", "event_id"]).reset_index(drop=True)


def projects() -> pd.DataFrame:
    """The projects, each with the date of its first announcement, sorted by it."""
    frame = load("projects").copy()
    first = load("project_events").query("event == 'announced'").groupby("project_id")["date"].min()
    frame["announced"] = frame["project_id"].map(first)
    frame["announced_date"] = partial_dates_to_timestamps(frame["announced"])
    frame["announced_year"] = frame["announced_date"].dt.year
    frame["kind_label"] = frame["kind"].map(vocab.labels("projects", "kind"))
    return frame.sort_values(["announced_date", "project_id"]).reset_index(drop=True)


def stage(kinds: set[str]) -> str:
    """The status rule: the furthest stage any event shows; a cancellation overrides all.

    announced < building < delayed < live. A delay after a go-live does not undo it.
    """
    if "cancelled" in kinds:
        return "cancelled"
    if kinds & IN_OPERATION:
        return "live"
    if "delayed" in kinds:
        return "delayed"
    if "building" in kinds:
        return "building"
    return "announced"


def status(as_of: str | None = None) -> pd.DataFrame:
    """Each project's status on `as_of` (default: the cut-off), the event that set it, and its latest event.

    Where sources disagree, every version is an event; the rule uses the
    earliest event that reaches the furthest stage, and says which one it was.
    """
    as_of_date = parse_partial_date(as_of or cutoff_date())
    found = events()
    found = found[found["when"] <= as_of_date]
    rows = []
    for project in projects().itertuples(index=False):
        own = found[found["project_id"] == project.project_id]
        reached = stage(set(own["event"]))
        setting = {"live": IN_OPERATION, "cancelled": {"cancelled"}, "delayed": {"delayed"},
                   "building": {"building"}, "announced": {"announced"}}[reached]
        first_setting = own[own["event"].isin(setting)].iloc[0] if own["event"].isin(setting).any() else None
        latest = own.iloc[-1] if len(own) else None
        rows.append({
            "project_id": project.project_id, "name": project.name, "operator": project.operator,
            "operator_group": project.operator_group, "country": project.country, "region": project.region,
            "kind": project.kind, "kind_label": project.kind_label, "announced": project.announced, "status": reached,
            "status_date": None if first_setting is None else first_setting["date"],
            "status_event": None if first_setting is None else first_setting["event_id"],
            "announcements": int(own["event"].isin(ANNOUNCEMENTS).sum()),
            "latest_event": None if latest is None else latest["event"],
            "latest_date": None if latest is None else latest["date"],
            "latest_description": None if latest is None else latest["description"],
            "description": project.description,
        })
    return pd.DataFrame(rows)


def bid_projects() -> set[str]:
    """The projects with a bid for public funding among their events."""
    return set(events().query("event == 'bid'")["project_id"])


def latest_event_date() -> str:
    """The date of the latest recorded event (sources were searched up to the cut-off)."""
    found = events()
    return found.iloc[-1]["date"]


def busiest_announcement_day(region: str = "Europe") -> tuple[dt.date, pd.DataFrame]:
    """The day on which most of a region's projects were announced, restated or expanded, and those events."""
    found = events()
    found = found[(found["region"] == region) & found["event"].isin(ANNOUNCEMENTS) & (found["date"].str.len() == 10)]
    day = found["when"].value_counts().sort_index(ascending=False).idxmax()
    return day, found[found["when"] == day]


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def window_events(start: dt.date, months: int, region: str = "Europe") -> pd.DataFrame:
    """Events of a region's projects dated within `months` after `start`, announcements excluded."""
    end = add_months(start, months)
    found = events()
    precise = found["date"].str.len() >= 7
    inside = (found["when"] > start) & (found["when"] <= end) & precise & (found["region"] == region)
    return found[inside & ~found["event"].isin(ANNOUNCEMENTS)].reset_index(drop=True)
