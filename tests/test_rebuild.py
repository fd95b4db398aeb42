"""Rebuilding after a data change: never stale, only dependent chapters re-run, failures lose nothing.

These tests work on a copy of the repository (tracked files only), built cold
once, so they never touch the working tree's data or site.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.build


def run_build(repo: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(repo))   # the copy's helper package, not the working tree's
    return subprocess.run([str(repo / "scripts" / "build")], cwd=repo, env=env, capture_output=True, text=True)


def executed_documents(output: str) -> set[str]:
    return set(re.findall(r"chapters/([\w-]+)\.md: Executing notebook", output))


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(site)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
    repo = tmp_path_factory.mktemp("repo") / "report"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    result = run_build(repo)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return repo


def test_a_rebuild_with_no_change_executes_nothing(repo_copy):
    result = run_build(repo_copy)
    assert result.returncode == 0
    assert executed_documents(result.stdout + result.stderr) == set()
    assert "no targets are out of date" in result.stdout


def test_a_data_edit_shows_everywhere_and_reruns_only_the_chapters_that_read_it(repo_copy):
    page = repo_copy / "_build" / "html" / "chapters" / "opportunities.html"
    assert "€16.0 billion" in page.read_text(encoding="utf-8")   # Deutsche Telekom 2024, the largest investor
    edit_financials(repo_copy, "deutsche_telekom", "2024", "cash_capex_ex_spectrum", "99.9")
    result = run_build(repo_copy)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    html = page.read_text(encoding="utf-8")
    assert "€99.9 billion" in html and "€16.0 billion" not in html   # prose number
    assert "99.9" in html.split("telcoai-spec", 1)[1]                 # chart data
    downloads = repo_copy / "_build" / "html" / "downloads"
    assert "99.9" in (downloads / "figures" / "fig-capex-by-operator.csv").read_text()      # figure download
    assert ",99.9," in (downloads / "data" / "financials.csv").read_text()                 # dataset download
    table = html.split('id="the-data"', 1)[1]
    assert 'data-sort="99.9">99.9<' in table                                               # data table
    executed = executed_documents(result.stdout + result.stderr)
    assert {"opportunities", "overview", "data-and-methods"} <= executed
    assert "road-ahead" not in executed and "european-ai-surge" not in executed


def test_bad_data_stops_the_build_and_keeps_the_last_good_site(repo_copy):
    site = repo_copy / "_build" / "html"
    before = site_digest(site)
    path = repo_copy / "data" / "milestones.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("event")] = "rumoured"
    lines[1] = ",".join(f'"{c}"' for c in cells)
    broken = "\n".join(lines) + "\n"
    path.write_text(broken, encoding="utf-8")
    result = run_build(repo_copy)
    assert result.returncode != 0
    assert "data/milestones.csv, line 2, column 'event': value 'rumoured': is not one of the allowed values" in result.stderr
    assert site_digest(site) == before
    assert path.read_text(encoding="utf-8") == broken   # the data file is never rewritten
    path.write_text(text, encoding="utf-8")


def test_a_failing_chapter_keeps_the_last_good_site(repo_copy):
    site = repo_copy / "_build" / "html"
    before = site_digest(site)
    chapter = repo_copy / "chapters" / "opportunities.md"
    original = chapter.read_text(encoding="utf-8")
    chapter.write_text(original.replace("panel = capex.capex_panel()", "panel = capex.capex_panel()\nraise RuntimeError('boom')"), encoding="utf-8")
    try:
        result = run_build(repo_copy)
        assert result.returncode != 0
        assert site_digest(site) == before
    finally:
        chapter.write_text(original, encoding="utf-8")
