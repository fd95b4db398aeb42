"""The built site as reference managers and search engines read it: head metadata, exports, figure citations."""

from __future__ import annotations

import html
import json
import re
import struct
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import ROOT, parse_with_citation_js, toc_pages
from support import FIGURE, SPEC_CLASS
from telcoai.kernel import citation
from telcoai.kernel.validate import read_descriptor

pytestmark = pytest.mark.build
PAGES = toc_pages()
META = yaml.safe_load((ROOT / "CITATION.cff").read_text())
BASE = META["url"]
ORG = "Telcos and AI Factories research team"


class Head(HTMLParser):
    """The meta tags, links and JSON-LD blocks of a page's head."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[str]] = {}
        self.jsonld: list[dict] = []
        self._in_head = self._in_jsonld = False
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self._in_head = True
        if not self._in_head:
            return
        if tag == "meta" and (attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(attrs.get("name") or attrs["property"], []).append(attrs.get("content", ""))
        if tag == "link" and attrs.get("rel"):
            self.links.setdefault(attrs["rel"], []).append(attrs.get("href", ""))
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld, self._buffer = True, ""

    def handle_data(self, data):
        if self._in_jsonld:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_jsonld:
            self.jsonld.append(json.loads(self._buffer))
            self._in_jsonld = False
        if tag == "head":
            self._in_head = False


def head(site, page) -> Head:
    parser = Head()
    parser.feed((site / f"{page}.html").read_text(encoding="utf-8"))
    return parser


def site_file(site, url: str):
    """The built file an absolute site address points to (without its fragment)."""
    assert url.startswith(BASE), url
    return site / urlsplit(url[len(BASE):]).path


def text_of(page_html: str, element_id: str) -> str:
    match = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', page_html, re.S)
    assert match, element_id
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_head_carries_citation_metadata_a_canonical_link_and_a_description(built_site, page):
    found = head(built_site, page)
    one = {name: values[0] for name, values in found.meta.items()}
    assert one["citation_title"] == META["title"]
    assert found.meta["citation_author"] == [ORG]
    assert one["citation_publication_date"] == str(META["date-released"]).replace("-", "/")
    assert one["citation_technical_report_institution"] == ORG
    assert one["citation_version"] == str(META["version"])
    assert site_file(built_site, one["citation_pdf_url"]).is_file()
    assert ("citation_doi" in one) == bool(META.get("doi"))
    assert found.links["canonical"] == [BASE + page + ".html"]
    assert 50 <= len(one["description"]) <= 200
    for tag in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert one[tag], tag
    assert one["og:url"] == BASE + page + ".html"


def test_each_page_has_its_own_description(built_site):
    descriptions = [head(built_site, page).meta["description"][0] for page in PAGES]
    assert len(set(descriptions)) == len(descriptions)


def test_chapters_carry_schema_org_report_metadata(built_site):
    for page in PAGES:
        (report,) = [d for d in head(built_site, page).jsonld if d["@type"] == "Report"]
        assert report["name"] == META["title"] and report["version"] == str(META["version"])
        assert report["author"][0] == {"@type": "Organization", "name": ORG, "url": BASE}
        assert report["mainEntityOfPage"] == BASE + page + ".html"
        assert site_file(built_site, report["encoding"]["contentUrl"]).is_file()


def test_the_data_page_describes_every_table_as_a_complete_dataset(built_site):
    descriptor = read_descriptor()
    datasets = [d for d in head(built_site, "chapters/data-and-methods").jsonld if d["@type"] == "Dataset"]
    assert [d["name"] for d in datasets] == [r["title"] for r in descriptor["resources"]]
    for data, resource in zip(datasets, descriptor["resources"]):
        for field in ("name", "description", "license", "creator", "version", "datePublished", "dateModified",
                      "temporalCoverage", "spatialCoverage", "variableMeasured", "distribution", "citation", "url"):
            assert data.get(field), (resource["name"], field)
        assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0")
        assert data["creator"][0]["name"] == ORG and data["version"] == descriptor["version"]
        assert re.match(r"^\d{4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?$", data["temporalCoverage"])
        assert {v["name"] for v in data["variableMeasured"]} == {f["name"] for f in resource["schema"]["fields"]}
        assert data["url"] == BASE + f"chapters/data-and-methods.html#table-{resource['name']}"
        for download in data["distribution"]:
            assert download["@type"] == "DataDownload" and download["encodingFormat"]
            assert site_file(built_site, download["contentUrl"]).is_file(), download["contentUrl"]
        assert data["distribution"][0]["contentUrl"].endswith("/downloads/data/" + resource["path"])
        assert data["citation"] == citation.dataset_text(resource["name"])


def _exports(folder, stem):
    return [folder / f"{stem}.{ext}" for ext in citation.FORMATS]


def test_citation_js_reads_the_report_and_dataset_exports_as_the_page_cites_them(built_site):
    page = (built_site / "chapters" / "how-to-cite.html").read_text(encoding="utf-8")
    cite = built_site / "downloads" / "cite"
    works = [("report", "report", _exports(cite, "telcos-and-ai-factories"), BASE)]
    works += [(f"dataset-{r['name']}", "dataset", _exports(cite / "data", r["name"]),
               BASE + f"chapters/data-and-methods.html#table-{r['name']}") for r in read_descriptor()["resources"]]
    files = [path for *_, paths, _ in works for path in paths]
    parsed = iter(parse_with_citation_js(files))
    for anchor, kind, paths, url in works:
        expected = text_of(page, f"cite-{anchor}")
        for path in paths:
            result = next(parsed)
            (item,) = result["items"]
            assert item["type"] == kind and item["authors"] == [ORG], path
            assert item["year"] == int(str(META["date-released"])[:4]) and item["URL"] == url, path
            assert item["version"], path
            assert result["apa"] == expected, path
        assert f'data-copy-target="bibtex-{anchor}"' in page and f'id="bibtex-{anchor}"' in page


def chart_figures(site):
    for page in PAGES:
        text = (site / f"{page}.html").read_text(encoding="utf-8")
        for match in FIGURE.finditer(text):
            if SPEC_CLASS in match.group("body"):
                yield page, match.group("id"), match.group("body")


def test_every_chart_can_be_cited_on_its_own(built_site):
    figures = list(chart_figures(built_site))
    assert len(figures) >= 10
    folder = built_site / "downloads" / "figures"
    files = [path for _, figure_id, _ in figures for path in _exports(folder, figure_id)]
    parsed = iter(parse_with_citation_js(files))
    for page, figure_id, body in figures:
        line = re.search(r'<p class="telcoai-cite-figure">(.*?)</p>', body, re.S).group(1)
        assert f'data-copy-target="cite-{figure_id}"' in line
        shown = text_of(body, f"cite-{figure_id}")
        assert shown.endswith(BASE + f"{page}.html#{figure_id}")
        number = re.search(r'<span class="caption-number">Fig\. ([\d.]+) </span>', body).group(1)
        for path in _exports(folder, figure_id):
            result = next(parsed)
            (item,) = result["items"]
            assert item["type"] == "figure" and item["authors"] == [ORG], path
            assert item["URL"] == BASE + f"{page}.html#{figure_id}", path
            assert result["apa"] == shown, path
            assert f"[Figure {number} in Telcos and AI factories]" in result["apa"], path


def png_text_chunks(data: bytes) -> dict[str, str]:
    chunks, offset = {}, 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"tEXt":
            keyword, _, text = data[offset + 8:offset + 8 + length].partition(b"\0")
            chunks[keyword.decode("latin-1")] = text.decode("latin-1")
        offset += 12 + length
    return chunks


def test_exported_images_carry_the_reports_name_address_and_licence(built_site):
    folder = built_site / "downloads" / "figures"
    for page, figure_id, _ in chart_figures(built_site):
        svg = (folder / f"{figure_id}.svg").read_text(encoding="utf-8")
        credit = re.search(r'<g class="telcoai-credit">(.*?)</g>', svg, re.S).group(1)
        for text in ("Telcos and AI factories", "CC BY 4.0", BASE + f"{page}.html#{figure_id}"):
            assert html.escape(text) in credit, (figure_id, text)
        png = (folder / f"{figure_id}.png").read_bytes()
        chunks = png_text_chunks(png)
        assert "CC BY 4.0" in chunks["Copyright"] and chunks["Source"] == BASE + f"{page}.html#{figure_id}"
        height = struct.unpack(">I", png[20:24])[0]
        svg_height = float(re.search(r'<svg [^>]*height="([\d.]+)"', svg).group(1))
        assert height == round(2 * svg_height)     # the PNG is drawn from the SVG with its credit band


def test_the_reference_list_has_one_entry_per_source_and_clean_addresses(built_site):
    page = (built_site / "chapters" / "references.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="[^"]*">(.*?)</div>', page, re.S)
    assert len(entries) >= 10
    texts = [re.sub(r"<span class=\"label\">.*?</span>", "", e, flags=re.S) for e in entries]
    assert len(set(texts)) == len(texts)
    urls = [html.unescape(u) for e in entries for u in re.findall(r'href="(http[^"]+)"', e)]
    assert len(set(urls)) == len(urls)
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.netloc and "\\" not in url, url
    assert "\\%" not in page


@pytest.mark.browser
def test_the_copy_buttons_copy_the_citation(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site_url}/chapters/how-to-cite.html", wait_until="load")
    page.click('button[data-copy-target="cite-report"]')
    page.wait_for_function("() => document.querySelector('button[data-copy-target=\"cite-report\"]').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == citation.report_text()
    page.click('button[data-copy-target="bibtex-report"]')
    page.wait_for_timeout(200)
    assert page.evaluate("navigator.clipboard.readText()").strip() == citation.report_bibtex().strip()
    page.goto(f"{site_url}/chapters/opportunities.html", wait_until="load")
    page.click('button[data-copy-target="cite-fig-capex-by-operator"]')
    page.wait_for_timeout(200)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("opportunities.html#fig-capex-by-operator") and copied.startswith(ORG)
    context.close()
