"""The one way to load a table: validated against the data package, then typed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from telcoai.validate import DATA_DIR, read_descriptor, validate_package

PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}


@lru_cache(maxsize=4)
def _package(data_dir: Path) -> tuple[dict, dict[str, list[dict]]]:
    return read_descriptor(data_dir), validate_package(data_dir)


def clear_cache() -> None:
    _package.cache_clear()


def schema(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The datapackage resource for table `name`."""
    descriptor = read_descriptor(data_dir)
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no table named {name!r} in data/datapackage.json")


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return table `name` as a typed DataFrame.

    The whole package is validated first, so a chapter never sees a table that
    breaks its schema or a dangling reference between tables.
    """
    descriptor, tables = _package(Path(data_dir))
    resource = next((r for r in descriptor["resources"] if r["name"] == name), None)
    if resource is None:
        raise KeyError(f"no table named {name!r} in data/datapackage.json")
    fields = resource["schema"]["fields"]
    frame = pd.DataFrame(tables[name], columns=[f["name"] for f in fields])
    return frame.astype({f["name"]: PANDAS_TYPES[f.get("type", "string")] for f in fields})


def cutoff_date(data_dir: Path = DATA_DIR) -> str:
    """The data cut-off date declared in the data package."""
    return read_descriptor(data_dir)["x-data-cutoff"]


def data_version(data_dir: Path = DATA_DIR) -> str:
    return read_descriptor(data_dir)["version"]
