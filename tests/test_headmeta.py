"""Head metadata built from CITATION.cff: descriptions, Highwire tags, the DOI once set, absolute addresses."""

from __future__ import annotations

import json
import re

from docutils import nodes
from docutils.utils import new_document

from conftest import ROOT
from telcoai.kernel import citation, site
from telcoai.build import headmeta

import yaml

META = yaml.safe_load((ROOT / "CITATION.cff").read_text())


def doctree(*parts):
    document = new_document("test")
    for part in parts:
        document += part
    return document


def test_the_description_is_the_first_paragraph_of_prose_not_a_caption():
    figure = nodes.figure("", nodes.caption("", "A caption long enough to count as a paragraph of text, but a caption."))
    caption_paragraph = nodes.figure("", nodes.paragraph("", "Inside a figure: this paragraph is long enough but skipped."))
    short = nodes.paragraph("", "Too short.")
    prose = nodes.paragraph("", "The first paragraph of prose, which says what the page is about in a sentence.")
    tree = doctree(figure, caption_paragraph, short, prose)
    assert headmeta.first_paragraph(tree) == prose.astext()
    assert headmeta.description({}, tree, META) == prose.astext()


def test_a_front_matter_description_wins_and_a_long_one_is_shortened():
    assert headmeta.description({"meta": {"description": "Given in the front matter."}}, None, META) == \
        "Given in the front matter."
    long = " ".join(["word"] * 100)
    text = headmeta.description({"meta": {"description": long}}, None, META)
    assert len(text) <= headmeta.DESCRIPTION_LENGTH and text.endswith("…")


def test_a_page_without_prose_falls_back_to_the_abstract():
    assert headmeta.description({}, doctree(), META) == headmeta._shorten(META["abstract"])


def test_the_head_has_highwire_tags_canonical_link_and_open_graph_with_absolute_addresses():
    text = headmeta.head_html("chapters/risks", {"title": "3. The risks"}, None, META)
    base = META["url"]
    assert f'<link rel="canonical" href="{base}chapters/risks.html" />' in text
    for name in ("citation_title", "citation_author", "citation_publication_date",
                 "citation_technical_report_institution", "citation_pdf_url", "citation_version", "description"):
        assert f'<meta name="{name}"' in text, name
    assert '<meta property="og:title" content="3. The risks" />' in text
    assert "citation_doi" not in text
    for url in re.findall(r'(?:href|content)="(https?://[^"]+)"', text):
        assert url.startswith((base, "https://creativecommons.org/")), url


def test_a_doi_once_set_is_in_the_head_and_the_json_ld():
    meta = dict(META, doi="10.5281/zenodo.1234567")
    text = headmeta.head_html("chapters/overview", {"title": "Overview"}, None, meta)
    assert '<meta name="citation_doi" content="10.5281/zenodo.1234567" />' in text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S).group(1)
    assert json.loads(block)["identifier"] == "https://doi.org/10.5281/zenodo.1234567"


def test_only_the_data_page_carries_dataset_metadata():
    assert '"Dataset"' not in headmeta.head_html("chapters/risks", {}, None, META)
    data_page = headmeta.head_html(site.DATA_AND_METHODS, {}, None, META)
    assert data_page.count('"@type": "Dataset"') == len(citation.read_descriptor()["resources"])


def test_the_build_side_makes_head_metadata_and_the_bibliography_without_pandas_or_altair():
    # Sphinx's process imports the build side; pandas alone took a second of every build to import.
    import subprocess
    import sys

    code = ("import sys\n"
            "from telcoai.build import bibliography, changes, citable, downloads, headmeta, pdf, publish, sphinx_ext\n"
            "from telcoai.kernel import citation\nfrom telcoai.kernel.validate import read_descriptor\n"
            "descriptor, meta = read_descriptor(), citation.report_metadata()\n"
            "documents = [headmeta.dataset_jsonld(r, meta, descriptor) for r in descriptor['resources']]\n"
            "assert bibliography.sources()[0] and all(d['temporalCoverage'] for d in documents)\n"
            "print(sorted(name for name in ('pandas', 'altair', 'vl_convert') if name in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
