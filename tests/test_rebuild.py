"""Rebuilding after a data change: never stale, only dependent chapters re-run, failures lose nothing.

These tests work on a copy of the repository (tracked files only), built cold
once, so they never touch the working tree's data or site.
"""

from __future__ import annotations

import csv
import io
import hashlib
import json
import signal
import time
import os
import re
from pathlib import Path

import pytest

from support import SPEC_CLASS, copy_repo, edited, executed_documents, run_build, start_build, state_new_gaps

pytestmark = pytest.mark.build


def site_digest(site: Path) -> dict[str, str]:
    """Every file of the site and the digest of its bytes (so that a difference names the file)."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*")) if path.is_file()}


def edit_financials(repo: Path, entity: str, year: str, series: str, value: str) -> None:
    path = repo / "data" / "financials.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    hits = [r for r in rows if (r["entity_id"], r["fiscal_year"], r["series"]) == (entity, year, series)]
    assert len(hits) == 1
    hits[0]["value"] = value
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    repo = copy_repo(tmp_path_factory.mktemp("repo") / "report")
    result = run_build(repo)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return repo


def test_a_rebuild_with_no_change_executes_nothing(repo_copy):
    result = run_build(repo_copy)
    assert result.returncode == 0
    assert executed_documents(result.stdout + result.stderr) == set()
    assert "No input changed since the last good build" in result.stdout
    changes = json.loads((repo_copy / "_build" / "changes.json").read_text())
    assert changes["executed"] == [] and changes["prose_values"] == [] and changes["tables"] == {}


def test_a_data_edit_shows_everywhere_and_reruns_only_the_chapters_that_read_it(repo_copy):
    page = repo_copy / "_build" / "html" / "chapters" / "opportunities.html"
    assert "€16.0 billion" in page.read_text(encoding="utf-8")   # Deutsche Telekom 2024, the largest investor
    edit_financials(repo_copy, "deutsche_telekom", "2024", "cash_capex_ex_spectrum", "99.9")
    result = run_build(repo_copy)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = page.read_text(encoding="utf-8")
    assert "€99.9 billion" in html and "€16.0 billion" not in html   # prose number
    assert "99.9" in html.split(f'class="{SPEC_CLASS}"', 1)[1]                 # chart data
    downloads = repo_copy / "_build" / "html" / "downloads"
    assert "99.9" in (downloads / "figures" / "fig-capex-by-operator.csv").read_text()      # figure download
    assert ",99.9," in (downloads / "data" / "financials.csv").read_text()                 # dataset download
    table = html.split('id="the-data"', 1)[1]
    assert 'data-sort="99.9">99.9<' in table                                               # data table
    executed = executed_documents(result.stdout + result.stderr)
    assert {"opportunities", "overview", "data-and-methods"} <= executed
    assert "road-ahead" not in executed and "european-ai-surge" not in executed
    # The change summary names exactly that row, the chapters and why, and the prose values it moved.
    changes = json.loads((repo_copy / "_build" / "changes.json").read_text())
    assert list(changes["tables"]) == ["financials"]
    (row,) = changes["tables"]["financials"]["changed"]
    assert row["key"] == "deutsche_telekom / 2024 / capex / cash_capex_ex_spectrum"
    assert list(row["fields"]) == ["value"] and row["fields"]["value"]["new"] == "99.9"
    assert not changes["tables"]["financials"]["added"] and not changes["tables"]["financials"]["removed"]
    moved = {(v["page"], v["name"]): v for v in changes["prose_values"]}
    assert moved[("chapters/opportunities", "opp_biggest_capex")]["new"] == "€99.9 billion"
    assert all(v["old"] != v["new"] for v in moved.values())
    because = {e["page"]: e["because"] for e in changes["executed"]}
    assert "data/financials.csv" in because["chapters/opportunities"]


def test_bad_data_stops_the_build_and_keeps_the_last_good_site(repo_copy):
    site = repo_copy / "_build" / "html"
    before = site_digest(site)
    path = repo_copy / "data" / "project_events.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    rows[1][rows[0].index("event")] = "rumoured"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    broken = path.read_text(encoding="utf-8")
    try:
        environment = repo_copy / "_build" / "work" / "_build" / ".doctrees" / "environment.pickle"
        kept = environment.read_bytes()
        result = run_build(repo_copy)
        assert result.returncode != 0
        assert "data/project_events.csv, line 2, column 'event': value 'rumoured': is not one of the allowed values" in result.stderr
        assert "The data are not valid" in result.stderr
        assert site_digest(site) == before
        # Sphinx stopped before reading or writing: the next build starts from the last one, not afresh.
        assert environment.read_bytes() == kept
        assert not (repo_copy / "_build" / "work" / ".incomplete").exists()
        assert path.read_text(encoding="utf-8") == broken   # the data file is never rewritten
    finally:
        path.write_text(text, encoding="utf-8")


def test_a_comment_in_a_build_only_module_re_executes_nothing_and_changes_nothing(repo_copy):
    site = repo_copy / "_build" / "html"
    before = site_digest(site)
    with edited(repo_copy / "telcoai" / "build" / "downloads.py", lambda text: text + "\n# A maintainer's comment.\n"):
        result = run_build(repo_copy)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert executed_documents(result.stdout + result.stderr) == set()
        assert site_digest(site) == before


def test_a_new_archived_edition_re_executes_the_page_that_lists_the_editions(repo_copy):
    import shutil

    editions = repo_copy / "editions"
    count = sum(1 for folder in editions.iterdir() if (folder / "CITATION.cff").is_file())
    added = editions / "0.0.1"
    shutil.copytree(sorted(editions.iterdir())[0], added)
    cff = added / "CITATION.cff"
    cff.write_text(re.sub(r"^version: .*$", 'version: "0.0.1"', cff.read_text(encoding="utf-8"), flags=re.M),
                   encoding="utf-8")
    try:
        result = run_build(repo_copy)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "editions" in executed_documents(result.stdout + result.stderr)
        page = (repo_copy / "_build" / "html" / "chapters" / "editions.html").read_text(encoding="utf-8")
        assert f"{count + 1} archived editions" in page and 'id="edition-0.0.1"' in page
    finally:
        shutil.rmtree(added)


def test_a_table_read_by_one_chapter_re_executes_that_chapter_only(repo_copy):
    # risks.py reads the rental prices without declaring anything: the recorded lineage finds it.
    def one_price_up(text: str) -> str:
        rows = list(csv.DictReader(io.StringIO(text)))
        row = next(r for r in rows if r["price_usd_per_gpu_hour"])
        row["price_usd_per_gpu_hour"] = f"{float(row['price_usd_per_gpu_hour']) + 0.01:.2f}"
        out = io.StringIO()
        writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        assert out.getvalue() != text
        return out.getvalue()

    with edited(repo_copy / "data" / "gpu_rental_prices.csv", one_price_up):
        result = run_build(repo_copy)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        executed = executed_documents(result.stdout + result.stderr)
        assert "risks" in executed and "opportunities" not in executed and "road-ahead" not in executed


def test_a_version_bump_reaches_the_citation_and_the_footer(repo_copy):
    cff = repo_copy / "CITATION.cff"
    old = re.search(r"^version: *['\"]?([^'\"\n]+)", cff.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    with edited(cff, lambda text: re.sub(r"^version: .*$", "version: 9.9.9", text, flags=re.MULTILINE)):
        result = run_build(repo_copy)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "how-to-cite" in executed_documents(result.stdout + result.stderr)
        page = (repo_copy / "_build" / "html" / "chapters" / "how-to-cite.html").read_text(encoding="utf-8")
        bibtex = page.split("@report", 1)[1].split("}\n", 1)[0] if "@report" in page else page
        assert "9.9.9" in bibtex and f"{{{old}}}" not in bibtex
        footer = (repo_copy / "_build" / "html" / "chapters" / "risks.html").read_text(encoding="utf-8")
        assert "Version 9.9.9" in footer


def test_a_build_killed_while_executing_leaves_the_site_intact(repo_copy):
    site = repo_copy / "_build" / "html"
    before = site_digest(site)
    with edited(repo_copy / "chapters" / "risks.md", lambda text: text + "\n"):
        build = start_build(repo_copy, start_new_session=True)
        for line in build.stdout:
            if "Executing notebook" in line:
                os.killpg(build.pid, signal.SIGKILL)
                break
        build.wait(timeout=60)
        assert site_digest(site) == before
    result = run_build(repo_copy)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_a_second_build_waits_for_the_first(repo_copy):
    import fcntl

    with open(repo_copy / "_build" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build = start_build(repo_copy)
        first = build.stdout.readline()
        time.sleep(1)
        assert "Another build is running" in first and build.poll() is None
    output, _ = build.communicate(timeout=300)
    assert build.returncode == 0, output[-2000:]


def test_a_new_fiscal_year_moves_the_chapter(repo_copy):
    """FY2026 for every group and a later cut-off: prose, charts and table include 2026."""
    saved = {name: (repo_copy / "data" / name).read_text(encoding="utf-8")
             for name in ("financials.csv", "datapackage.json", "fx_rates.csv", "comparison_series.csv")}
    try:
        add_next_year(repo_copy)
        result = run_build(repo_copy)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        html = (repo_copy / "_build" / "html" / "chapters" / "opportunities.html").read_text(encoding="utf-8")
        prose = re.sub(r"<[^>]+>", "", html.split(f'class="{SPEC_CLASS}"', 1)[0])
        assert "In fiscal 2026" in prose
        assert '"fiscal_year":2026' in html.replace(" ", "")              # chart data
        assert ">2026<" in html.split('id="the-data"', 1)[1]               # data table
    finally:
        for name, text in saved.items():
            (repo_copy / "data" / name).write_text(text, encoding="utf-8")
        assert run_build(repo_copy).returncode == 0


def add_next_year(repo: Path) -> None:
    """A year of results for every company on its current series, 5 % above its latest figure."""
    path = repo / "data" / "financials.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    latest: dict[tuple, dict] = {}
    for row in rows:
        key = (row["entity_id"], row["measure"], row["series"])
        if key not in latest or int(row["fiscal_year"]) > int(latest[key]["fiscal_year"]):
            latest[key] = row
    with open(repo / "data" / "comparison_series.csv", newline="", encoding="utf-8") as handle:
        current = {(r["entity_id"], r["measure"], r["series"]) for r in csv.DictReader(handle) if not r["last_year"]}
    for key, row in latest.items():
        if key in current and int(row["fiscal_year"]) < 2026:
            rows.append(dict(row, fiscal_year="2026", value=f"{float(row['value']) * 1.05:.1f}", source_date="2027-02-20"))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    package = json.loads((repo / "data" / "datapackage.json").read_text(encoding="utf-8"))
    package["x-data-cutoff"] = "2027-03-31"
    (repo / "data" / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    state_new_gaps(repo / "data")   # the years a series skips to reach 2026 are stated, as the validator asks
    fx = repo / "data" / "fx_rates.csv"
    lines = fx.read_text(encoding="utf-8").splitlines()
    extra = [line.replace(",2025,", ",2026,", 1) for line in lines if ",2025," in line]
    fx.write_text("\n".join(lines + extra) + "\n", encoding="utf-8")


def test_a_failing_chapter_keeps_the_last_good_site(repo_copy):
    site = repo_copy / "_build" / "html"
    before = site_digest(site)
    # Last: a failed build makes the next one start clean.
    with edited(repo_copy / "chapters" / "opportunities.md",
                lambda text: text.replace("found.glue()", "found.glue()\nraise RuntimeError('boom')", 1)):
        result = run_build(repo_copy)
        assert result.returncode != 0
        assert site_digest(site) == before
