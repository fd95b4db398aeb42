"""Citations of the report, its datasets and its figures, all generated from CITATION.cff.

``CITATION.cff`` is the one source of truth: title, authors, version, release
date, licence, the site's canonical base address (``url``), the repository and,
once the archive deposit has minted one, the DOI. Each citable work (the
report, a dataset of the data package, a figure) is described once as a
CSL-JSON item; the BibTeX (written by pybtex), RIS (written by rispy) and the
text citation shown on the pages are derived from that item.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml

from telcoai.kernel import site
from telcoai.kernel.paths import ROOT
from telcoai.kernel.validate import read_descriptor

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"
PDF_PATH = "downloads/telcos-and-ai-factories.pdf"
#: Where the build writes the exports of the report and the datasets, relative to the site root.
EXPORT_DIR = site.CITATIONS
FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def report_metadata(root: Path = ROOT) -> dict:
    with open(root / "CITATION.cff", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def base_url(meta: dict | None = None) -> str:
    """The site's canonical base address, always ending in a slash."""
    meta = meta or report_metadata()
    return str(meta["url"]).rstrip("/") + "/"


def absolute(path: str, meta: dict | None = None) -> str:
    """An absolute address on the published site for a path relative to its root."""
    return base_url(meta) + path.lstrip("/")


def doi(meta: dict | None = None) -> str | None:
    """The DOI of this version, or None before the deposit has minted one."""
    meta = meta or report_metadata()
    value = str(meta.get("doi") or "").strip()
    return value or None


def _year(meta: dict) -> str:
    return str(meta["date-released"])[:4]


def _date_parts(date: str) -> list[int]:
    return [int(part) for part in str(date).split("-")]


def csl_authors(meta: dict) -> list[dict]:
    """CSL names: an organisation stays one literal name; people get family and given names."""
    names = []
    for author in meta["authors"]:
        if "name" in author:
            names.append({"literal": author["name"]})
        else:
            names.append({"family": author["family-names"], "given": author.get("given-names", "")})
    return names


def institution(meta: dict) -> str:
    """The organisation that issues the report: the first organisation among the authors."""
    for author in meta["authors"]:
        if "name" in author:
            return author["name"]
        if author.get("affiliation"):
            return author["affiliation"]
    return meta["title"]


def author_names(meta: dict) -> list[str]:
    """Each author as a person would write it: the organisation's name, or 'Given Family'."""
    return [a["literal"] if "literal" in a else f"{a['given']} {a['family']}".strip() for a in csl_authors(meta)]


# --- The citable works, as CSL-JSON items ----------------------------------------------------------------

def _common(meta: dict) -> dict:
    item = {
        "author": csl_authors(meta),
        "issued": {"date-parts": [_date_parts(meta["date-released"])]},
        "publisher": institution(meta),
        "language": "en",
        "license": LICENSE_URL,
    }
    if doi(meta):
        item["DOI"] = doi(meta)
    return item


def report_key(meta: dict | None = None) -> str:
    """The citation key: year and version, so that two versions cited side by side are two entries."""
    meta = meta or report_metadata()
    return f"telcos_ai_factories_{_year(meta)}_v{str(meta['version']).replace('.', '_')}"


def report_item(meta: dict | None = None) -> dict:
    meta = meta or report_metadata()
    return {
        "id": report_key(meta), "type": "report", "title": meta["title"], **_common(meta),
        "version": str(meta["version"]), "URL": base_url(meta), "abstract": meta.get("abstract", ""),
        "genre": "Research report",
    }


def dataset_url(resource_name: str, meta: dict | None = None) -> str:
    return site.page_address(site.DATA_AND_METHODS, f"table-{resource_name}", meta)


def dataset_item(resource_name: str, meta: dict | None = None, descriptor: dict | None = None) -> dict:
    meta = meta or report_metadata()
    descriptor = descriptor or read_descriptor()
    resource = next(r for r in descriptor["resources"] if r["name"] == resource_name)
    return {
        "id": f"{report_key(meta)}_{resource_name}", "type": "dataset", "title": resource["title"], **_common(meta),
        "version": str(descriptor["version"]), "URL": dataset_url(resource_name, meta),
        "genre": "Data set", "abstract": resource.get("description", ""),
        "note": f"File data/{resource['path']}; data cut-off {descriptor['x-data-cutoff']}",
    }


def figure_item(figure_id: str, number: str, caption: str, page: str, meta: dict | None = None) -> dict:
    """A figure of the report: its number and caption's first sentence, at its stable address."""
    meta = meta or report_metadata()
    label = f"Figure {number}" if number else "Figure"
    return {
        "id": f"{report_key(meta)}_{figure_id.replace('-', '_')}", "type": "figure", "title": first_sentence(caption),
        **_common(meta), "version": str(meta["version"]), "URL": site.page_address(page, figure_id, meta),
        "genre": f"{label} in {short_title(meta)}",
    }


def short_title(meta: dict) -> str:
    """The report's title without its subtitle."""
    return meta["title"].split(":")[0].strip()


def first_sentence(text: str) -> str:
    text = " ".join(str(text).split())
    for index in range(len(text) - 2):
        if text[index] == "." and text[index + 1] == " " and text[index + 2].isupper():
            return text[:index]
    return text.rstrip(".")


# --- Exports -------------------------------------------------------------------------------------------

def to_csl_json(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


#: CSL type -> BibTeX (biblatex) entry type; @image is biblatex's type for a figure.
BIBTEX_TYPES = {"report": "report", "dataset": "dataset", "figure": "image"}
#: CSL type -> RIS reference type.
RIS_TYPES = {"report": "RPRT", "dataset": "DATA", "figure": "FIGURE"}


def _bibtex_writer():
    from pybtex.database.output.bibtex import Writer

    class BracedWriter(Writer):
        """pybtex's BibTeX writer, with braces around every value and URLs and DOIs left verbatim."""

        VERBATIM = {"url", "doi"}

        def quote(self, s):
            self.check_braces(s)
            return "{" + s + "}"

        def _write_field(self, stream, type, value):
            text = value if type.lower() in self.VERBATIM else self._encode(value)
            stream.write(f",\n  {type} = {self.quote(text)}")

    return BracedWriter()


def _bibtex_person(name: dict):
    from pybtex.database import Person

    if "literal" in name:
        # Double braces: BibTeX reads the organisation as one name, never split at "and".
        return Person("{" + name["literal"] + "}")
    return Person(first=name.get("given", ""), last=name["family"])


def to_bibtex(items: list[dict]) -> str:
    from pybtex.database import BibliographyData, Entry

    entries = {}
    for item in items:
        date = item["issued"]["date-parts"][0]
        fields = [("title", "{" + item["title"] + "}")]
        fields += [("year", str(date[0])), ("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date)))]
        if item["type"] == "report":
            fields.append(("institution", "{" + item["publisher"] + "}"))
        else:
            fields.append(("publisher", "{" + item["publisher"] + "}"))
        fields += [("type", item["genre"]), ("version", item["version"]), ("url", item["URL"])]
        if item.get("DOI"):
            fields.append(("doi", item["DOI"]))
        if item.get("note"):
            fields.append(("note", item["note"]))
        entries[item["id"]] = Entry(BIBTEX_TYPES[item["type"]], fields=fields,
                                    persons={"author": [_bibtex_person(n) for n in item["author"]]})
    stream = io.StringIO()
    _bibtex_writer().write_stream(BibliographyData(entries), stream)
    return stream.getvalue()


def to_ris(items: list[dict]) -> str:
    import rispy
    from rispy.writer import RisWriter

    class PlainRisWriter(RisWriter):
        """RIS records without rispy's numbered header line."""

        def set_header(self, count):
            return ""

    records = []
    for item in items:
        date = item["issued"]["date-parts"][0]
        record = {
            "type_of_reference": RIS_TYPES[item["type"]],
            "authors": [n["literal"] if "literal" in n else f"{n['family']}, {n['given']}" for n in item["author"]],
            "title": item["title"],
            "year": str(date[0]),
            "date": "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date)),
            "edition": item["version"],
            "publisher": item["publisher"],
            "urls": [item["URL"]],
            "language": item.get("language", "en"),
        }
        if item.get("genre"):
            record["type_of_work"] = item["genre"]
        if item.get("DOI"):
            record["doi"] = item["DOI"]
        if item.get("abstract"):
            record["abstract"] = item["abstract"]
        if item.get("note"):
            record["notes"] = [item["note"]]
        records.append(record)
    return rispy.dumps(records, implementation=PlainRisWriter)


EXPORTERS = {"bib": to_bibtex, "ris": to_ris, "json": to_csl_json}


def write_exports(item: dict, target: Path, stem: str) -> list[tuple[str, str]]:
    """Write the item as BibTeX, RIS and CSL-JSON (only files whose content changed); return (label, name)."""
    target.mkdir(parents=True, exist_ok=True)
    links = []
    for extension, label in FORMATS.items():
        path = target / f"{stem}.{extension}"
        text = EXPORTERS[extension]([item])
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        links.append((label, path.name))
    return links


# --- The text citation (APA 7, as citation processors render the CSL item) -------------------------------

def _apa_name(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    initials = " ".join(part[0] + "." for part in name.get("given", "").replace("-", " ").split() if part)
    return f"{name['family']}, {initials}".strip(", ")


def _apa_authors(names: list[dict]) -> str:
    parts = [_apa_name(n) for n in names]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + ", & " + parts[-1]


def _typeset(text: str) -> str:
    """Apostrophes as citation processors print them (typographic)."""
    return str(text).replace("'", "\u2019")


def apa_parts(item: dict) -> list[tuple[str, str]]:
    """The APA citation as (text, style) pieces; style is "i" for italics or "" for roman."""
    authors = _apa_authors(item["author"])
    year = item["issued"]["date-parts"][0][0]
    label = f" [{_typeset(item['genre'])}]" if item.get("genre") else ""
    where = f"https://doi.org/{item['DOI']}" if item.get("DOI") else item["URL"]
    return [(f"{_typeset(authors)}{'' if authors.endswith('.') else '.'} ({year}). ", ""), (_typeset(item["title"]), "i"),
            (f" ({item['version']}){label}. {_typeset(item['publisher'])}. {where}", "")]


def apa_text(item: dict) -> str:
    return "".join(text for text, _ in apa_parts(item))


def apa_html(item: dict) -> str:
    import html

    return "".join(f"<i>{html.escape(text)}</i>" if style == "i" else html.escape(text) for text, style in apa_parts(item))


# --- Compatibility: the functions the chapters call ------------------------------------------------------

def report_bibtex() -> str:
    return to_bibtex([report_item()])


def report_text() -> str:
    return apa_text(report_item())


def dataset_bibtex(resource_name: str) -> str:
    return to_bibtex([dataset_item(resource_name)])


def dataset_text(resource_name: str) -> str:
    return apa_text(dataset_item(resource_name))


def zenodo_metadata() -> dict:
    """The deposit metadata Zenodo reads (.zenodo.json), derived from CITATION.cff."""
    meta = report_metadata()
    record = {
        "title": meta["title"],
        # A report with its data, cited as a report everywhere else (BibTeX @report, RIS RPRT, CSL report).
        "upload_type": "publication",
        "publication_type": "report",
        "description": meta["abstract"],
        "creators": [{"name": a["name"]} if "name" in a else {"name": f"{a['family-names']}, {a['given-names']}"}
                     for a in meta["authors"]],
        "version": str(meta["version"]),
        "publication_date": str(meta["date-released"]),
        "license": str(meta["license"]).lower(),
        "access_right": "open",
        "keywords": list(meta.get("keywords", [])),
    }
    # The online edition and the code that builds it, so the deposit leads to both.
    related = [{"identifier": meta[key], "relation": relation, "resource_type": kind}
               for key, relation, kind in (("url", "isVariantFormOf", "publication-report"),
                                           ("repository-code", "isSupplementedBy", "software")) if meta.get(key)]
    if related:
        record["related_identifiers"] = related
    if doi(meta):
        record["doi"] = doi(meta)
    return record


# --- On the pages ---------------------------------------------------------------------------------------

def cite_block_html(item: dict, anchor: str, exports: str) -> str:
    """A work's text citation and BibTeX, each with a copy button, and links to its three exports.

    `exports` is the address of the exports without extension, relative to the page.
    """
    import html

    text_id, bib_id = f"cite-{anchor}", f"bibtex-{anchor}"
    links = " · ".join(f'<a href="{html.escape(exports)}.{ext}" download>{label}</a>' for ext, label in FORMATS.items())
    return (
        f'<div class="telcoai-cite-block">'
        f'<p><span class="telcoai-citation" id="{text_id}">{apa_html(item)}</span> '
        f'<button type="button" class="telcoai-copy" data-copy-target="{text_id}" aria-label="Copy the citation">Copy</button></p>'
        f'<pre class="telcoai-bibtex" id="{bib_id}"><code>{html.escape(to_bibtex([item]))}</code></pre>'
        f'<p><button type="button" class="telcoai-copy" data-copy-target="{bib_id}" aria-label="Copy BibTeX entry">Copy BibTeX</button>'
        f" · Download: {links}</p></div>"
    )


def report_cite_html() -> str:
    return cite_block_html(report_item(), "report", site.file(EXPORT_DIR, "telcos-and-ai-factories"))


def dataset_cite_html(resource_name: str) -> str:
    return cite_block_html(dataset_item(resource_name), f"dataset-{resource_name}", site.file(EXPORT_DIR, "data", resource_name))
