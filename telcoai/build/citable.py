"""Sphinx hooks that make the report citable: head metadata, exports, editions, one entry per source.

Registered by ``telcoai.build.sphinx_ext.setup``:

* every page's head gets its citation metadata (``telcoai.build.headmeta``);
* the BibTeX, RIS and CSL-JSON exports of the report and of each dataset are
  written to ``downloads/cite/`` (the figures' are written beside their other
  downloads, ``telcoai.build.downloads``);
* ``editions/`` is copied into the site and the row-by-row data changelog is
  written as a CSV download (``telcoai.kernel.editions``);
* citations of data rows that share a source are pointed at that source's
  one bibliography entry (``telcoai.build.bibliography``);
* a chapter that shows editions or the data changelog depends, like every
  chapter, on the files its kernel reads (``telcoai.build.lineage``): the editions'
  files, ``data/changes.csv`` and the tables.
"""

from __future__ import annotations

from pathlib import Path

from telcoai.kernel.paths import ROOT



def one_entry_per_source(app, docname: str, source: list[str]) -> None:
    if "{cite" not in source[0]:
        return
    from telcoai.build import bibliography

    if not hasattr(app.env, "telcoai_cite_aliases"):
        app.env.telcoai_cite_aliases = bibliography.aliases(ROOT)
    source[0] = bibliography.rewrite_citations(source[0], app.env.telcoai_cite_aliases)


def add_head_metadata(app, pagename, templatename, context, doctree) -> None:
    from telcoai.build import headmeta

    headmeta.add_head_metadata(app, pagename, templatename, context, doctree)


def write_exports_and_editions(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from telcoai.kernel import citation, editions
    from telcoai.kernel.validate import read_descriptor

    outdir = Path(app.outdir)
    meta = citation.report_metadata()
    target = outdir / citation.EXPORT_DIR
    citation.write_exports(citation.report_item(meta), target, "telcos-and-ai-factories")
    descriptor = read_descriptor()
    for resource in descriptor["resources"]:
        citation.write_exports(citation.dataset_item(resource["name"], meta, descriptor), target / "data", resource["name"])
    editions.copy_into_site(outdir, ROOT)
    editions.write_changes_download(outdir, ROOT)


def forget_aliases(app, env, added, changed, removed):
    """Recompute the citation aliases once per build (the data may have changed)."""
    if hasattr(env, "telcoai_cite_aliases"):
        del env.telcoai_cite_aliases
    return []


def setup(app) -> None:
    app.connect("env-get-outdated", forget_aliases)
    app.connect("source-read", one_entry_per_source, priority=400)
    app.connect("html-page-context", add_head_metadata)
    app.connect("build-finished", write_exports_and_editions, priority=400)
