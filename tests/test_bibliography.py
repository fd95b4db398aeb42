"""The bibliography generated from the data's source fields."""

import pandas as pd

from telcoai.build import bibliography
from telcoai.tables import load


def test_every_citable_row_becomes_an_entry_keyed_by_its_id():
    text = bibliography.generate()
    for table, key in bibliography.CITABLE.items():
        for row_id in load(table)[key]:
            assert f"@online{{{row_id}," in text
    assert text.count("{") == text.count("}")


def test_an_entry_names_publisher_title_date_and_url():
    row = pd.Series({"source_publisher": "Example & Co", "source_title": "Capex in 2025: 50% up {sic}",
                     "source_url": "https://example.org/a%20b#x", "source_date": "2025-03-01", "source_type": "primary"})
    text = bibliography.entry("row-1", row)
    assert "author = {{Example \\& Co}}" in text
    assert "title = {{Capex in 2025: 50\\% up (sic)}}" in text
    assert "year = {2025}" in text and "date = {2025-03-01}" in text
    assert "url = {https://example.org/a\\%20b\\#x}" in text


def test_an_undated_source_has_no_year():
    row = pd.Series({"source_publisher": "P", "source_title": "T", "source_url": "https://example.org",
                     "source_date": "n.d.", "source_type": "secondary"})
    assert "year" not in bibliography.entry("row-2", row)
