"""Citations of the report and of its datasets, generated from CITATION.cff and the data package."""

from __future__ import annotations

from pathlib import Path

import yaml

from telcoai.validate import read_descriptor

ROOT = Path(__file__).resolve().parent.parent


def report_metadata() -> dict:
    with open(ROOT / "CITATION.cff", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _authors(meta: dict) -> str:
    names = []
    for author in meta["authors"]:
        if "name" in author:
            names.append(author["name"])
        else:
            names.append(f"{author['family-names']}, {author['given-names']}")
    return " and ".join(names)


def _bibtex_escape(text: str) -> str:
    return text.replace("\\", "\\textbackslash{}").replace("&", "\\&").replace("%", "\\%").replace("_", "\\_")


def report_bibtex(url: str | None = None) -> str:
    meta = report_metadata()
    year = str(meta["date-released"])[:4]
    fields = [
        ("author", "{" + _bibtex_escape(_authors(meta)) + "}"),
        ("title", "{" + _bibtex_escape(meta["title"]) + "}"),
        ("year", year),
        ("version", meta["version"]),
        ("date", str(meta["date-released"])),
        ("note", "Research report with data, version " + meta["version"]),
    ]
    if url:
        fields.append(("url", url))
    body = ",\n".join(f"  {k} = {{{v}}}" if not v.startswith("{") else f"  {k} = {v}" for k, v in fields)
    return f"@report{{telcos_ai_factories_{year},\n{body}\n}}"


def report_text() -> str:
    meta = report_metadata()
    return (f"{_authors(meta)} ({str(meta['date-released'])[:4]}). {meta['title']}. "
            f"Version {meta['version']}, released {meta['date-released']}.")


def dataset_bibtex(resource_name: str) -> str:
    meta = report_metadata()
    descriptor = read_descriptor()
    resource = next(r for r in descriptor["resources"] if r["name"] == resource_name)
    year = str(meta["date-released"])[:4]
    return (
        f"@misc{{telcos_ai_factories_{resource_name}_{year},\n"
        f"  author = {{{_bibtex_escape(_authors(meta))}}},\n"
        f"  title = {{{_bibtex_escape(resource['title'])} (dataset, in: {_bibtex_escape(descriptor['title'])})}},\n"
        f"  year = {{{year}}},\n"
        f"  version = {{{descriptor['version']}}},\n"
        f"  note = {{Data version {descriptor['version']}, cut-off {descriptor['x-data-cutoff']}; file data/{resource['path']}}}\n"
        "}"
    )


def dataset_text(resource_name: str) -> str:
    meta = report_metadata()
    descriptor = read_descriptor()
    resource = next(r for r in descriptor["resources"] if r["name"] == resource_name)
    return (f"{_authors(meta)} ({str(meta['date-released'])[:4]}). {resource['title']} [dataset]. "
            f"In: {descriptor['title']}, data version {descriptor['version']} (cut-off {descriptor['x-data-cutoff']}).")


def zenodo_metadata() -> dict:
    """The deposit metadata Zenodo reads (.zenodo.json), derived from CITATION.cff."""
    meta = report_metadata()
    return {
        "title": meta["title"],
        "upload_type": "dataset",
        "description": meta["abstract"],
        "creators": [{"name": a["name"]} if "name" in a else {"name": f"{a['family-names']}, {a['given-names']}"}
                     for a in meta["authors"]],
        "version": str(meta["version"]),
        "publication_date": str(meta["date-released"]),
        "license": str(meta["license"]).lower(),
        "access_right": "open",
        "keywords": list(meta.get("keywords", [])),
    }
