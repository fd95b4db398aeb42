"""Which tables each analysis function reads.

The build uses this to know which chapters depend on which data files, so that
a change to one table re-executes only the chapters that read it.
"""

from __future__ import annotations

from typing import Callable

#: Declares that a function reads every table of the package.
ALL_TABLES = "*"

#: function name -> names of the tables (datapackage resources) it reads
READS: dict[str, frozenset[str]] = {}


def reads(*tables: str) -> Callable:
    """Declare the tables a public analysis function reads."""

    def mark(func: Callable) -> Callable:
        READS[func.__name__] = frozenset(tables)
        return func

    return mark
