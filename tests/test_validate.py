"""Data validation on the real package and on broken copies of it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from telcoai.kernel.validate import DATA_DIR, DataValidationError, validate_package


def test_the_published_data_is_valid():
    tables = validate_package()
    assert len(tables["financials"]) > 100
    assert len(tables["projects"]) >= 30


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def rewrite(path: Path, edit) -> None:
    """Apply `edit(rows)` to a CSV file's rows (header included) and write it back."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    def edit(rows):
        rows[line - 1][rows[0].index(column)] = value
    rewrite(path, edit)


def problems_for(data_dir: Path):
    with pytest.raises(DataValidationError) as caught:
        validate_package(data_dir)
    return caught.value.problems


@pytest.mark.parametrize(
    "table, column, value, rule",
    [
        ("financials.csv", "value", "12,5", "decimal comma"),
        ("financials.csv", "value", "3,963", "thousands separator"),
        ("financials.csv", "value", "abc", "must be a number"),
        ("financials.csv", "fiscal_year", "2019.5", "whole number"),
        ("financials.csv", "value", "-3", "below the minimum"),
        ("financials.csv", "fiscal_year", "1990", "below the minimum"),
        ("financials.csv", "measure", "opex", "not one of the allowed values"),
        ("financials.csv", "source_url", "", "is required and empty"),
        ("financials.csv", "source_type", "blog", "not one of the allowed values"),
        ("financials.csv", "note", "<script>alert(1)</script>", "must not contain '<' or '>'"),
        ("projects.csv", "kind", "quantum", "not one of the allowed values"),
        ("project_events.csv", "date", "2099-01-01", "after the data cut-off"),
        ("project_events.csv", "date", "2025-02-30", "not a real calendar date"),
        ("project_events.csv", "event", "rumoured", "not one of the allowed values"),
        ("project_events.csv", "description", "<img src=x onerror=alert(1)>", "must not contain '<' or '>'"),
    ],
)
def test_a_bad_cell_is_named_with_file_line_column_value_and_rule(data_copy, table, column, value, rule):
    set_cell(data_copy / table, 3, column, value)
    problems = problems_for(data_copy)
    assert len(problems) >= 1
    problem = next(p for p in problems if p.column == column)
    assert problem.file == f"data/{table}"
    assert problem.line == 3
    assert problem.value == value
    assert rule in problem.rule
    message = str(problem)
    assert f"data/{table}, line 3, column '{column}'" in message and rule in message


def test_a_duplicate_key_names_both_lines(data_copy):
    def duplicate(rows):
        rows.append(list(rows[1]))
    rewrite(data_copy / "financials.csv", duplicate)
    (problem,) = problems_for(data_copy)
    assert "duplicates the key of line 2" in problem.rule
    assert problem.column == "entity_id, fiscal_year, measure, series"


def test_a_dangling_reference_between_tables_is_refused(data_copy):
    set_cell(data_copy / "project_events.csv", 2, "project_id", "no-such-project")
    (problem,) = problems_for(data_copy)
    assert problem.file == "data/project_events.csv" and problem.line == 2
    assert "does not exist in data/projects.csv" in problem.rule


def test_an_unknown_entity_is_refused(data_copy):
    set_cell(data_copy / "financials.csv", 2, "entity_id", "atlantis_telecom")
    problems = problems_for(data_copy)
    assert any(p.column == "entity_id" and "data/entities.csv" in p.rule for p in problems)


def test_malformed_csv_names_the_line(data_copy):
    path = data_copy / "entities.csv"
    lines = path.read_text().splitlines()
    lines[4] = lines[4] + ',"unclosed'
    path.write_text("\n".join(lines) + "\n")
    problems = problems_for(data_copy)
    assert any(p.file == "data/entities.csv" and p.line is not None and p.line >= 5 for p in problems)


def test_a_row_with_too_many_cells_is_refused(data_copy):
    path = data_copy / "entities.csv"
    lines = path.read_text().splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n")
    problems = problems_for(data_copy)
    assert any(p.file == "data/entities.csv" and p.line == 3 and "cells where the header has" in p.rule for p in problems)


def test_a_missing_column_is_refused(data_copy):
    def drop(rows):
        index = rows[0].index("source_locator")
        for row in rows:
            del row[index]
    rewrite(data_copy / "project_events.csv", drop)
    (problem,) = problems_for(data_copy)
    assert problem.column == "source_locator" and "missing from the header" in problem.rule


def test_an_extra_column_is_refused(data_copy):
    def add(rows):
        rows[0].append("comment")
        for row in rows[1:]:
            row.append("")
    rewrite(data_copy / "fx_rates.csv", add)
    (problem,) = problems_for(data_copy)
    assert problem.column == "comment" and "not in the schema" in problem.rule


def test_overlapping_comparison_spans_are_refused(data_copy):
    def overlap(rows):
        first = rows[1]   # an open span (no last year) overlaps any later one of the same entity
        extra = dict(zip(rows[0], first), first_year=str(int(first[3]) + 2), last_year=str(int(first[3]) + 3), reason="overlap")
        rows.append([extra[c] for c in rows[0]])
    rewrite(data_copy / "comparison_series.csv", overlap)
    problems = problems_for(data_copy)
    assert any("overlaps the years" in p.rule for p in problems)


def test_a_hole_in_a_comparison_span_must_be_stated_and_only_a_hole(data_copy):
    path = data_copy / "comparison_series.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    line = next(i for i, r in enumerate(rows, start=2) if r["stated_gaps"] == "2022" and r["entity_id"] == "telefonica")
    set_cell(path, line, "stated_gaps", "")
    problems = problems_for(data_copy)
    assert [(p.file, p.line, p.column) for p in problems] == [("data/comparison_series.csv", line, "stated_gaps")]
    assert "no figure for telefonica / capex / capex in 2022" in problems[0].rule and "add the year" in problems[0].rule

    set_cell(path, line, "stated_gaps", "2021; 2022")   # 2021 has a figure
    problems = problems_for(data_copy)
    assert len(problems) == 1 and "lists 2021 as a gap" in problems[0].rule and problems[0].value == "2021; 2022"

    # Checked however the tables are asked for: the figures come with the spans.
    with pytest.raises(DataValidationError, match="lists 2021 as a gap"):
        validate_package(data_copy, tables={"comparison_series"})


def test_validation_never_writes_the_data(data_copy):
    set_cell(data_copy / "financials.csv", 2, "value", "oops")
    before = {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}
    problems_for(data_copy)
    assert before == {p.name: p.read_bytes() for p in data_copy.glob("*.csv")}


def test_a_csv_saved_by_a_spreadsheet_with_bom_and_crlf_passes(data_copy):
    path = data_copy / "entities.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    tables = validate_package(data_copy)
    assert tables["entities"][0]["entity_id"] == "deutsche_telekom"


def test_a_csv_saved_with_semicolons_is_refused_with_the_fix(data_copy):
    path = data_copy / "entities.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)
    (problem,) = [p for p in problems_for(data_copy) if p.file == "data/entities.csv"]
    assert problem.line == 1 and "semicolons" in problem.rule and "comma-separated" in problem.rule


def test_an_unquoted_decimal_comma_is_named(data_copy):
    path = data_copy / "fx_rates.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",1.1810,", ",1,1810,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = problems_for(data_copy)
    assert problem.file == "data/fx_rates.csv" and problem.line == 2
    assert "cells where the header has" in problem.rule and "decimal comma" in problem.rule


def test_the_standard_validator_accepts_the_package():
    import subprocess
    from conftest import ROOT

    result = subprocess.run([str(ROOT / ".venv" / "bin" / "frictionless"), "validate", "data/datapackage.json"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def test_chapters_trust_only_the_bytes_the_build_validated(data_copy, tmp_path, monkeypatch):
    import json

    from telcoai.kernel.validate import VALIDATED_ENV, digests, trusted_records

    record = tmp_path / "validated.json"
    record.write_text(json.dumps({"data_dir": str(data_copy.resolve()), "files": digests(data_copy)}))
    monkeypatch.setenv(VALIDATED_ENV, str(record))
    trusted = trusted_records(data_copy, {"financials"})
    assert trusted["financials"] == validate_package(data_copy, {"financials"})["financials"]
    set_cell(data_copy / "financials.csv", 3, "value", "oops")       # changed after the build validated it
    assert trusted_records(data_copy, {"financials"}) is None
    with pytest.raises(DataValidationError):
        from telcoai.kernel import tables
        tables._records.cache_clear()
        tables.load("financials", data_copy)
