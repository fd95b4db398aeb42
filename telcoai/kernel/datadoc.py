"""The data dictionary, generated from data/datapackage.json and the tables themselves."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from telcoai.kernel import site
from telcoai.kernel.display import table_html
from telcoai.kernel.tables import load
from telcoai.kernel.validate import read_descriptor




def resources() -> list[dict]:
    return read_descriptor()["resources"]


def _rule(field: dict) -> str:
    cons = field.get("constraints", {})
    parts = []
    if cons.get("required"):
        parts.append("required")
    if "enum" in cons:
        parts.append("one of: " + ", ".join(map(str, cons["enum"])))
    if "minimum" in cons or "maximum" in cons:
        parts.append(f"range {cons.get('minimum', '…')} to {cons.get('maximum', '…')}")
    if field.get("x-partial-date"):
        parts.append("date not after the cut-off")
    return "; ".join(parts)


def field_rows(resource: dict) -> list[dict]:
    """Column, type, rule, definition, an example value and coverage for each field."""
    table = load(resource["name"])
    rows = []
    for field in resource["schema"]["fields"]:
        column = table[field["name"]]
        filled = column.notna().sum()
        example = column.dropna().iloc[0] if filled else ""
        rows.append({
            "column": field["name"], "type": field.get("type", "string"), "rule": _rule(field),
            "definition": field.get("description", ""), "example": str(example)[:60],
            "coverage": f"{filled} of {len(column)}",
        })
    return rows


def dictionary_html() -> HTML:
    parts = []
    for resource in resources():
        key = ", ".join(resource["schema"].get("primaryKey", []))
        parts.append(f'<h3 id="table-{html.escape(resource["name"])}">{html.escape(resource["title"])} '
                     f'(<code>data/{html.escape(resource["path"])}</code>)</h3>')
        link = site.file(site.DATASETS, resource["path"])
        parts.append(f"<p>{html.escape(resource['description'])} Key: {html.escape(key)}. "
                     f'<a href="{html.escape(link)}" download>Download {html.escape(resource["path"])}</a></p>')
        fields = pd.DataFrame(field_rows(resource))
        parts.append(table_html(fields, {"column": "Column", "type": "Type", "rule": "Rules", "definition": "Definition",
                                         "example": "Example", "coverage": "Coverage"},
                                caption=f"Fields of {resource['path']}: {resource['title']}.",
                                name=f"fields-{resource['name']}", long_text=("column", "rule", "example")))
    return HTML("\n".join(parts))


def downloads_html() -> HTML:
    """Links to the whole package: every table, the metadata and a zip of both."""
    descriptor = read_descriptor()
    name = descriptor["name"]
    items = [f'<li><a href="{site.file(site.DATASETS, name + ".zip")}" download>All tables and metadata (zip)</a></li>',
             f'<li><a href="{site.file(site.DATASETS, "datapackage.json")}" download>datapackage.json</a> (fields, types, units, constraints, keys, licence)</li>']
    items += [f'<li><a href="{html.escape(site.file(site.DATASETS, r["path"]))}" download>{html.escape(r["path"])}</a>: {html.escape(r["title"])}</li>'
              for r in descriptor["resources"]]
    return HTML('<ul class="telcoai-dataset-downloads">' + "".join(items) + "</ul>")


def source_shares():
    """Per table with sources: its rows, the share of each source type, and rows citing a refused host."""
    from telcoai.kernel.validate import host_of, on_domain

    descriptor = read_descriptor()
    refused = list(load(descriptor["x-source-policy"]["refused"])["domain"])
    rows = []
    for resource in descriptor["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        if "source_type" not in names:
            continue
        table = load(resource["name"])
        hosts = table["source_url"].map(host_of)
        shares = table["source_type"].value_counts(normalize=True)
        rows.append({"table": resource["path"], "rows": len(table),
                     **{kind: float(shares.get(kind, 0.0)) for kind in ("primary", "mirror", "press", "other")},
                     "refused": int(sum(any(on_domain(h, d) for d in refused) for h in hosts))})
    return pd.DataFrame(rows)
