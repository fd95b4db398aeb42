"""The one place to read a category's labels and display order: beside its field in datapackage.json.

A field with an ``enum`` constraint lists its values in display order; its
``x-labels`` give each value's label for charts, tables and prose.
"""

from __future__ import annotations

from telcoai.kernel.tables import schema


def labels(table: str, field: str) -> dict[str, str]:
    """Value -> label for a categorical field, in the field's display order."""
    spec = next(f for f in schema(table)["schema"]["fields"] if f["name"] == field)
    values = spec.get("constraints", {}).get("enum", [])
    names = spec.get("x-labels", {})
    return {value: names.get(value, value.replace("_", " ").capitalize()) for value in values}


def order(table: str, field: str) -> list[str]:
    """The values of a categorical field in display order."""
    return list(labels(table, field))


def label(table: str, field: str, value: str) -> str:
    return labels(table, field)[value]


def members(table: str, field: str, group: str) -> set[str]:
    """The values a field's ``x-<group>`` list names (for example the refreshes among the architectures)."""
    spec = next(f for f in schema(table)["schema"]["fields"] if f["name"] == field)
    return set(spec.get(f"x-{group}", []))
