"""Validate the CSV tables in ``data/`` against ``data/datapackage.json``.

The rules are those of the Frictionless Table Schema (types, required, enum,
pattern, minimum, maximum, maxLength, primary and foreign keys), plus two of
this project's own, declared in the descriptor:

* ``x-partial-date`` fields hold ISO dates (``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``) that must exist in the calendar and must not fall after the
  package's ``x-data-cutoff``;
* text never contains ``<`` or ``>`` (declared as a pattern), so nothing from
  the data can become markup in a table or a tooltip.

Every problem becomes a :class:`Problem` that names the file, the line of the
CSV file (the header is line 1, as in a spreadsheet), the column, the value and
the rule broken. Validation reads the files and never writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

#: How a source with no stated publication date is recorded.
NO_DATE = "n.d."
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Problem:
    """One rule broken by one cell, row, header or file."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{shown}: {self.rule}"


class DataValidationError(Exception):
    """Raised when the data package breaks its schema; lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in the data:"] + [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


def read_descriptor(data_dir: Path = DATA_DIR) -> dict:
    with open(data_dir / "datapackage.json", encoding="utf-8") as handle:
        return json.load(handle)


def parse_partial_date(text: str) -> dt.date:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD to the first day it can denote."""
    parts = [int(p) for p in text.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)


def partial_dates_to_timestamps(values):
    """Partial ISO dates as pandas timestamps, each at the first day it can denote."""
    import pandas as pd

    return pd.to_datetime([parse_partial_date(v) for v in values])


def _convert(field: dict, raw: str):
    """Return the typed value, or raise ValueError with the rule broken."""
    kind = field.get("type", "string")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise ValueError("must be a whole number (type integer)")
        return int(raw)
    if kind == "number":
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", raw):
            raise ValueError("must be a number written with a decimal point and no thousands separator (type number)")
        return float(raw)
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise ValueError("must be true or false (type boolean)")
        return raw == "true"
    return raw


def _check_cell(field: dict, raw: str, cutoff: dt.date | None) -> str | None:
    """Return the rule a non-empty cell breaks, or None."""
    cons = field.get("constraints", {})
    try:
        value = _convert(field, raw)
    except ValueError as err:
        return str(err)
    if "enum" in cons and value not in cons["enum"]:
        return "is not one of the allowed values: " + ", ".join(map(str, cons["enum"]))
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        if cons["pattern"] == "^[^<>]*$":
            return "must not contain '<' or '>' (text may not carry HTML or script)"
        return f"does not match the expected form (pattern {cons['pattern']})"
    if "maxLength" in cons and len(raw) > cons["maxLength"]:
        return f"is longer than {cons['maxLength']} characters"
    if "minimum" in cons and value < cons["minimum"]:
        return f"is below the minimum of {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"is above the maximum of {cons['maximum']}"
    if field.get("x-partial-date") and raw != NO_DATE:
        try:
            day = parse_partial_date(raw)
        except ValueError:
            return "is not a real calendar date"
        if cutoff is not None and day > cutoff:
            return f"is after the data cut-off date {cutoff.isoformat()}"
    return None


def _read_rows(path: Path, label: str, problems: list[Problem]):
    """Read a CSV file strictly; return (header, [(line, row)]) or None."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(label, None, None, None, "file is missing"))
        return None
    except UnicodeDecodeError as err:
        problems.append(Problem(label, None, None, None, f"is not valid UTF-8 text ({err.reason} at byte {err.start})"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = next(reader, None)
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as err:
        problems.append(Problem(label, reader.line_num, None, None, f"is not well-formed CSV ({err}); check quotes on this line"))
        return None
    if header is None:
        problems.append(Problem(label, None, None, None, "file is empty"))
        return None
    return header, rows


def validate_table(resource: dict, data_dir: Path, cutoff: dt.date | None):
    """Validate one resource. Return (problems, typed records)."""
    label = f"data/{resource['path']}"
    problems: list[Problem] = []
    read = _read_rows(data_dir / resource["path"], label, problems)
    if read is None:
        return problems, []
    header, rows = read
    fields = resource["schema"]["fields"]
    expected = [f["name"] for f in fields]
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    for name in missing:
        problems.append(Problem(label, 1, name, None, "column is missing from the header"))
    for name in extra:
        problems.append(Problem(label, 1, name, None, "column is not in the schema (datapackage.json)"))
    if len(set(header)) != len(header):
        problems.append(Problem(label, 1, None, None, "header repeats a column name"))
    if missing or extra:
        return problems, []
    records = []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(label, line, None, None, f"has {len(row)} cells where the header has {len(header)}"))
            continue
        record = {}
        for field in fields:
            raw = row[header.index(field["name"])]
            if raw != raw.strip():
                problems.append(Problem(label, line, field["name"], raw, "has leading or trailing spaces"))
                continue
            if raw == "":
                if field.get("constraints", {}).get("required"):
                    problems.append(Problem(label, line, field["name"], raw, "is required and empty"))
                record[field["name"]] = None
                continue
            rule = _check_cell(field, raw, cutoff)
            if rule:
                problems.append(Problem(label, line, field["name"], raw, rule))
                record[field["name"]] = None
            else:
                record[field["name"]] = _convert(field, raw)
        records.append((line, record))
    key = resource["schema"].get("primaryKey")
    if key:
        seen: dict[tuple, int] = {}
        for line, record in records:
            value = tuple(record.get(k) for k in key)
            if None in value:
                continue
            if value in seen:
                problems.append(Problem(label, line, ", ".join(key), " / ".join(map(str, value)),
                                        f"duplicates the key of line {seen[value]} (each {' + '.join(key)} must be unique)"))
            else:
                seen[value] = line
    problems += _check_periods(resource, label, records)
    return problems, records


def _check_periods(resource: dict, label: str, records: list[tuple[int, dict]]) -> list[Problem]:
    """``x-periods``: spans of years within a group must be ordered and must not overlap."""
    rule = resource["schema"].get("x-periods")
    if not rule:
        return []
    problems = []
    spans: dict[tuple, list[tuple[int, int, int]]] = {}
    for line, record in records:
        first, last = record.get(rule["first"]), record.get(rule["last"])
        if first is None or last is None:
            continue
        if first > last:
            problems.append(Problem(label, line, rule["last"], str(last), f"is before {rule['first']} ({first})"))
            continue
        group = tuple(record.get(g) for g in rule["group"])
        for other_line, other_first, other_last in spans.get(group, []):
            if first <= other_last and other_first <= last:
                problems.append(Problem(label, line, f"{rule['first']}, {rule['last']}", f"{first}-{last}",
                                        f"overlaps the years {other_first}-{other_last} of line {other_line} for the same {' + '.join(rule['group'])}"))
        spans.setdefault(group, []).append((line, first, last))
    return problems


def validate_package(data_dir: Path = DATA_DIR) -> dict[str, list[dict]]:
    """Validate every table; return typed records by table or raise DataValidationError."""
    descriptor = read_descriptor(data_dir)
    cutoff_text = descriptor.get("x-data-cutoff")
    cutoff = parse_partial_date(cutoff_text) if cutoff_text else None
    problems: list[Problem] = []
    tables: dict[str, list[tuple[int, dict]]] = {}
    for resource in descriptor["resources"]:
        found, records = validate_table(resource, data_dir, cutoff)
        problems += found
        tables[resource["name"]] = records
    paths = {r["name"]: r["path"] for r in descriptor["resources"]}
    for resource in descriptor["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            known = {tuple(r.get(f) for f in fk["reference"]["fields"]) for _, r in tables.get(target, [])}
            for line, record in tables[resource["name"]]:
                value = tuple(record.get(f) for f in fk["fields"])
                if None not in value and value not in known:
                    problems.append(Problem(f"data/{resource['path']}", line, ", ".join(fk["fields"]),
                                            " / ".join(map(str, value)),
                                            f"refers to an entry that does not exist in data/{paths[target]}"))
    if problems:
        raise DataValidationError(problems)
    return {name: [r for _, r in records] for name, records in tables.items()}
