"""Helpers shared by the chapters of "Telcos and AI factories".

Data flows one way: sourced CSV tables in ``data/`` -> :mod:`telcoai.tables`
(validated, typed) -> analysis modules -> :mod:`telcoai.charts` -> chapters.
"""

from telcoai import lineage

# Before anything reads a file: the build learns what this chapter used.
lineage.start()

from telcoai.tables import load  # noqa: E402,F401

__all__ = ["load", "setup"]


def setup() -> None:
    """Prepare a chapter's kernel: chart theme and the site's offline renderer."""
    from telcoai import charts

    charts.enable()
