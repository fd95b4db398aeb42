"""The package behind "Telcos and AI factories", in two sides.

* :mod:`telcoai.kernel`: what the chapters run. Data flows one way: sourced
  CSV tables in ``data/`` -> :mod:`telcoai.kernel.tables` (validated, typed)
  -> analysis and :mod:`telcoai.kernel.findings` -> :mod:`telcoai.kernel.charts`
  -> chapters. Only these modules can be a chapter's inputs.
* :mod:`telcoai.build`: what turns the executed chapters into the site (the
  Sphinx extension, lineage, downloads, PDF, bibliography, publishing).
"""

from telcoai.build import lineage

# Before anything reads a file: the build learns what this chapter used.
lineage.start()

__all__ = ["load", "setup"]


def __getattr__(name: str):
    # telcoai.load, imported when first used: the build's own commands (publishing, the change summary)
    # import this package without pandas.
    if name == "load":
        from telcoai.kernel.tables import load

        return load
    raise AttributeError(f"module 'telcoai' has no attribute {name!r}")


def setup() -> None:
    """Prepare a chapter's kernel: chart theme and the site's offline renderer."""
    from telcoai.kernel import charts

    charts.enable()
