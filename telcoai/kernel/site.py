"""Where things are on the published site, and links to them from chapter output.

The layout of the site's downloads is stated once here; the build side writes
the files there and the kernel side links to them. Chapter code does not know
where a page or file ends up relative to the page that shows it: it writes a
site address (``page("chapters/fact-check", "claim-x")``, ``file(DATASETS,
"financials.csv")``) and the build resolves each one, from Sphinx's own paths,
into a link relative to the page (``telcoai.build.sphinx_ext.resolve_site_links``);
a link to a page that does not exist fails the build.
"""

from __future__ import annotations

import posixpath

#: The data package: every table, the descriptor, and a zip of both.
DATASETS = "downloads/data"
#: Each chart's data, images and spec, and each chapter table as CSV.
FIGURES = "downloads/figures"
TABLES = "downloads/tables"
#: Citation exports (BibTeX, RIS, CSL-JSON) of the report, its datasets and figures.
CITATIONS = "downloads/cite"
#: The data changes since the previous edition, one line per change.
DATA_CHANGES = "downloads/data-changes.csv"
#: The PDF edition.
PDF = "downloads/telcos-and-ai-factories.pdf"
#: The class of the script element that carries a chapter table's rows as CSV in its page
#: (``telcoai.kernel.display.table_html``); the build writes the table's download from it.
CSV_BLOCK = "telcoai-table-csv"

#: Pages other pages and the citations point to, by document name; the build fails if one is not a page
#: of the book, or if Sphinx would not write it at ``<name>.html`` (``telcoai.build.sphinx_ext.check_pages``).
HOW_TO_CITE = "chapters/how-to-cite"
DATA_AND_METHODS = "chapters/data-and-methods"
FACT_CHECK = "chapters/fact-check"
NAMED_PAGES = (HOW_TO_CITE, DATA_AND_METHODS, FACT_CHECK)

PAGE_SCHEME = "telcoai-page:"
FILE_SCHEME = "telcoai-file:"


def page(docname: str, anchor: str | None = None) -> str:
    """A link to another page of the report (by its document name), resolved by the build."""
    return f"{PAGE_SCHEME}{docname}" + (f"#{anchor}" if anchor else "")


def file(*parts: str) -> str:
    """A link to a file of the built site (a path from the site's root), resolved by the build."""
    return FILE_SCHEME + posixpath.join(*parts)


def page_address(docname: str, anchor: str | None = None, meta: dict | None = None) -> str:
    """The published address of a page of the report (Sphinx writes a document at ``<name>.html``)."""
    return address(f"{docname}.html" + (f"#{anchor}" if anchor else ""), meta)


def address(path: str = "", meta: dict | None = None) -> str:
    """The published site's address (``url`` in CITATION.cff), followed by `path`."""
    from telcoai.kernel.citation import absolute

    return absolute(path, meta)
