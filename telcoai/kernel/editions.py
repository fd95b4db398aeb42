"""Archived editions and the row-by-row changelog of the data.

Each released version keeps its PDF, its data zip, its ``datapackage.json``
and its ``CITATION.cff`` under ``editions/<version>/``; the build copies
``editions/`` into the site unchanged, so an edition's addresses keep working
after every later release.

The data changelog compares the rows of two data packages by each table's
primary key: rows added, rows removed, and for each changed row the fields
that changed, old and new value. The maintainer records why a row changed in
``data/changes.csv`` (version, table, row, reason), where ``row`` is the row's
key as shown in the changelog (the key's values joined by ``/``).
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import shutil
import zipfile
from pathlib import Path

import yaml

from telcoai.kernel import site
from telcoai.kernel.paths import ROOT


EDITIONS = "editions"
REASONS = Path("data") / "changes.csv"
REASON_FIELDS = ["version", "table", "row", "reason"]
CHANGE_FIELDS = ["version", "previous_version", "table", "row", "change", "field", "old", "new", "reason"]
PDF_NAME = posixpath.basename(site.PDF)
#: The changelog as a download, relative to the site root.
CHANGES_DOWNLOAD = site.DATA_CHANGES
NO_REASON = "(no reason recorded)"
#: The version of data changes made after the current version was archived.
UNRELEASED = "unreleased"


def version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in str(version).split("."))


def _cff(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def archived_files(package_name: str) -> list[str]:
    return [PDF_NAME, f"{package_name}.zip", "datapackage.json", "CITATION.cff"]


def editions(root: Path = ROOT) -> list[dict]:
    """Every archived edition, oldest first: version, date, DOI, data version and its files."""
    found = []
    base = root / EDITIONS
    for folder in base.iterdir() if base.is_dir() else []:
        if not (folder / "CITATION.cff").is_file():
            continue
        meta = _cff(folder / "CITATION.cff")
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        found.append({
            "version": str(meta["version"]), "date": str(meta["date-released"]),
            "doi": str(meta.get("doi") or "").strip() or None, "data_version": descriptor["version"],
            "data_cutoff": descriptor.get("x-data-cutoff", ""), "path": f"{EDITIONS}/{folder.name}",
            "files": [name for name in archived_files(descriptor["name"]) if (folder / name).is_file()],
            "package_name": descriptor["name"],
        })
    return sorted(found, key=lambda e: version_key(e["version"]))


def being_released(root: Path = ROOT) -> dict:
    """The current version, while a release is building it and before it is archived."""
    meta = _cff(root / "CITATION.cff")
    descriptor = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return {
        "version": str(meta["version"]), "date": str(meta["date-released"]),
        "doi": str(meta.get("doi") or "").strip() or None, "data_version": descriptor["version"],
        "data_cutoff": descriptor.get("x-data-cutoff", ""), "path": f"{EDITIONS}/{meta['version']}",
        "files": archived_files(descriptor["name"]), "package_name": descriptor["name"],
    }


# --- Reading two data packages ------------------------------------------------------------------------

def _rows(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


def package_from_dir(data_dir: Path) -> tuple[dict, dict[str, tuple[list[str], list[dict]]]]:
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: _rows((data_dir / r["path"]).read_text(encoding="utf-8")) for r in descriptor["resources"]}
    return descriptor, tables


def package_from_edition(edition_dir: Path) -> tuple[dict, dict[str, tuple[list[str], list[dict]]]]:
    """The data package of an archived edition, read from its zip."""
    descriptor = json.loads((edition_dir / "datapackage.json").read_text(encoding="utf-8"))
    name = descriptor["name"]
    with zipfile.ZipFile(edition_dir / f"{name}.zip") as bundle:
        tables = {r["name"]: _rows(bundle.read(f"{name}/{r['path']}").decode("utf-8")) for r in descriptor["resources"]}
    return descriptor, tables


def _keyed(resource: dict | None, fields: list[str], rows: list[dict]) -> dict[str, dict]:
    key = (resource or {}).get("schema", {}).get("primaryKey") or fields[:1]
    key = [key] if isinstance(key, str) else key
    return {"/".join(str(row.get(k, "")) for k in key): row for row in rows}


def row_changes(old: tuple[dict, dict], new: tuple[dict, dict]) -> list[dict]:
    """Rows added, removed and changed (one entry per changed field), table by table, by primary key."""
    old_descriptor, old_tables = old
    new_descriptor, new_tables = new
    resources = {r["name"]: r for r in old_descriptor["resources"]}
    resources.update({r["name"]: r for r in new_descriptor["resources"]})
    order = [r["name"] for r in new_descriptor["resources"]] + [
        r["name"] for r in old_descriptor["resources"] if r["name"] not in new_tables]
    changes = []
    for table in order:
        old_fields, old_rows = old_tables.get(table, ([], []))
        new_fields, new_rows = new_tables.get(table, ([], []))
        resource = resources[table]
        before = _keyed(resource, old_fields or new_fields, old_rows)
        after = _keyed(resource, new_fields or old_fields, new_rows)
        for key, row in after.items():
            if key not in before:
                changes.append({"table": table, "row": key, "change": "added", "field": "", "old": "", "new": ""})
                continue
            previous = before[key]
            for field in new_fields + [f for f in old_fields if f not in new_fields]:
                if previous.get(field, "") != row.get(field, ""):
                    changes.append({"table": table, "row": key, "change": "changed", "field": field,
                                    "old": previous.get(field, ""), "new": row.get(field, "")})
        for key in before:
            if key not in after:
                changes.append({"table": table, "row": key, "change": "removed", "field": "", "old": "", "new": ""})
    return changes


def read_reasons(root: Path = ROOT) -> dict[tuple[str, str, str], str]:
    path = root / REASONS
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["version"], r["table"], r["row"]): r["reason"] for r in csv.DictReader(handle)}


def with_reasons(changes: list[dict], version: str, previous: str, reasons: dict) -> list[dict]:
    return [{"version": version, "previous_version": previous, **c,
             "reason": reasons.get((version, c["table"], c["row"]), NO_REASON)} for c in changes]


def current_version(root: Path = ROOT) -> str:
    return str(_cff(root / "CITATION.cff")["version"])


def changelog(root: Path = ROOT) -> list[dict]:
    """For each edition after the first, and for the current data: the rows changed since the edition before.

    Returns sections (version, previous version, changes), newest first. Data edited after the
    current version was archived, and not yet released, form a section whose version is
    ``unreleased``; its reasons are those recorded for a version not yet archived.
    """
    reasons = read_reasons(root)
    versions = {e["version"]: e for e in editions(root)}
    current = current_version(root)
    sections = []
    ordered = sorted(set(versions) | {current}, key=version_key)
    for index, version in enumerate(ordered):
        if index == 0:
            continue
        previous = ordered[index - 1]
        if previous not in versions:
            continue
        old = package_from_edition(root / EDITIONS / previous)
        new = package_from_dir(root / "data") if version == current and current not in versions \
            else package_from_edition(root / EDITIONS / version)
        sections.append({"version": version, "previous_version": previous,
                         "changes": with_reasons(row_changes(old, new), version, previous, reasons)})
    if current in versions:
        pending = row_changes(package_from_edition(root / EDITIONS / current), package_from_dir(root / "data"))
        if pending:
            later = {(t, r): reason for (v, t, r), reason in reasons.items() if v not in versions}
            sections.append({"version": UNRELEASED, "previous_version": current, "changes": [
                {"version": UNRELEASED, "previous_version": current, **c,
                 "reason": later.get((c["table"], c["row"]), NO_REASON)} for c in pending]})
    return sorted(sections, key=lambda s: (s["version"] == UNRELEASED, version_key(s["previous_version"])))[::-1]


def changes_csv(sections: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CHANGE_FIELDS, lineterminator="\n")
    writer.writeheader()
    for section in sections:
        writer.writerows(section["changes"])
    return out.getvalue()


def missing_reasons(root: Path = ROOT) -> list[dict]:
    """Changes of the current version's data for which data/changes.csv records no reason."""
    sections = [s for s in changelog(root) if s["version"] in (current_version(root), UNRELEASED)]
    return [c for s in sections for c in s["changes"] if c["reason"] == NO_REASON]


# --- In the site ------------------------------------------------------------------------------------------

def copy_into_site(outdir: Path, root: Path = ROOT) -> None:
    """Copy editions/ into the site (only files that are missing or differ)."""
    import filecmp

    source = root / EDITIONS
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = outdir / EDITIONS / path.relative_to(source)
            if not target.exists() or not filecmp.cmp(path, target, shallow=False):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def write_changes_download(outdir: Path, root: Path = ROOT) -> Path:
    target = outdir / CHANGES_DOWNLOAD
    target.parent.mkdir(parents=True, exist_ok=True)
    text = changes_csv(changelog(root))
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def _links(edition: dict) -> str:
    labels = {PDF_NAME: "PDF", "datapackage.json": "datapackage.json", "CITATION.cff": "CITATION.cff"}
    items = []
    for name in edition["files"]:
        label = labels.get(name, "data (zip)")
        items.append(f'<a href="{html.escape(site.file(edition["path"], name))}" download>{html.escape(label)}</a>')
    return " · ".join(items)


def listed(root: Path = ROOT) -> list[dict]:
    """The editions the Editions page lists, oldest first: every archived one, and this version, which a release
    archives as soon as it is built, if it is not archived yet."""
    found = editions(root)
    if current_version(root) not in {e["version"] for e in found}:
        found.append(being_released(root))
    return found


def editions_html(root: Path = ROOT) -> str:
    """The table of archived editions, newest first, for the Editions page."""
    current = current_version(root)
    listed_editions = listed(root)
    rows = []
    for edition in listed_editions[::-1]:
        doi = (f'<a href="https://doi.org/{html.escape(edition["doi"])}">{html.escape(edition["doi"])}</a>'
               if edition["doi"] else "none yet")
        note = " (this version)" if edition["version"] == current else ""
        rows.append(f'<tr id="edition-{html.escape(edition["version"])}"><td>{html.escape(edition["version"])}{note}</td>'
                    f'<td>{html.escape(edition["date"])}</td><td>{html.escape(edition["data_version"])}, cut-off '
                    f'{html.escape(edition["data_cutoff"])}</td><td>{doi}</td><td>{_links(edition)}</td></tr>')
    head = "".join(f'<th scope="col">{h}</th>' for h in ["Version", "Released", "Data version", "DOI", "Files"])
    return (f'<div class="telcoai-table-wrap" tabindex="0" role="region" aria-label="Archived editions">'
            f'<table class="telcoai-table telcoai-editions"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def _change_text(change: dict) -> str:
    if change["change"] == "changed":
        return f"{change['field']}: {change['old'] or '(empty)'} → {change['new'] or '(empty)'}"
    return change["change"]


def changelog_html(root: Path = ROOT) -> str:
    """The data changes by row, newest version first, with the recorded reasons."""
    import pandas as pd

    from telcoai.kernel.display import table_html

    sections = changelog(root)
    parts = []
    if not sections:
        first = editions(root)
        since = f" (version {first[0]['version']})" if first else ""
        parts.append(f"<p>No earlier edition to compare with: this is the first edition's data{since}.</p>")
    for section in sections:
        changes = section["changes"]
        counts = {kind: len({(c["table"], c["row"]) for c in changes if c["change"] == kind})
                  for kind in ("added", "changed", "removed")}
        title = ("Data changes not yet released" if section["version"] == UNRELEASED
                 else f"Data changes in {html.escape(section['version'])}")
        parts.append(f'<h3 id="data-changes-{html.escape(section["version"])}">{title} '
                     f'(since {html.escape(section["previous_version"])})</h3>')
        parts.append(f"<p>{counts['added']} rows added, {counts['changed']} rows changed, {counts['removed']} rows removed.</p>")
        if not changes:
            continue
        tables: dict[str, dict[str, set]] = {}
        for change in changes:
            tables.setdefault(change["table"], {"added": set(), "changed": set(), "removed": set()})[change["change"]].add(change["row"])
        label = section["version"] if section["version"] != UNRELEASED else "the unreleased data"
        summary = pd.DataFrame([{"table": t, **{k: len(kinds[k]) for k in ("added", "changed", "removed")}}
                                for t, kinds in tables.items()])
        parts.append(table_html(summary, {"table": "Table", "added": "Rows added", "changed": "Rows changed",
                                          "removed": "Rows removed"},
                                numbers={k: "{:,.0f}" for k in ("added", "changed", "removed")},
                                caption=f"Data changes by table in {label} (since {section['previous_version']}).",
                                name=f"data-changes-by-table-{section['version']}"))
        grouped: dict[tuple, list[dict]] = {}
        for change in changes:
            grouped.setdefault((change["table"], change["row"], change["change"]), []).append(change)
        rows = pd.DataFrame([{"table": table, "row": row, "change": "; ".join(_change_text(c) for c in items),
                              "reason": items[0]["reason"]} for (table, row, _), items in grouped.items()])
        parts.append(table_html(rows, {"table": "Table", "row": "Row", "change": "Change", "reason": "Reason"},
                                caption=f"Data changes in {label} (since {section['previous_version']}), row by row.",
                                name=f"data-changes-{section['version']}", long_text=("row", "change")))
    parts.append(f'<p><a href="{html.escape(site.file(CHANGES_DOWNLOAD))}" download>Download the data changes (CSV)</a>: '
                 "one line per added or removed row and per changed field, with the reason.</p>")
    return "\n".join(parts)
