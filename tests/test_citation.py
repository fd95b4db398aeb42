"""Citation metadata: CITATION.cff is the one source; BibTeX, RIS and CSL-JSON exports that clients parse."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import rispy
import yaml
from pybtex.database import parse_string

from conftest import ROOT, parse_with_citation_js
from telcoai.kernel import citation
from telcoai.kernel.validate import read_descriptor

CFF = ROOT / "CITATION.cff"
ORG = "Telcos and AI Factories research team"


def cff() -> dict:
    return yaml.safe_load(CFF.read_text())


def test_citation_cff_is_valid_against_the_cff_1_2_0_schema():
    schema = json.loads((ROOT / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text())
    data = cff()
    data["date-released"] = str(data["date-released"])   # YAML may read the date as a date object
    jsonschema.validate(data, schema)


def test_an_invalid_citation_file_is_caught():
    schema = json.loads((ROOT / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text())
    data = cff()
    del data["authors"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_citation_cff_names_the_organisation_the_site_the_repository_and_no_invented_doi():
    data = cff()
    assert data["authors"] == [{"name": ORG}]           # an entity: one corporate author, not a person
    assert re.match(r"^https://[^/]+/.*/$", data["url"])
    assert data["repository-code"].startswith("https://")
    assert data["license"] == "CC-BY-4.0"
    assert "doi" not in data or re.match(r"^10\.\d{4,9}/\S+$", str(data["doi"]))


def test_zenodo_metadata_matches_citation_cff():
    record = json.loads((ROOT / ".zenodo.json").read_text())
    assert record == citation.zenodo_metadata()
    # Deposited as the report it is cited as everywhere else, and leading to the site and the code.
    assert (record["upload_type"], record["publication_type"]) == ("publication", "report")
    assert {r["identifier"] for r in record["related_identifiers"]} == {cff()["url"], cff()["repository-code"]}


def test_every_address_starts_from_the_one_base_url():
    base = cff()["url"]
    items = [citation.report_item(), citation.dataset_item("financials"),
             citation.figure_item("fig-x", "2.1", "A caption. More.", "chapters/opportunities")]
    assert items[0]["URL"] == base
    assert items[1]["URL"] == base + "chapters/data-and-methods.html#table-financials"
    assert items[2]["URL"] == base + "chapters/opportunities.html#fig-x"


def test_bibtex_keeps_the_corporate_author_whole_and_has_url_and_institution():
    text = citation.report_bibtex()
    assert f"author = {{{{{ORG}}}}}" in text and f"institution = {{{{{ORG}}}}}" in text
    entry = parse_string(text, "bibtex").entries[citation.report_key()]
    assert entry.type == "report"
    assert len(entry.persons["author"]) == 1
    assert entry.fields["url"] == cff()["url"]
    assert entry.fields["version"] == str(cff()["version"])
    assert "doi" not in entry.fields


def test_dataset_bibtex_carries_the_data_version_and_its_address():
    descriptor = read_descriptor()
    for resource in descriptor["resources"]:
        entry = parse_string(citation.dataset_bibtex(resource["name"]), "bibtex").entries.values()
        (entry,) = entry
        assert entry.type == "dataset" and entry.fields["version"] == descriptor["version"]
        assert entry.fields["url"].endswith(f"#table-{resource['name']}")
        assert len(entry.persons["author"]) == 1


def test_ris_round_trips_through_rispy():
    (record,) = rispy.loads(citation.to_ris([citation.report_item()]))
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == [ORG]
    assert record["urls"] == [cff()["url"]] and record["edition"] == str(cff()["version"])


def test_a_url_with_percent_escapes_stays_verbatim_in_bibtex():
    item = dict(citation.report_item(), URL="https://example.org/a%E2%80%98b#c")
    assert "url = {https://example.org/a%E2%80%98b#c}" in citation.to_bibtex([item])


def _with_doi(monkeypatch):
    data = dict(cff(), doi="10.5281/zenodo.1234567")
    monkeypatch.setattr(citation, "report_metadata", lambda root=ROOT: data)
    return data


def test_a_doi_once_set_reaches_every_export_and_the_text(monkeypatch):
    _with_doi(monkeypatch)
    item = citation.report_item()
    assert item["DOI"] == "10.5281/zenodo.1234567"
    assert "doi = {10.5281/zenodo.1234567}" in citation.to_bibtex([item])
    assert "DO  - 10.5281/zenodo.1234567" in citation.to_ris([item])
    assert citation.apa_text(item).endswith("https://doi.org/10.5281/zenodo.1234567")
    assert citation.zenodo_metadata()["doi"] == "10.5281/zenodo.1234567"


def _exports(tmp_path, items):
    paths = []
    for stem, item in items.items():
        for _, name in citation.write_exports(item, tmp_path, stem):
            paths.append((tmp_path / name, item))
    return paths


def _check_parsed(parsed, item):
    assert len(parsed["items"]) == 1, parsed["file"]
    (found,) = parsed["items"]
    assert found["type"] == item["type"], parsed["file"]
    assert found["title"] == item["title"], parsed["file"]
    assert found["authors"] == [ORG], parsed["file"]           # the corporate author stays one author
    assert found["year"] == int(str(cff()["date-released"])[:4]), parsed["file"]
    assert found["version"] == item["version"], parsed["file"]
    assert found["URL"] == item["URL"], parsed["file"]
    assert parsed["apa"] == citation.apa_text(item), parsed["file"]


def test_citation_js_parses_every_export_and_renders_the_same_apa_citation(tmp_path):
    items = {"report": citation.report_item(), "figure": citation.figure_item(
        "fig-capex-by-operator", "2.1", "Capex of European telecom groups, 2019–2025. Each panel.", "chapters/opportunities")}
    items.update({r["name"]: citation.dataset_item(r["name"]) for r in read_descriptor()["resources"]})
    paths = _exports(tmp_path, items)
    for parsed, (_, item) in zip(parse_with_citation_js([p for p, _ in paths]), paths):
        _check_parsed(parsed, item)


def test_citation_js_reads_the_doi_once_set(tmp_path, monkeypatch):
    _with_doi(monkeypatch)
    item = citation.report_item()
    paths = _exports(tmp_path, {"report": item})
    for parsed in parse_with_citation_js([p for p, _ in paths]):
        assert parsed["items"][0]["DOI"] == "10.5281/zenodo.1234567", parsed["file"]
        assert parsed["apa"] == citation.apa_text(item), parsed["file"]


def test_a_corporate_author_without_double_braces_would_be_split(tmp_path):
    """The check above can fail: BibTeX splits a single-braced organisation at "and"."""
    path = tmp_path / "split.bib"
    path.write_text(citation.report_bibtex().replace(f"{{{{{ORG}}}}}", f"{{{ORG}}}"))
    (parsed,) = parse_with_citation_js([path])
    assert len(parsed["items"][0]["authors"]) == 2


def test_two_versions_cited_side_by_side_have_two_keys():
    meta = cff()
    later = dict(meta, version="9.9.9")
    assert citation.report_key(meta) != citation.report_key(later)
    assert citation.report_key(later).endswith("_v9_9_9") and str(meta["date-released"])[:4] in citation.report_key(later)
