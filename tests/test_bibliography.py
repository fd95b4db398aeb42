"""The bibliography generated from the data's source fields: one entry per source, clean fields."""

from urllib.parse import urlsplit

import pandas as pd
from pybtex.database import parse_string

from conftest import ROOT
from telcoai.build import bibliography
from telcoai.kernel.tables import load


def test_every_citable_row_resolves_to_an_entry():
    entries = parse_string(bibliography.generate(), "bibtex").entries
    hand_written = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex").entries
    alias = bibliography.aliases()
    for table, key in bibliography.citable().items():
        for row_id in load(table)[key]:
            assert alias[row_id] in entries or alias[row_id] in hand_written, row_id


def test_one_entry_per_source_address():
    entries = parse_string(bibliography.generate(), "bibtex").entries
    hand_written = parse_string((ROOT / "references.bib").read_text(encoding="utf-8"), "bibtex").entries
    urls = [bibliography.normalise_url(e.fields["url"]) for e in list(entries.values()) + list(hand_written.values())
            if "url" in e.fields]
    assert len(urls) == len(set(urls))


def test_every_source_url_parses_and_has_no_escaped_percent():
    entries = parse_string(bibliography.generate(), "bibtex").entries
    for key, entry in entries.items():
        url = entry.fields["url"]
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.netloc, key
        assert "\\" not in url and " " not in url, key


def test_a_url_keeps_its_percent_escapes_verbatim():
    row = pd.Series({"source_publisher": "WAM Emirates News Agency (reporting European Commission announcement)",
                     "source_title": "EU expands network of AI Factories",
                     "source_url": "https://www.wam.ae/en/article/15tcfkh-its-%E2%80%98ai", "source_date": "2025-10-11",
                     "source_type": "secondary"})
    entry = parse_string(bibliography.entry("row-1", row), "bibtex").entries["row-1"]
    assert entry.fields["url"] == "https://www.wam.ae/en/article/15tcfkh-its-%E2%80%98ai"
    assert [str(p) for p in entry.persons["author"]] == ["{WAM Emirates News Agency}"]
    assert entry.fields["note"] == "Reporting European Commission announcement"


def test_an_entry_names_publisher_title_date_and_url():
    row = pd.Series({"source_publisher": "Example & Co", "source_title": "Capex in 2025: 50% up",
                     "source_url": "https://example.org/a%20b#x", "source_date": "2025-03-01", "source_type": "primary"})
    text = bibliography.entry("row-1", row)
    assert "author = {{Example \\& Co}}" in text
    assert "title = {{Capex in 2025: 50\\% up}}" in text
    assert "year = {2025}" in text and "date = {2025-03-01}" in text
    assert "url = {https://example.org/a%20b#x}" in text
    assert "Source type" not in text


def test_an_undated_source_has_no_year():
    row = pd.Series({"source_publisher": "P", "source_title": "T", "source_url": "https://example.org",
                     "source_date": "n.d.", "source_type": "secondary"})
    assert "year" not in bibliography.entry("row-2", row)


def test_publisher_fields_read_as_a_person_would_write_them():
    cases = {
        "Mobile Europe (reporting Synergy Research Group data)": ("Mobile Europe", "Reporting Synergy Research Group data"),
        "NVIDIA press release (reproduced by VMblog)": ("NVIDIA", "Press release, reproduced by VMblog"),
        "European Parliament (Commission answer), reproduced by newzintel.com (MIL-OSI)":
            ("European Parliament", "Commission answer, reproduced by newzintel.com (MIL-OSI)"),
        "TELUS via Cision/CNW (newswire.ca)": ("TELUS", "Via Cision/CNW (newswire.ca)"),
        "finanznachrichten.de (dpa-AFX)": ("finanznachrichten.de", "dpa-AFX"),
        "Fierce Network": ("Fierce Network", ""),
    }
    for field, expected in cases.items():
        assert bibliography.publisher_and_note(field) == expected, field
    for row in bibliography.sources()[0].values():
        author, _ = bibliography.publisher_and_note(row["source_publisher"])
        assert "(" not in author and "reporting" not in author.lower(), author


def test_tracking_parameters_do_not_make_a_second_source():
    assert (bibliography.normalise_url("https://Example.org/a/?itm_source=x&id=3")
            == bibliography.normalise_url("https://example.org/a?id=3"))


def test_citations_of_rows_sharing_a_source_point_at_its_one_entry():
    alias = {"a": "a", "b": "a", "c": "c"}
    assert bibliography.rewrite_citations("see {cite:p}`a,b` and {cite:p}`c` and {cite}`b`", alias) == \
        "see {cite:p}`a` and {cite:p}`c` and {cite}`a`"
