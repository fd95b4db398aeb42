"""The one way to load a table: validated against the data package, then typed."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from telcoai.kernel.paths import DATA_DIR
from telcoai.kernel.validate import read_descriptor, trusted_records, validate_package

if TYPE_CHECKING:
    import pandas as pd

PANDAS_TYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}


@lru_cache(maxsize=32)
def _records(data_dir: Path, name: str) -> list[dict]:
    # Only the table and the tables its foreign keys reach are read, so a
    # chapter's recorded lineage names just what it used.
    trusted = trusted_records(data_dir, {name})
    if trusted is not None:
        return trusted[name]
    return validate_package(data_dir, {name})[name]


def schema(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The datapackage resource for table `name`."""
    for resource in read_descriptor(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"no table named {name!r} in data/datapackage.json")


def records(name: str, data_dir: Path = DATA_DIR) -> list[dict]:
    """Table `name` as typed rows (a missing value is None), validated as :func:`load` validates it.

    For the build side, which reads a few columns and need not import pandas.
    """
    return [dict(row) for row in _records(Path(data_dir), name)]


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return table `name` as a typed DataFrame (a copy of its own: the caller may change it).

    The table and the tables it refers to are validated first, so a chapter
    never sees a table that breaks its schema or a dangling reference.
    """
    return _typed(Path(data_dir), name).copy()


@lru_cache(maxsize=32)
def _typed(data_dir: Path, name: str) -> pd.DataFrame:
    # A chapter loads the same table many times over; it is read and typed once per kernel.
    import pandas as pd

    fields = schema(name, data_dir)["schema"]["fields"]
    frame = pd.DataFrame(_records(data_dir, name), columns=[f["name"] for f in fields])
    return frame.astype({f["name"]: PANDAS_TYPES[f.get("type", "string")] for f in fields})


def cutoff_date(data_dir: Path = DATA_DIR) -> str:
    """The date the sources were last searched, declared in the data package."""
    return read_descriptor(data_dir)["x-data-cutoff"]


def data_version(data_dir: Path = DATA_DIR) -> str:
    return read_descriptor(data_dir)["version"]
