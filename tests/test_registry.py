"""The registry counts projects, derives each status by the stated rule, and keeps to its source policy."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from telcoai.kernel import registry
from telcoai.kernel.paths import DATA_DIR
from telcoai.kernel.validate import DataValidationError, validate_package


# --- the status rule, on hand-made cases -------------------------------------

@pytest.mark.parametrize("events, expected", [
    ({"announced"}, "announced"),
    ({"announced", "restated", "restated", "expanded"}, "announced"),   # several announcements are still one plan
    ({"announced", "customer"}, "announced"),                           # a customer signed is not a go-live
    ({"announced", "building"}, "building"),
    ({"announced", "building", "delayed"}, "delayed"),
    ({"announced", "live", "delayed"}, "live"),                         # a delay after opening does not undo it
    ({"announced", "utilisation"}, "live"),
    ({"announced", "live", "cancelled"}, "cancelled"),                  # a cancellation overrides all
    ({"announced", "bid", "other"}, "announced"),
])
def test_the_status_rule(events, expected):
    assert registry.stage(set(events)) == expected


def fake_registry(monkeypatch, projects: list[dict], events: list[dict], cutoff: str = "2026-11-26"):
    base = {"operator": "Op", "operator_group": "Op", "country": "DE", "region": "Europe", "kind": "ai_factory",
            "description": "d", "name": "n"}
    frame = pd.DataFrame([{**base, **p} for p in projects])
    event_frame = pd.DataFrame([{"description": "d", **e} for e in events])
    tables = {"projects": frame, "project_events": event_frame}
    monkeypatch.setattr(registry, "load", lambda name: tables[name].copy())
    monkeypatch.setattr(registry, "cutoff_date", lambda: cutoff)


def test_a_project_announced_twice_counts_once_and_conflicting_openings_are_both_kept(monkeypatch):
    fake_registry(monkeypatch, [{"project_id": "munich"}], [
        {"event_id": "a", "project_id": "munich", "date": "2025-06-13", "event": "announced"},
        {"event_id": "b", "project_id": "munich", "date": "2025-11-04", "event": "restated"},
        {"event_id": "c", "project_id": "munich", "date": "2026-04-28", "event": "live"},   # a later "launch" report
        {"event_id": "d", "project_id": "munich", "date": "2026-02-04", "event": "live"},   # the opening
    ])
    status = registry.status()
    assert len(status) == 1
    (row,) = status.to_dict("records")
    assert row["status"] == "live" and row["announcements"] == 2
    assert row["status_date"] == "2026-02-04" and row["status_event"] == "d"   # the earliest of the conflicting dates
    assert row["latest_date"] == "2026-04-28"


def test_status_on_an_earlier_date_and_a_cancellation(monkeypatch):
    fake_registry(monkeypatch, [{"project_id": "p"}, {"project_id": "q"}], [
        {"event_id": "p1", "project_id": "p", "date": "2025-01", "event": "announced"},
        {"event_id": "p2", "project_id": "p", "date": "2025-06-01", "event": "building"},
        {"event_id": "p3", "project_id": "p", "date": "2026-03-01", "event": "cancelled"},
        {"event_id": "q1", "project_id": "q", "date": "2025", "event": "announced"},
    ])
    assert dict(zip(*registry.status("2025-12-31")[["project_id", "status"]].T.values)) == {"p": "building", "q": "announced"}
    assert dict(zip(*registry.status()[["project_id", "status"]].T.values)) == {"p": "cancelled", "q": "announced"}


def test_the_real_registry_has_one_row_per_project_and_one_first_announcement_each():
    projects = registry.projects()
    events = registry.events()
    assert projects["project_id"].is_unique
    firsts = events[events["event"] == "announced"].groupby("project_id").size()
    assert set(firsts.index) == set(projects["project_id"]) and (firsts == 1).all()
    # Deutsche Telekom's Munich factory: announced in June 2025, restated in November, one project.
    munich = registry.status().set_index("project_id").loc["dt-industrial-ai-cloud-munich"]
    assert munich["status"] == "live" and munich["announcements"] >= 2


# --- the source policy ------------------------------------------------------

@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit(path: Path, line: int, changes: dict) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[line - 2].update(changes)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def problems_for(data_dir: Path):
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_dir)
    return caught.value.problems


def test_a_refused_source_is_named_with_file_line_column_and_value(data_copy):
    url = "https://www.coindesk.cc/telco-builds-ai-factory"
    edit(data_copy / "project_events.csv", 3, {"source_url": url})
    (problem,) = problems_for(data_copy)
    assert (problem.file, problem.line, problem.column, problem.value) == ("data/project_events.csv", 3, "source_url", url)
    assert "refused source" in problem.rule and "coindesk.cc" in problem.rule


def test_a_primary_source_off_its_issuers_host_is_refused(data_copy):
    path = data_copy / "project_events.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        line = next(i for i, r in enumerate(csv.DictReader(handle), 2) if r["source_type"] == "primary")
    url = "https://docslib.org/doc/123/a-copy-of-the-release"
    edit(path, line, {"source_url": url})
    (problem,) = problems_for(data_copy)
    assert (problem.file, problem.line, problem.column, problem.value) == ("data/project_events.csv", line, "source_url", url)
    assert "labelled primary" in problem.rule and "mirror" in problem.rule


def test_a_primary_source_from_an_unlisted_issuer_is_refused(data_copy):
    edit(data_copy / "projects.csv", 2, {"source_type": "primary", "source_publisher": "Some Blog"})
    (problem,) = problems_for(data_copy)
    assert problem.column == "source_publisher" and problem.value == "Some Blog" and "issuer_hosts.csv" in problem.rule


def test_a_go_live_on_one_press_source_is_refused(data_copy):
    path = data_copy / "project_events.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        line = next(i for i, r in enumerate(csv.DictReader(handle), 2) if r["event"] == "live" and r["source_type"] != "primary")
    edit(path, line, {f"source2_{f}": "" for f in ("url", "title", "publisher", "date", "type", "locator")})
    (problem,) = problems_for(data_copy)
    assert problem.line == line and "second, independent source" in problem.rule


def test_a_refused_source_in_any_table_is_refused(data_copy):
    url = "https://www.stocktitan.net/news/some-summary"
    edit(data_copy / "financials.csv", 2, {"source_url": url})
    (problem,) = problems_for(data_copy)
    assert (problem.file, problem.line, problem.column) == ("data/financials.csv", 2, "source_url")
    assert "refused source" in problem.rule and "stocktitan.net" in problem.rule


def test_no_row_of_any_table_cites_a_refused_host():
    from telcoai.kernel.tables import load
    from telcoai.kernel.validate import host_of

    refused = list(load("refused_domains")["domain"])
    for table in ("projects", "project_events", "financials", "context_facts", "gpu_rental_prices", "gpu_generations",
                  "cloud_ventures", "depreciation_lives", "model_assumptions", "claims", "series_breaks"):
        frame = load(table)
        for column in [c for c in frame.columns if re.fullmatch(r"source2?_url", c)]:
            hosts = frame[column].dropna().map(host_of)
            assert not any(h == d or h.endswith("." + d) for h in hosts for d in refused)


@pytest.mark.build
def test_the_headline_counts_on_the_pages_are_the_registry_counts(built_site):
    status = registry.status()
    europe = status[status["region"] == "Europe"]
    text = lambda page: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", (built_site / "chapters" / page).read_text(encoding="utf-8")))
    overview, surge, road = text("overview.html"), text("european-ai-surge.html"), text("road-ahead.html")
    assert f"The registry holds {len(status)} telco projects with Nvidia" in overview
    assert f"{len(europe)} are European" in overview
    assert f"Of these, {int((europe['status'] == 'live').sum())} were in operation" in overview
    assert f"The registry holds {len(status)} projects that telecom operators build or run" in surge
    assert f"Of the {len(europe)} European projects in the registry" in road


def test_the_package_states_the_date_of_its_latest_event_and_it_must_be_right(data_copy):
    import json

    path = data_copy / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    assert package["x-latest-event"]["date"] == registry.latest_event_date()
    package["x-latest-event"]["date"] = "2020-01-01"
    path.write_text(json.dumps(package), encoding="utf-8")
    (problem,) = problems_for(data_copy)
    assert problem.file == "data/datapackage.json" and problem.column == "x-latest-event"
    assert registry.latest_event_date() in problem.rule
