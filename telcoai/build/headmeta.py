"""Metadata in every page's head, for reference managers, search engines and link previews.

* Highwire Press ``citation_*`` tags, as Zotero's embedded-metadata translator
  and Google Scholar read them for a technical report: title, author,
  publication date, institution, PDF address, version, DOI once there is one.
* A description (the page's ``description`` front-matter field, or its first
  paragraph), the canonical address and Open Graph tags.
* schema.org JSON-LD: the ``Report`` on every page, and one complete
  ``Dataset`` per table on the Data and methods page.

Every absolute address starts from the one base URL in ``CITATION.cff``.
"""

from __future__ import annotations

import html
import json
import re

from docutils import nodes

from telcoai.kernel import citation, site
from telcoai.kernel.tables import records
from telcoai.kernel.validate import NO_DATE, read_descriptor

DESCRIPTION_LENGTH = 200
#: Where a table without a country column covers (tables with one are described by their countries).
SPATIAL = {
    "fx_rates": "Euro area", "ecb_daily_rates": "Euro area", "gpu_generations": "Worldwide",
    "gpu_rental_prices": "Worldwide", "cloud_ventures": "Europe and North America",
    "depreciation_lives": "Europe and North America", "context_facts": "Europe and worldwide",
    "refused_domains": "Worldwide", "issuer_hosts": "Worldwide",
}
#: Integer columns that date a row, in order of preference.
YEAR_COLUMNS = ["fiscal_year", "year", "first_year"]


def page_url(pagename: str, meta: dict | None = None) -> str:
    return site.page_address(pagename, meta=meta)


def _shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


SKIP = (nodes.caption, nodes.figure, nodes.table, nodes.Admonition, nodes.footnote, nodes.citation, nodes.field_list)


def first_paragraph(doctree) -> str:
    """The text of the page's first paragraph of prose (not a caption, table cell or note)."""
    if doctree is None:
        return ""
    for paragraph in doctree.findall(nodes.paragraph):
        parent, inside = paragraph.parent, False
        while parent is not None:
            if isinstance(parent, SKIP):
                inside = True
                break
            parent = parent.parent
        text = paragraph.astext().strip()
        if not inside and len(text) >= 40:
            return text
    return ""


def description(context: dict, doctree, meta: dict) -> str:
    given = (context.get("meta") or {}).get("description")
    return _shorten(str(given) if given else (first_paragraph(doctree) or meta.get("abstract", "")))


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(str(content))}" />'


def highwire_tags(meta: dict) -> list[str]:
    """The citation_* tags of the report (the same on every page: each page belongs to the report)."""
    date = str(meta["date-released"]).replace("-", "/")
    tags = [_meta("citation_title", meta["title"])]
    tags += [_meta("citation_author", name) for name in citation.author_names(meta)]
    tags += [
        _meta("citation_publication_date", date),
        _meta("citation_date", date),
        _meta("citation_technical_report_institution", citation.institution(meta)),
        _meta("citation_publisher", citation.institution(meta)),
        _meta("citation_technical_report_number", f"Version {meta['version']}"),
        _meta("citation_version", str(meta["version"])),
        _meta("citation_pdf_url", citation.absolute(citation.PDF_PATH, meta)),
        _meta("citation_abstract_html_url", citation.base_url(meta)),
        _meta("citation_language", "en"),
        _meta("citation_keywords", "; ".join(meta.get("keywords", []))),
    ]
    if citation.doi(meta):
        tags.append(_meta("citation_doi", citation.doi(meta)))
    return tags


def _organisation(meta: dict) -> dict:
    return {"@type": "Organization", "name": citation.institution(meta), "url": citation.base_url(meta)}


def _creators(meta: dict) -> list[dict]:
    people = []
    for name in citation.csl_authors(meta):
        if "literal" in name:
            people.append({"@type": "Organization", "name": name["literal"], "url": citation.base_url(meta)})
        else:
            people.append({"@type": "Person", "givenName": name["given"], "familyName": name["family"]})
    return people


def report_jsonld(meta: dict, pagename: str, page_title: str) -> dict:
    doc = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": meta["title"],
        "headline": page_title or meta["title"],
        "description": meta.get("abstract", ""),
        "author": _creators(meta),
        "publisher": _organisation(meta),
        "datePublished": str(meta["date-released"]),
        "version": str(meta["version"]),
        "license": citation.LICENSE_URL,
        "inLanguage": "en",
        "keywords": list(meta.get("keywords", [])),
        "url": citation.base_url(meta),
        "mainEntityOfPage": page_url(pagename, meta),
        "isAccessibleForFree": True,
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf",
                     "contentUrl": citation.absolute(citation.PDF_PATH, meta)},
        "citation": citation.report_text(),
    }
    if meta.get("repository-code"):
        doc["codeRepository"] = meta["repository-code"]
    if citation.doi(meta):
        doc["identifier"] = f"https://doi.org/{citation.doi(meta)}"
    return doc


def _partial_dates(values) -> list[str]:
    return sorted(str(v) for v in values if isinstance(v, str) and v and v != NO_DATE and v[:4].isdigit())


def _column(rows: list[dict], name: str) -> list:
    """A column's values, without the missing ones."""
    return [row[name] for row in rows if row[name] is not None]


def temporal_coverage(resource: dict, rows: list[dict], cutoff: str) -> str:
    """The span of the dates or years that place each row in time, as an ISO 8601 interval."""
    columns = {field["name"] for field in resource["schema"]["fields"]}
    for column in YEAR_COLUMNS:
        if column in columns:
            years = [int(year) for year in _column(rows, column)]
            last = int(max(_column(rows, "last_year"))) if "last_year" in columns else max(years)
            return f"{min(years)}/{last}"
    for field in resource["schema"]["fields"]:
        if field.get("x-partial-date") and field["name"] != "source_date":
            dates = _partial_dates([str(value) for value in _column(rows, field["name"])])
            if dates:
                return f"{dates[0]}/{dates[-1]}"
    return cutoff


def spatial_coverage(resource: dict, rows: list[dict]) -> list[dict] | dict:
    """The countries a table's rows cover, where it names them; otherwise the region it covers."""
    columns = {field["name"] for field in resource["schema"]["fields"]}
    countries: set = set()
    if "country" in columns:
        countries = {str(country) for country in _column(rows, "country")}
    else:
        for key, table in (("entity_id", "entities"), ("project_id", "projects")):
            if key in columns:
                country = {row[key]: row["country"] for row in records(table)}
                countries = {country[value] for value in _column(rows, key) if value in country}
                break
    countries = {str(c) for c in countries if c is not None and str(c).strip()}
    if countries:
        return [{"@type": "Country", "name": code, "identifier": code} for code in sorted(countries)]
    return {"@type": "Place", "name": SPATIAL.get(resource["name"], "Europe")}


def dataset_jsonld(resource: dict, meta: dict, descriptor: dict) -> dict:
    table = records(resource["name"])
    name = descriptor["name"]
    download = citation.absolute(f"{site.DATASETS}/{resource['path']}", meta)
    item = citation.dataset_item(resource["name"], meta, descriptor)
    doc = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": item["URL"],
        "name": resource["title"],
        "description": resource["description"],
        "url": item["URL"],
        "identifier": f"https://doi.org/{citation.doi(meta)}" if citation.doi(meta) else item["URL"],
        "license": descriptor["licenses"][0]["path"],
        "creator": _creators(meta),
        "publisher": _organisation(meta),
        "version": str(descriptor["version"]),
        "dateCreated": descriptor["created"],
        "datePublished": str(meta["date-released"]),
        "dateModified": descriptor["x-data-cutoff"],
        "temporalCoverage": temporal_coverage(resource, table, descriptor["x-data-cutoff"]),
        "spatialCoverage": spatial_coverage(resource, table),
        "variableMeasured": [
            {"@type": "PropertyValue", "name": field["name"],
             "description": field.get("description") or field.get("title", field["name"])}
            for field in resource["schema"]["fields"]
        ],
        "keywords": list(meta.get("keywords", [])),
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "isPartOf": {"@type": "Report", "name": meta["title"], "url": citation.base_url(meta)},
        "distribution": [
            {"@type": "DataDownload", "name": resource["path"], "encodingFormat": "text/csv", "contentUrl": download},
            {"@type": "DataDownload", "name": f"{name}.zip (all tables and metadata)", "encodingFormat": "application/zip",
             "contentUrl": citation.absolute(f"{site.DATASETS}/{name}.zip", meta)},
            {"@type": "DataDownload", "name": "datapackage.json (Frictionless Data Package)",
             "encodingFormat": "application/json", "contentUrl": citation.absolute(f"{site.DATASETS}/datapackage.json", meta)},
        ],
        "citation": citation.apa_text(item),
    }
    return doc


def _jsonld(doc: dict) -> str:
    text = json.dumps(doc, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def head_html(pagename: str, context: dict, doctree, meta: dict | None = None) -> str:
    meta = meta or citation.report_metadata()
    url = page_url(pagename, meta)
    text = description(context, doctree, meta)
    page_title = html.unescape(re.sub(r"<[^>]+>", "", str(context.get("title") or ""))).strip()
    lines = [_meta("description", text), f'<link rel="canonical" href="{html.escape(url)}" />']
    lines += highwire_tags(meta)
    lines += [
        _meta("og:type", "article", "property"),
        _meta("og:site_name", citation.short_title(meta), "property"),
        _meta("og:title", page_title or meta["title"], "property"),
        _meta("og:description", text, "property"),
        _meta("og:url", url, "property"),
        _meta("og:locale", "en_GB", "property"),
        _meta("article:published_time", str(meta["date-released"]), "property"),
    ]
    lines.append(_jsonld(report_jsonld(meta, pagename, page_title)))
    if pagename == site.DATA_AND_METHODS:
        descriptor = read_descriptor()
        lines += [_jsonld(dataset_jsonld(r, meta, descriptor)) for r in descriptor["resources"]]
    return "\n".join(lines) + "\n"


def add_head_metadata(app, pagename, templatename, context, doctree) -> None:
    if doctree is None and pagename in ("genindex", "search", "py-modindex"):
        return
    context["metatags"] = context.get("metatags", "") + head_html(pagename, context, doctree)
