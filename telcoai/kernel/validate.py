"""Validate the CSV tables in ``data/`` against ``data/datapackage.json``.

The standard Table Schema rules (types, required, enum, pattern, minimum,
maximum, maxLength, primary and foreign keys) are checked by frictionless-py,
the reference implementation, so ``frictionless validate data/datapackage.json``
and this module agree. Beside it run the project's own rules, declared in the
descriptor:

* ``x-partial-date`` fields hold ISO dates (``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``) that must exist in the calendar and must not fall after the
  package's ``x-data-cutoff``;
* ``x-year-not-after-cutoff``: a year is not later than the cut-off's year;
* ``x-periods``: spans of years within a group are ordered and do not overlap
  (an empty last year means the span is open: it runs to the latest figure);
* ``x-source-policy``: no source URL may point to a refused domain (the list is
  a table of the package), and a source labelled ``primary`` must be on a
  host of its issuer (``issuer_hosts``);
* ``x-status-evidence``: an event that sets a status (live, delayed,
  cancelled) rests on a primary source or on two sources;
* no cell has leading or trailing spaces; text never contains ``<`` or ``>``
  (declared as a pattern), so nothing from the data becomes markup.

Files are read as people save them: a UTF-8 byte-order mark and Windows line
ends are accepted; semicolons between columns, decimal commas and thousands
separators are refused with a message that says how to fix them.

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
from urllib.parse import urlsplit

from telcoai.kernel.paths import DATA_DIR

#: How a source with no stated publication date is recorded.
NO_DATE = "n.d."
MARKUP_PATTERN = "^[^<>]*$"


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
    with open(Path(data_dir) / "datapackage.json", encoding="utf-8") as handle:
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


# --- reading files as spreadsheets save them ---------------------------------

@dataclass
class RawTable:
    label: str
    header: list[str]
    rows: list[list[str]]   # data rows, blank rows dropped
    lines: list[int]        # the file line on which each row ends


def read_raw(path: Path, label: str, problems: list[Problem]) -> RawTable | None:
    """Read a CSV file strictly; record why it cannot be read, or return its cells."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(label, None, None, None, "file is missing"))
        return None
    try:
        text = data.decode("utf-8-sig")   # a spreadsheet's byte-order mark is harmless
    except UnicodeDecodeError as err:
        problems.append(Problem(label, None, None, None,
                                f"is not UTF-8 text ({err.reason} at byte {err.start}); save it as 'CSV UTF-8'"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    try:
        header = next(reader, None)
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                lines.append(reader.line_num)
    except csv.Error as err:
        problems.append(Problem(label, reader.line_num, None, None, f"is not well-formed CSV ({err}); check quotes on this line"))
        return None
    if header is None:
        problems.append(Problem(label, None, None, None, "file is empty"))
        return None
    if len(header) == 1 and ";" in header[0]:
        problems.append(Problem(label, 1, None, None,
                                "columns are separated by semicolons; save the file as comma-separated CSV "
                                "(in a spreadsheet: 'CSV UTF-8 (comma delimited)')"))
        return None
    return RawTable(label, header, rows, lines)


# --- turning frictionless's findings into sentences --------------------------

DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
THOUSANDS = re.compile(r"[+-]?\d{1,3}([,. \u00a0']\d{3})+(\.\d+)?")


def _type_rule(field: dict, value: str) -> str:
    kind = field.get("type", "string")
    if kind in ("number", "integer"):
        if THOUSANDS.fullmatch(value):
            return "has a thousands separator; write the number without one (3963, not 3,963)"
        if DECIMAL_COMMA.fullmatch(value):
            return "has a decimal comma; write numbers with a decimal point (3.5, not 3,5)"
        if kind == "integer":
            return "must be a whole number (type integer)"
        return "must be a number written with a decimal point and no thousands separator (type number)"
    if kind == "boolean":
        return "must be true or false (type boolean)"
    return f"is not a valid {kind}"


def _constraint_rule(field: dict, note: str) -> str:
    cons = field.get("constraints", {})
    name = re.search(r'constraint "(\w+)"', note or "")
    name = name.group(1) if name else ""
    if name == "required":
        return "is required and empty"
    if name == "enum":
        return "is not one of the allowed values: " + ", ".join(map(str, cons["enum"]))
    if name == "pattern":
        if cons.get("pattern") == MARKUP_PATTERN:
            return "must not contain '<' or '>' (text may not carry HTML or script)"
        return f"does not match the expected form (pattern {cons.get('pattern')})"
    if name == "maxLength":
        return f"is longer than {cons['maxLength']} characters"
    if name == "minimum":
        return f"is below the minimum of {cons['minimum']}"
    if name == "maximum":
        return f"is above the maximum of {cons['maximum']}"
    return f"breaks the constraint {name or note}"


def _header_problems(resource: dict, raw: RawTable) -> list[Problem]:
    expected = [f["name"] for f in resource["schema"]["fields"]]
    found = [Problem(raw.label, 1, name, None, "column is missing from the header") for name in expected if name not in raw.header]
    found += [Problem(raw.label, 1, name, None, "column is not in the schema (datapackage.json)")
              for name in raw.header if name not in expected]
    if len(set(raw.header)) != len(raw.header):
        found.append(Problem(raw.label, 1, None, None, "header repeats a column name"))
    if not found and raw.header != expected:
        found.append(Problem(raw.label, 1, None, None, "columns are not in the order of the schema: " + ", ".join(expected)))
    return found


def _without_keys_to(resource: dict, present: set[str]) -> dict:
    """The resource without foreign keys to tables that could not be read (they are reported already)."""
    keys = resource["schema"].get("foreignKeys", [])
    kept = [k for k in keys if k["reference"]["resource"] in present]
    if len(kept) == len(keys):
        return resource
    return {**resource, "schema": {**resource["schema"], "foreignKeys": kept}}


def _standard_problems(resources: list[dict], raws: dict[str, RawTable]) -> list[Problem]:
    """Run frictionless-py on the tables read; return its errors as Problems."""
    from frictionless import Package, Resource, Schema

    package = Package(resources=[
        Resource(name=r["name"], data=[raws[r["name"]].header] + raws[r["name"]].rows,
                 schema=Schema.from_descriptor(r["schema"]))
        for r in resources
    ])
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in resources}
    paths = {r["name"]: r["path"] for r in resources}
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in resources}
    found = []
    for task in package.validate().tasks:
        raw = raws[task.name]
        for error in task.errors:
            row = getattr(error, "row_number", None)
            line = raw.lines[row - 2] if row and 2 <= row < len(raw.lines) + 2 else (1 if row is None else None)
            column = getattr(error, "field_name", None) or getattr(error, "label", None)
            cell = getattr(error, "cell", None)
            field = fields[task.name].get(column or "", {})
            kind = error.type
            if kind == "type-error":
                rule = _type_rule(field, cell)
            elif kind == "constraint-error":
                rule = _constraint_rule(field, error.note)
            elif kind == "foreign-key":
                column = ", ".join(error.field_names)
                cell = " / ".join(map(str, error.field_cells))
                target = error.reference_name or task.name
                rule = f"refers to an entry that does not exist in data/{paths.get(target, target)}"
            elif kind in ("primary-key", "unique-error"):
                key = keys[task.name] if kind == "primary-key" else [column]
                column = ", ".join(key)
                index = [raw.header.index(k) for k in key if k in raw.header]
                values = [raw.rows[row - 2][i] for i in index]
                first = next(n for n, r in zip(raw.lines, raw.rows) if [r[i] for i in index] == values)
                cell = " / ".join(values)
                rule = f"duplicates the key of line {first} (each {' + '.join(key)} must be unique)"
            elif kind == "missing-label":
                rule, cell = "column is missing from the header", None
            elif kind == "extra-label":
                rule, cell = "column is not in the schema (datapackage.json)", None
            elif kind in ("duplicate-label", "blank-label", "incorrect-label"):
                rule, cell = f"header problem ({error.note}); the header must list the schema's columns in order", None
            elif kind in ("extra-cell", "missing-cell"):
                cells = len(raw.rows[row - 2]) if row else None
                rule = (f"has {cells} cells where the header has {len(raw.header)} "
                        "(an unquoted comma, such as a decimal comma or a thousands separator, splits a cell in two)")
                column, cell = None, None
            else:
                rule = f"{error.title}: {error.note}"
            found.append(Problem(raw.label, line, column, cell, rule))
    return found


# --- the project's own rules ------------------------------------------------

def _own_cell_problems(resource: dict, raw: RawTable, cutoff: dt.date | None) -> list[Problem]:
    problems = []
    header = raw.header
    for field in resource["schema"]["fields"]:
        if field["name"] not in header:
            continue
        index = header.index(field["name"])
        for line, row in zip(raw.lines, raw.rows):
            if index >= len(row):
                continue
            value = row[index]
            if value != value.strip():
                problems.append(Problem(raw.label, line, field["name"], value, "has leading or trailing spaces"))
                continue
            if field.get("x-year-not-after-cutoff") and cutoff is not None and value.isdigit() and int(value) > cutoff.year:
                problems.append(Problem(raw.label, line, field["name"], value,
                                        f"is after the year of the data cut-off ({cutoff.year})"))
                continue
            if field.get("x-partial-date") and value and value != NO_DATE:
                if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
                    continue   # the field's pattern reports the form
                try:
                    day = parse_partial_date(value)
                except ValueError:
                    problems.append(Problem(raw.label, line, field["name"], value, "is not a real calendar date"))
                    continue
                if cutoff is not None and day > cutoff:
                    problems.append(Problem(raw.label, line, field["name"], value,
                                            f"is after the data cut-off date {cutoff.isoformat()}"))
    return problems


def _period_problems(resource: dict, raw: RawTable) -> list[Problem]:
    """``x-periods``: spans of years within a group must be ordered and must not overlap."""
    rule = resource["schema"].get("x-periods")
    if not rule or not all(c in raw.header for c in [rule["first"], rule["last"], *rule["group"]]):
        return []
    col = {name: raw.header.index(name) for name in [rule["first"], rule["last"], *rule["group"]]}
    problems = []
    spans: dict[tuple, list[tuple[int, int, int]]] = {}
    for line, row in zip(raw.lines, raw.rows):
        try:
            first = int(row[col[rule["first"]]])
            last = int(row[col[rule["last"]]]) if row[col[rule["last"]]] else 10_000
        except (ValueError, IndexError):
            continue
        if first > last:
            problems.append(Problem(raw.label, line, rule["last"], str(last), f"is before {rule['first']} ({first})"))
            continue
        group = tuple(row[col[g]] for g in rule["group"])
        for other_line, other_first, other_last in spans.get(group, []):
            if first <= other_last and other_first <= last:
                shown = lambda a, b: f"{a}-{b}" if b < 10_000 else f"{a} onwards"   # noqa: E731
                problems.append(Problem(raw.label, line, f"{rule['first']}, {rule['last']}", shown(first, last),
                                        f"overlaps the years {shown(other_first, other_last)} of line {other_line} "
                                        f"for the same {' + '.join(rule['group'])}"))
        spans.setdefault(group, []).append((line, first, last))
    return problems


def _gap_problems(resource: dict, raws: dict[str, RawTable]) -> list[Problem]:
    """``x-stated-gaps``: every year inside a span with no figure for its series is listed, and only those.

    A span with no last year runs to the series' latest figure.
    """
    rule = resource["schema"].get("x-stated-gaps")
    raw = raws.get(resource["name"])
    figures = raws.get(rule["figures"]) if rule else None
    match, year_field = (rule["match"], rule["year"]) if rule else ([], "")
    if raw is None or figures is None or not all(c in figures.header for c in [*match, year_field]) \
            or not all(c in raw.header for c in [*match, rule["first"], rule["last"], rule["field"]]):
        return []
    have: dict[tuple, set[int]] = {}
    where = [figures.header.index(c) for c in match]
    year_at = figures.header.index(year_field)
    for row in figures.rows:
        try:
            have.setdefault(tuple(row[i] for i in where), set()).add(int(row[year_at]))
        except (ValueError, IndexError):
            continue   # reported by the standard checks
    col = {name: raw.header.index(name) for name in [*match, rule["first"], rule["last"], rule["field"]]}
    problems = []
    for line, row in zip(raw.lines, raw.rows):
        try:
            years = have.get(tuple(row[col[c]] for c in match), set())
            first = int(row[col[rule["first"]]])
            last = int(row[col[rule["last"]]]) if row[col[rule["last"]]] else max(years, default=first)
            stated = {int(y) for y in row[col[rule["field"]]].split("; ")} if row[col[rule["field"]]] else set()
        except (ValueError, IndexError):
            continue   # a malformed year or list is reported by the standard checks
        holes = set(range(first, last + 1)) - years
        shown = row[col[rule["field"]]]
        series = " / ".join(row[col[c]] for c in match)
        if holes - stated:
            problems.append(Problem(raw.label, line, rule["field"], shown,
                                    f"data/{rule['figures']}.csv has no figure for {series} in "
                                    f"{', '.join(map(str, sorted(holes - stated)))}, inside this span: add the year(s) "
                                    f"here, separated by '; ', and say why in the reason"))
        if stated - holes:
            problems.append(Problem(raw.label, line, rule["field"], shown,
                                    f"lists {', '.join(map(str, sorted(stated - holes)))} as a gap, but "
                                    f"data/{rule['figures']}.csv has a figure for {series} then, or the year is "
                                    f"outside the span {first}-{last}: remove it"))
    return problems


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def on_domain(host: str, domain: str) -> bool:
    domain = domain.lower().removeprefix("www.")
    return host == domain or host.endswith("." + domain)


def _source_problems(descriptor: dict, resource: dict, raw: RawTable, raws: dict[str, RawTable]) -> list[Problem]:
    """``x-source-policy``: refused domains, and primary sources on their issuer's host."""
    policy = descriptor.get("x-source-policy")
    if not policy or resource["name"] in (policy["refused"], policy["issuers"]):
        return []
    refused_table, issuer_table = raws.get(policy["refused"]), raws.get(policy["issuers"])
    refused = [] if refused_table is None else [
        (row[refused_table.header.index("domain")], row[refused_table.header.index("reason")]) for row in refused_table.rows]
    issuers: dict[str, list[str]] = {}
    if issuer_table is not None:
        for row in issuer_table.rows:
            issuers.setdefault(row[issuer_table.header.index("publisher")], []).append(row[issuer_table.header.index("host")])
    problems = []
    for prefix in policy["prefixes"]:
        names = [f"{prefix}_url", f"{prefix}_type", f"{prefix}_publisher"]
        if not all(n in raw.header for n in names):
            continue
        url_i, type_i, pub_i = (raw.header.index(n) for n in names)
        for line, row in zip(raw.lines, raw.rows):
            if max(url_i, type_i, pub_i) >= len(row) or not row[url_i]:
                continue
            host = host_of(row[url_i])
            bad = next((reason for domain, reason in refused if on_domain(host, domain)), None)
            if bad is not None:
                problems.append(Problem(raw.label, line, names[0], row[url_i],
                                        f"cites a refused source ({host}: {bad}); replace it with the issuer's own "
                                        "release or a named publication"))
                continue
            if row[type_i] == "primary":
                hosts = issuers.get(row[pub_i])
                if hosts is None:
                    problems.append(Problem(raw.label, line, names[2], row[pub_i],
                                            "is labelled primary but is not an issuer listed in data/issuer_hosts.csv; "
                                            "add the issuer and its host, or label the source 'mirror' or 'press'"))
                elif not any(on_domain(host, h) for h in hosts):
                    problems.append(Problem(raw.label, line, names[0], row[url_i],
                                            f"is labelled primary but {host} is not a host of {row[pub_i]} "
                                            f"({', '.join(hosts)}); label a copy on another host 'mirror'"))
    return problems


def _evidence_problems(resource: dict, raw: RawTable) -> list[Problem]:
    """``x-status-evidence``: an event that sets a status rests on a primary source or on two sources."""
    rule = resource["schema"].get("x-status-evidence")
    names = [rule and rule["field"], "source_type", "source2_url"]
    if not rule or not all(n in raw.header for n in names):
        return []
    field_i, type_i, second_i = (raw.header.index(n) for n in names)
    problems = []
    for line, row in zip(raw.lines, raw.rows):
        if max(field_i, type_i, second_i) >= len(row):
            continue
        if row[field_i] in rule["values"] and row[type_i] != "primary" and not row[second_i]:
            problems.append(Problem(raw.label, line, "source2_url", "",
                                    f"an event '{row[field_i]}' sets a project's status, so it needs a primary source "
                                    "or a second, independent source in the source2_ columns"))
    return problems


def _latest_event_problems(descriptor: dict, raws: dict[str, RawTable]) -> list[Problem]:
    """``x-latest-event``: the package states the date of its latest recorded event, and it must be right."""
    rule = descriptor.get("x-latest-event")
    raw = raws.get(rule["table"]) if rule else None
    if raw is None or rule["field"] not in raw.header:
        return []
    index = raw.header.index(rule["field"])
    dates = [row[index] for row in raw.rows if index < len(row) and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row[index])]
    real = []
    for text in dates:
        try:
            real.append((parse_partial_date(text), len(text), text))
        except ValueError:
            continue   # reported as not a real calendar date
    latest = max(real)[2] if real else None
    if latest is not None and latest != rule["date"]:
        return [Problem("data/datapackage.json", None, "x-latest-event", rule["date"],
                        f"the latest event in {raw.label} is dated {latest}; set x-latest-event's date to {latest}")]
    return []


# --- the package ------------------------------------------------------------

def _closure(descriptor: dict, names: set[str]) -> list[dict]:
    """The resources named, the ones their foreign keys point to, and the source-policy tables."""
    by_name = {r["name"]: r for r in descriptor["resources"]}
    policy = descriptor.get("x-source-policy")
    wanted, todo = set(), list(names)
    if policy:
        todo += [policy["refused"], policy["issuers"]]
    while todo:
        name = todo.pop()
        if name in wanted or name not in by_name:
            continue
        wanted.add(name)
        todo += [fk["reference"]["resource"] for fk in by_name[name]["schema"].get("foreignKeys", [])]
        if "x-stated-gaps" in by_name[name]["schema"]:   # its gaps are checked against the figures
            todo.append(by_name[name]["schema"]["x-stated-gaps"]["figures"])
    return [r for r in descriptor["resources"] if r["name"] in wanted]


def check(data_dir: Path = DATA_DIR, tables: set[str] | None = None) -> tuple[list[Problem], dict[str, RawTable]]:
    """Every problem in the package (or in `tables` and what they refer to), and the cells read."""
    data_dir = Path(data_dir)
    descriptor = read_descriptor(data_dir)
    resources = descriptor["resources"] if tables is None else _closure(descriptor, set(tables))
    cutoff_text = descriptor.get("x-data-cutoff")
    cutoff = parse_partial_date(cutoff_text) if cutoff_text else None
    problems: list[Problem] = []
    raws: dict[str, RawTable] = {}
    for resource in resources:
        raw = read_raw(data_dir / resource["path"], f"data/{resource['path']}", problems)
        if raw is not None:
            raws[resource["name"]] = raw
    # A table whose header does not match its schema is reported by its header only:
    # its cells would all be misread.
    for resource in resources:
        raw = raws.get(resource["name"])
        if raw is None:
            continue
        header_problems = _header_problems(resource, raw)
        if header_problems:
            problems += header_problems
            del raws[resource["name"]]
    readable = [_without_keys_to(r, set(raws)) for r in resources if r["name"] in raws]
    own = []
    for resource in readable:
        own += _own_cell_problems(resource, raws[resource["name"]], cutoff)
        own += _period_problems(resource, raws[resource["name"]])
        own += _gap_problems(resource, raws)
        own += _source_problems(descriptor, resource, raws[resource["name"]], raws)
        own += _evidence_problems(resource, raws[resource["name"]])
    standard = _standard_problems(readable, raws) if readable else []
    own += _latest_event_problems(descriptor, raws)
    # One problem per cell: a cell with stray spaces is not also reported as mistyped,
    # and a row with too many or too few cells only as that (its cells are shifted).
    seen = {(p.file, p.line, p.column) for p in own}
    shifted = {(p.file, p.line) for p in standard if p.column is None and "cells where the header has" in p.rule}
    problems += [p for p in own if (p.file, p.line) not in shifted]
    problems += [p for p in standard if ((p.file, p.line, p.column) not in seen or p.column is None)
                 and ((p.file, p.line) not in shifted or p.column is None)]
    order = {f"data/{r['path']}": i for i, r in enumerate(descriptor["resources"])}
    problems.sort(key=lambda p: (order.get(p.file, 99), p.line or 0))
    return problems, raws


def _typed(field: dict, raw: str):
    if raw == "":
        return None
    kind = field.get("type", "string")
    if kind == "integer":
        return int(raw)
    if kind == "number":
        return float(raw)
    if kind == "boolean":
        return raw == "true"
    return raw


def _records(descriptor: dict, raws: dict[str, RawTable]) -> dict[str, list[dict]]:
    out = {}
    for resource in descriptor["resources"]:
        raw = raws.get(resource["name"])
        if raw is None:
            continue
        fields = resource["schema"]["fields"]
        index = [raw.header.index(f["name"]) for f in fields]
        out[resource["name"]] = [{f["name"]: _typed(f, row[i]) for f, i in zip(fields, index)} for row in raw.rows]
    return out


def validate_package(data_dir: Path = DATA_DIR, tables: set[str] | None = None) -> dict[str, list[dict]]:
    """Validate the package (or `tables` and what they refer to); return typed records by table.

    Raises DataValidationError listing every problem found.
    """
    problems, raws = check(data_dir, tables)
    if problems:
        raise DataValidationError(problems)
    return _records(read_descriptor(data_dir), raws)


#: Set by the build to a file of the digests of the data it has just validated.
VALIDATED_ENV = "TELCOAI_VALIDATED"


def digests(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The SHA-256 of every file of the package, by path relative to `data_dir`."""
    import hashlib

    data_dir = Path(data_dir)
    names = ["datapackage.json"] + [r["path"] for r in read_descriptor(data_dir)["resources"]]
    return {name: hashlib.sha256((data_dir / name).read_bytes()).hexdigest() for name in names}


def trusted_records(data_dir: Path, tables: set[str]) -> dict[str, list[dict]] | None:
    """Typed records of `tables` without validating again, if the build validated exactly these files.

    A chapter's kernel reads the tables it needs anyway; when their bytes are
    the ones the build has just validated, checking them again in every
    chapter would only repeat the build's work.
    """
    import hashlib
    import os

    record = os.environ.get(VALIDATED_ENV)
    if not record or not Path(record).exists():
        return None
    known = json.loads(Path(record).read_text(encoding="utf-8"))
    if Path(known.get("data_dir", "")) != Path(data_dir).resolve():
        return None
    descriptor = read_descriptor(data_dir)
    if hashlib.sha256((Path(data_dir) / "datapackage.json").read_bytes()).hexdigest() != known["files"].get("datapackage.json"):
        return None
    raws: dict[str, RawTable] = {}
    for resource in _closure(descriptor, set(tables)):
        path = Path(data_dir) / resource["path"]
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != known["files"].get(resource["path"]):
            return None
        problems: list[Problem] = []
        raw = read_raw(path, f"data/{resource['path']}", problems)
        if raw is None or problems:
            return None
        raws[resource["name"]] = raw
    return _records(descriptor, raws)
