"""Archived editions and the row-by-row data changelog; the release procedure."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from support import copy_repo
from conftest import ROOT
from telcoai.kernel import editions
from telcoai.build import release

RESOURCE = {"name": "t", "path": "t.csv", "schema": {"primaryKey": ["a", "b"], "fields": []}}


def package(rows: list[dict]) -> tuple[dict, dict]:
    fields = list(rows[0]) if rows else ["a", "b", "v"]
    return {"resources": [RESOURCE]}, {"t": (fields, [{k: str(v) for k, v in r.items()} for r in rows])}


def test_row_changes_lists_added_changed_and_removed_rows_by_primary_key():
    old = package([{"a": "x", "b": 1, "v": "10"}, {"a": "x", "b": 2, "v": "20"}, {"a": "y", "b": 1, "v": "30"}])
    new = package([{"a": "x", "b": 1, "v": "11"}, {"a": "y", "b": 1, "v": "30"}, {"a": "z", "b": 9, "v": "1"}])
    changes = editions.row_changes(old, new)
    assert changes == [
        {"table": "t", "row": "x/1", "change": "changed", "field": "v", "old": "10", "new": "11"},
        {"table": "t", "row": "z/9", "change": "added", "field": "", "old": "", "new": ""},
        {"table": "t", "row": "x/2", "change": "removed", "field": "", "old": "", "new": ""},
    ]


def test_identical_packages_have_no_changes_and_row_order_does_not_matter():
    rows = [{"a": "x", "b": 1, "v": "10"}, {"a": "y", "b": 2, "v": "20"}]
    assert editions.row_changes(package(rows), package(rows[::-1])) == []


def test_the_archived_first_edition_is_complete_and_readable():
    (first,) = [e for e in editions.editions() if e["version"] == "0.1.0"]
    assert set(first["files"]) == {"telcos-and-ai-factories.pdf", "telcos-and-ai-factories.zip", "datapackage.json",
                                   "CITATION.cff"}
    folder = ROOT / first["path"]
    assert (folder / "telcos-and-ai-factories.pdf").read_bytes()[:5] == b"%PDF-"
    descriptor, tables = editions.package_from_edition(folder)
    assert set(tables) == {r["name"] for r in descriptor["resources"]} and all(rows for _, rows in tables.values())
    assert editions.row_changes((descriptor, tables), (descriptor, tables)) == []


def test_changes_csv_has_one_line_per_change_with_its_reason(tmp_path):
    sections = [{"version": "0.2.0", "previous_version": "0.1.0", "changes": editions.with_reasons(
        [{"table": "t", "row": "x/1", "change": "changed", "field": "v", "old": "10", "new": "11"}],
        "0.2.0", "0.1.0", {("0.2.0", "t", "x/1"): "Company restated the figure"})}]
    rows = list(csv.DictReader(io.StringIO(editions.changes_csv(sections))))
    assert rows == [{"version": "0.2.0", "previous_version": "0.1.0", "table": "t", "row": "x/1", "change": "changed",
                     "field": "v", "old": "10", "new": "11", "reason": "Company restated the figure"}]


def test_the_reasons_file_has_its_header():
    with open(ROOT / "data" / "changes.csv", newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == editions.REASON_FIELDS


def test_a_changelog_section_goes_above_the_previous_versions():
    text = "# Changelog\n\nIntro.\n\n## Data changes by row\n\nx\n\n## 0.1.0 (2026-11-26)\n\nFirst edition.\n"
    updated = release.add_section(text, "0.2.0", "2026-12-01", "Second edition.")
    assert updated.index("## 0.2.0 (2026-12-01)") < updated.index("## 0.1.0")
    assert updated.index("## Data changes by row") < updated.index("## 0.2.0")
    assert release.has_section(updated, "0.2.0") and not release.has_section(text, "0.2.0")


def tracked_copy(target: Path) -> Path:
    return copy_repo(target, venv=False)


def latest(repo: Path = ROOT) -> str:
    """The latest archived edition's version."""
    return editions.editions(repo)[-1]["version"]


def test_the_next_minor_version():
    assert release.next_minor("1.0.0") == "1.1.0" and release.next_minor("0.9.3") == "0.10.0"


def test_a_release_refuses_an_archived_or_older_version_and_a_missing_changelog(tmp_path):
    repo = tracked_copy(tmp_path / "repo")
    current, following = latest(repo), release.next_minor(latest(repo))
    changelog = (repo / release.CHANGELOG).read_text(encoding="utf-8")
    while release.has_section(changelog, following):   # a version the changelog has no section for yet
        following = release.next_minor(following)
    with pytest.raises(release.ReleaseError, match="already archived"):
        release.check(repo, current, "notes", use_git=False)
    with pytest.raises(release.ReleaseError, match="not newer"):
        release.check(repo, "0.0.9", "notes", use_git=False)
    record_pending_reasons(repo, following, "Changes made before this test")
    with pytest.raises(release.ReleaseError, match=f"no section for {following}"):
        release.check(repo, following, None, use_git=False)
    release.check(repo, following, "notes", use_git=False)


def record_pending_reasons(repo: Path, version: str, reason: str) -> None:
    """Record a reason for every row changed since the last edition (the copy's starting point)."""
    last = editions.editions(repo)[-1]["version"]
    with open(repo / "data" / "changes.csv", "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for change in {(c["table"], c["row"]): c for c in release.pending_changes(repo, version, last)}.values():
            if change["reason"] == editions.NO_REASON:
                writer.writerow([version, change["table"], change["row"], reason])


def test_a_release_refuses_changed_rows_without_a_reason(tmp_path):
    repo = tracked_copy(tmp_path / "repo")
    following = release.next_minor(latest(repo))
    record_pending_reasons(repo, following, "Changes made before this test")
    release.check(repo, following, "notes", use_git=False)
    edit_csv(repo / "data" / "gpu_rental_prices.csv", add=("b200-spot-2026-03", "b200-spot-2026-03-b"))
    with pytest.raises(release.ReleaseError, match="gpu_rental_prices,b200-spot-2026-03-b"):
        release.check(repo, following, "notes", use_git=False)
    with open(repo / "data" / "changes.csv", "a", encoding="utf-8") as handle:
        handle.write(f"{following},gpu_rental_prices,b200-spot-2026-03-b,Second listing of the same offer\n")
    release.check(repo, following, "notes", use_git=False)


def edit_csv(path: Path, change=None, add=None, remove=None) -> None:
    """Change one cell (id, column, value), add a copy of a row under a new id (id, new id), remove a row (id)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    key = fields[0]
    if change:
        (row,) = [r for r in rows if r[key] == change[0]]
        row[change[1]] = change[2]
    if add:
        (row,) = [r for r in rows if r[key] == add[0]]
        rows.append(dict(row, **{key: add[1]}))
    if remove:
        rows = [r for r in rows if r[key] != remove]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def run_release(repo: Path, version: str, notes: str) -> None:
    import os

    env = dict(os.environ, PYTHONPATH=str(repo))   # the copy's helper package, not the working tree's
    result = subprocess.run([str(repo / "scripts" / "release"), version, "--date", "2026-12-01", "--no-git",
                             "--notes", notes], cwd=repo, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.build
def test_releasing_the_next_edition_keeps_the_last_byte_for_byte_and_lists_exactly_the_rows_changed(tmp_path):
    repo = copy_repo(tmp_path / "repo")
    site = repo / "_build" / "html"
    # Edition N: the repository as it is, released as the next minor version.
    archived = [e["version"] for e in editions.editions(repo)]
    edition_n = release.next_minor(archived[-1])
    edition_n1 = release.next_minor(edition_n)
    record_pending_reasons(repo, edition_n, "Changes made before this test")
    run_release(repo, edition_n, "Edition N.")
    data_n = json.loads((repo / "data" / "datapackage.json").read_text())["version"]
    kept = {v: digests(repo / "editions" / v) for v in (*archived, edition_n)}
    assert set(kept[edition_n]) == set(kept[archived[0]])

    # Edition N+1: one value changed, one row added, one row removed, each with its reason.
    prices = repo / "data" / "gpu_rental_prices.csv"
    old_price = next(r for r in csv.DictReader(prices.open()) if r["observation_id"] == "b200-spot-2026-03")["price_usd_per_gpu_hour"]
    edit_csv(prices, change=("b200-spot-2026-03", "price_usd_per_gpu_hour", "2.95"),
             add=("gmicloud-b200-2026-04", "gmicloud-b200-2026-04-b"), remove="runpod-h100-2026-03")
    with open(repo / "data" / "changes.csv", "a", encoding="utf-8") as handle:
        handle.write(f"{edition_n1},gpu_rental_prices,b200-spot-2026-03,Source corrected its figure\n"
                     f"{edition_n1},gpu_rental_prices,gmicloud-b200-2026-04-b,Second listing of the same offer\n"
                     f"{edition_n1},gpu_rental_prices,runpod-h100-2026-03,Source page withdrawn\n")
    run_release(repo, edition_n1, "Edition N+1: corrected GPU rental prices.")

    # Earlier editions are kept byte for byte, in the repository and in the site; N+1 is added beside them.
    for version, files in kept.items():
        assert digests(repo / "editions" / version) == files, version
        assert digests(site / "editions" / version) == files, version
    newest = repo / "editions" / edition_n1
    assert set(digests(newest)) == set(kept[archived[0]])
    assert digests(site / "editions" / edition_n1) == digests(newest)
    assert f'version: "{edition_n1}"' in (newest / "CITATION.cff").read_text()
    # The data changed and their version was not raised by hand: the release raised its minor version.
    assert json.loads((newest / "datapackage.json").read_text())["version"] == release.next_minor(data_n)
    with zipfile.ZipFile(repo / "editions" / edition_n / "telcos-and-ai-factories.zip") as bundle:
        old_prices = bundle.read("telcos-and-ai-factories/gpu_rental_prices.csv").decode()
    assert "runpod-h100-2026-03" in old_prices and "gmicloud-b200-2026-04-b" not in old_prices

    # The changelog lists exactly the rows changed between N and N+1, with their reasons, on the page and as CSV.
    rows = list(csv.DictReader(io.StringIO((site / "downloads" / "data-changes.csv").read_text())))
    found = {(r["table"], r["row"], r["change"], r["field"], r["old"], r["new"], r["reason"])
             for r in rows if r["version"] == edition_n1}
    assert found == {
        ("gpu_rental_prices", "b200-spot-2026-03", "changed", "price_usd_per_gpu_hour", old_price, "2.95",
         "Source corrected its figure"),
        ("gpu_rental_prices", "gmicloud-b200-2026-04-b", "added", "", "", "", "Second listing of the same offer"),
        ("gpu_rental_prices", "runpod-h100-2026-03", "removed", "", "", "", "Source page withdrawn"),
    }
    assert all(r["previous_version"] == edition_n for r in rows if r["version"] == edition_n1)
    page = (site / "chapters" / "changelog.html").read_text(encoding="utf-8")
    assert f"price_usd_per_gpu_hour: {old_price} → 2.95" in page and "Source page withdrawn" in page
    assert f"{edition_n1} (2026-12-01)" in page and "not yet released" not in page

    # The Editions page lists every edition, and every file it links to exists.
    import re

    listing = (site / "chapters" / "editions.html").read_text(encoding="utf-8")
    for version in (*archived, edition_n, edition_n1):
        assert f'id="edition-{version}"' in listing
    links = re.findall(r'href="\.\./(editions/[^"]+)"', listing)
    assert len(links) == 4 * (len(archived) + 2)   # PDF, data zip, datapackage.json and CITATION.cff of each
    for link in links:
        assert (site / link).is_file(), link


def test_the_pending_rows_are_printed_as_lines_to_fill_in(tmp_path, capsys):
    repo = tracked_copy(tmp_path / "repo")
    following = release.next_minor(latest(repo))
    record_pending_reasons(repo, following, "Changes made before this test")
    edit_csv(repo / "data" / "gpu_rental_prices.csv", add=("b200-spot-2026-03", "b200-spot-2026-03-b"))
    release.print_pending(repo, following)
    assert capsys.readouterr().out == f"{following},gpu_rental_prices,b200-spot-2026-03-b,\n"


def test_every_change_of_this_version_s_data_has_its_reason():
    assert editions.missing_reasons() == [], "add a line for each of these rows to data/changes.csv"


def test_a_change_of_the_unreleased_data_without_its_reason_is_named(tmp_path):
    repo = tracked_copy(tmp_path / "repo")
    edit_csv(repo / "data" / "gpu_rental_prices.csv", add=("b200-spot-2026-03", "b200-spot-2026-03-b"))
    missing = [(c["table"], c["row"], c["change"]) for c in editions.missing_reasons(repo)]
    assert missing == [("gpu_rental_prices", "b200-spot-2026-03-b", "added")]
