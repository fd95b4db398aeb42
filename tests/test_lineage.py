"""Which data files each chapter depends on, as the build sees it."""

from telcoai.sphinx_ext import tables_read_by
from conftest import ROOT


def test_chapters_depend_on_the_tables_their_code_reads():
    read = lambda name: tables_read_by((ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8"))
    assert {"financials", "fx_rates", "comparison_series", "entities"} <= read("opportunities")
    assert "milestones" not in read("opportunities") and "claims" in read("opportunities")
    assert {"partnerships", "milestones"} <= read("road-ahead")
    assert "financials" not in read("road-ahead")
    assert "financials" in read("data-and-methods") and "milestones" in read("data-and-methods")


def test_a_direct_load_call_counts():
    assert tables_read_by('x = load("fx_rates")') == {"fx_rates"}
    assert tables_read_by("nothing here") == set()
