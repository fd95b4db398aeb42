"""Helpers shared by the chapters of "Telcos and AI factories".

Data flows one way: sourced CSV tables in ``data/`` -> :mod:`telcoai.tables`
(validated, typed) -> analysis modules -> :mod:`telcoai.charts` -> chapters.
"""

from telcoai.tables import load  # noqa: F401

__all__ = ["load", "setup"]


def setup() -> None:
    """Prepare a chapter's kernel: chart theme and the site's offline renderer."""
    from telcoai import charts

    charts.enable()
