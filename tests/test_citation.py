"""Citation metadata: CITATION.cff valid against its schema, .zenodo.json in step, BibTeX well formed."""

from __future__ import annotations

import json
import re

import jsonschema
import yaml

from conftest import ROOT
from telcoai import citation
from telcoai.validate import read_descriptor


def test_citation_cff_is_valid_against_the_cff_1_2_0_schema():
    schema = json.loads((ROOT / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text())
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    data["date-released"] = str(data["date-released"])   # YAML reads the date as a date object
    jsonschema.validate(data, schema)


def test_an_invalid_citation_file_is_caught():
    schema = json.loads((ROOT / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text())
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    del data["authors"]
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a CITATION.cff without authors was accepted")


def test_zenodo_metadata_matches_citation_cff():
    assert json.loads((ROOT / ".zenodo.json").read_text()) == citation.zenodo_metadata()


def balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_entries_are_well_formed_and_carry_the_version():
    version = str(yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"])
    entries = [citation.report_bibtex()] + [citation.dataset_bibtex(r["name"]) for r in read_descriptor()["resources"]]
    for entry in entries:
        assert re.match(r"^@\w+\{[\w]+,\n", entry)
        assert balanced(entry), entry
        assert entry.rstrip().endswith("}")
        assert '"' not in entry
    assert f"version = {{{version}}}" in entries[0]
    assert f"version = {{{read_descriptor()['version']}}}" in entries[1]
