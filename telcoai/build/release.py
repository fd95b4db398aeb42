"""Release a version: bump CITATION.cff, record the changelog, build, archive the edition, tag.

``python -m telcoai.build.release VERSION [--date YYYY-MM-DD] [--notes TEXT] [--no-git]``
(``scripts/release`` runs it). Every check runs before anything is changed,
and an archived edition is never overwritten. ``--pending`` prints the rows
that still need a reason in ``data/changes.csv``, as lines to fill in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from telcoai.kernel import editions
from telcoai.kernel import site as layout
from telcoai.kernel.paths import ROOT

CHANGELOG = Path("chapters") / "changelog.md"
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
#: How many rows without a reason a refused release lists.
LISTED = 40


class ReleaseError(Exception):
    pass


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=check)


def check(root: Path, version: str, notes: str | None, use_git: bool) -> None:
    """Everything that must hold before a release changes a file."""
    if not VERSION.match(version):
        raise ReleaseError(f"version {version!r} is not of the form MAJOR.MINOR.PATCH")
    archived = [e["version"] for e in editions.editions(root)]
    if version in archived or (root / editions.EDITIONS / version).exists():
        raise ReleaseError(f"edition {version} is already archived under editions/{version}/; it is never overwritten")
    if archived and editions.version_key(version) <= editions.version_key(archived[-1]):
        raise ReleaseError(f"version {version} is not newer than the latest edition, {archived[-1]}")
    if use_git:
        status = _git(root, "status", "--porcelain").stdout.strip()
        if status:
            raise ReleaseError("the working tree has uncommitted changes:\n" + status)
    previous = archived[-1] if archived else None
    if previous:
        missing = [c for c in pending_changes(root, version, previous) if c["reason"] == editions.NO_REASON]
        if missing:
            rows = [f"  {version},{c['table']},{c['row']},<reason>" for c in
                    {(c["table"], c["row"]): c for c in missing}.values()]
            shown = "\n".join(rows[:LISTED]) + (f"\n  ... and {len(rows) - LISTED} more" if len(rows) > LISTED else "")
            raise ReleaseError(f"data/changes.csv records no reason for {len(rows)} rows changed since {previous}:\n{shown}")
    text = (root / CHANGELOG).read_text(encoding="utf-8")
    if not has_section(text, version) and not notes:
        raise ReleaseError(f"{CHANGELOG} has no section for {version}: write one, or pass --notes")


def pending_changes(root: Path, version: str, previous: str) -> list[dict]:
    old = editions.package_from_edition(root / editions.EDITIONS / previous)
    new = editions.package_from_dir(root / "data")
    return editions.with_reasons(editions.row_changes(old, new), version, previous, editions.read_reasons(root))


def has_section(text: str, version: str) -> bool:
    return re.search(rf"^## {re.escape(version)} \(", text, re.M) is not None


def add_section(text: str, version: str, date: str, notes: str) -> str:
    """The changelog with a section for the version above the previous versions' sections."""
    section = f"## {version} ({date})\n\n{notes.strip()}\n\n"
    match = re.search(r"^## \d+\.\d+\.\d+ \(", text, re.M)
    if match:
        return text[: match.start()] + section + text[match.start():]
    return text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"


def bump_citation(root: Path, version: str, date: str) -> None:
    """Set version and date-released in CITATION.cff, keeping the rest of the file as written."""
    path = root / "CITATION.cff"
    text = path.read_text(encoding="utf-8")
    text, versions = re.subn(r'^version: .*$', f'version: "{version}"', text, count=1, flags=re.M)
    text, dates = re.subn(r'^date-released: .*$', f'date-released: "{date}"', text, count=1, flags=re.M)
    if versions != 1 or dates != 1:
        raise ReleaseError("CITATION.cff has no version or date-released line")
    path.write_text(text, encoding="utf-8")


def data_version(root: Path) -> str:
    return json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))["version"]


def next_minor(version: str) -> str:
    """1.0.0 -> 1.1.0: the next minor version."""
    major, minor, _ = (int(part) for part in version.split("."))
    return f"{major}.{minor + 1}.0"


def bump_data_version(root: Path, version: str) -> None:
    """Set the data package's version (the first "version" key, at the top level of datapackage.json)."""
    path = root / "data" / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'^(\s*"version":\s*)"[^"]*"', rf'\g<1>"{version}"', text, count=1, flags=re.M)
    if json.loads(text)["version"] != version:
        raise ReleaseError("could not set the version in data/datapackage.json")
    path.write_text(text, encoding="utf-8")


def write_zenodo(root: Path) -> None:
    """Regenerate .zenodo.json from CITATION.cff (as scripts/zenodo-metadata does)."""
    from telcoai.kernel import citation

    (root / ".zenodo.json").write_text(json.dumps(citation.zenodo_metadata(), indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")


def archive(root: Path, version: str, site: Path) -> Path:
    """Copy the built edition's files to editions/VERSION/ and into the published site."""
    descriptor = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    name = descriptor["name"]
    sources = {
        editions.PDF_NAME: site / layout.PDF,
        f"{name}.zip": site / layout.DATASETS / f"{name}.zip",
        "datapackage.json": site / layout.DATASETS / "datapackage.json",
        "CITATION.cff": root / "CITATION.cff",
    }
    target = root / editions.EDITIONS / version
    if target.exists():
        raise ReleaseError(f"editions/{version} exists; an edition is never overwritten")
    for label, source in sources.items():
        if not source.is_file():
            raise ReleaseError(f"the build did not produce {source}")
    target.mkdir(parents=True)
    for label, source in sources.items():
        shutil.copy2(source, target / label)
    published = site / editions.EDITIONS / version
    published.mkdir(parents=True, exist_ok=True)
    for path in target.iterdir():
        shutil.copy2(path, published / path.name)
    return target


def release(root: Path, version: str, date: str, notes: str | None, use_git: bool, build: bool = True) -> Path:
    check(root, version, notes, use_git)
    found = editions.editions(root)
    data_changed = bool(found) and bool(pending_changes(root, version, found[-1]["version"]))
    bump_citation(root, version, date)
    previous_data = found[-1]["data_version"] if found else None
    if data_changed and data_version(root) == previous_data:
        # The maintainer has not raised it: the release does, by the minor step a new row or correction takes.
        bump_data_version(root, next_minor(previous_data))
    write_zenodo(root)
    changelog = root / CHANGELOG
    text = changelog.read_text(encoding="utf-8")
    if not has_section(text, version):
        changelog.write_text(add_section(text, version, date, notes or ""), encoding="utf-8")
    if build:
        subprocess.run([str(root / "scripts" / "build")], cwd=root, check=True)
    target = archive(root, version, root / "_build" / "html")
    if use_git:
        _git(root, "add", "CITATION.cff", ".zenodo.json", str(CHANGELOG), "data", editions.EDITIONS)
        _git(root, "commit", "-q", "-m", f"Release {version}")
        _git(root, "tag", "-a", f"v{version}", "-m", f"Version {version}")
    return target


def print_pending(root: Path, version: str) -> None:
    """The rows changed since the last edition that data/changes.csv gives no reason for, as CSV lines."""
    import csv

    archived = editions.editions(root)
    if not archived:
        return
    writer = csv.writer(sys.stdout, lineterminator="\n")
    seen = set()
    for change in pending_changes(root, version, archived[-1]["version"]):
        if change["reason"] == editions.NO_REASON and (change["table"], change["row"]) not in seen:
            seen.add((change["table"], change["row"]))
            writer.writerow([version, change["table"], change["row"], ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Release a version of the report and archive its edition.")
    parser.add_argument("version", help="the new version, MAJOR.MINOR.PATCH")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="release date (default: today)")
    parser.add_argument("--notes", help="the changelog entry, if chapters/changelog.md has none for the version")
    parser.add_argument("--no-git", action="store_true", help="do not check, commit or tag with git")
    parser.add_argument("--pending", action="store_true",
                        help="only print, as lines for data/changes.csv, the changed rows that have no reason yet")
    args = parser.parse_args(argv)
    if args.pending:
        print_pending(ROOT, args.version)
        return 0
    try:
        target = release(ROOT, args.version, args.date, args.notes, use_git=not args.no_git)
    except ReleaseError as error:
        print(f"release: {error}", file=sys.stderr)
        return 1
    print(f"Released {args.version}: {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
