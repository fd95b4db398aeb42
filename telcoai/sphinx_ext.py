"""Sphinx extension: data lineage for incremental builds, and the edition line.

* Each chapter that runs code is made to depend on the data files it reads
  (found from the table names and analysis functions its code names) and on
  the helper package's source. Sphinx re-reads, and MyST-NB re-executes, a
  chapter when one of those files changes, and only then. This is what keeps
  prose numbers and charts from going stale after a data edit.
* The version and release date come from ``CITATION.cff`` and the data
  version and cut-off from ``data/datapackage.json``; they are shown in every
  page's footer.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import yaml

import telcoai
from telcoai import lineage
from telcoai.validate import read_descriptor

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(telcoai.__file__).resolve().parent
#: Modules whose functions declare the tables they read (telcoai.lineage.reads).
ANALYSIS_MODULES = ["telcoai.capex", "telcoai.partnerships", "telcoai.datadoc", "telcoai.claims", "telcoai.risks", "telcoai.scenarios", "telcoai.context"]
CODE_CELL = re.compile(r"^```\{code-cell\}", re.MULTILINE)


def edition() -> dict:
    """Version, release date, data version and cut-off, each from its one place."""
    with open(ROOT / "CITATION.cff", encoding="utf-8") as handle:
        citation = yaml.safe_load(handle)
    descriptor = read_descriptor()
    return {
        "version": str(citation["version"]),
        "date_released": str(citation["date-released"]),
        "data_version": descriptor["version"],
        "data_cutoff": descriptor["x-data-cutoff"],
        "title": citation["title"],
    }


def tables_read_by(source: str) -> set[str]:
    """Tables a chapter's source reads: named directly or through an analysis function."""
    for module in ANALYSIS_MODULES:
        importlib.import_module(module)

    table_names = {r["name"] for r in read_descriptor()["resources"]}
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source))
    found = {name for name in table_names if f'"{name}"' in source or f"'{name}'" in source}
    for function, tables in lineage.READS.items():
        if function in words:
            found |= table_names if lineage.ALL_TABLES in tables else tables
    return found


def note_data_dependencies(app, docname: str, source: list[str]) -> None:
    env = app.env
    # Every page depends on the helper package (this extension shapes every page).
    for module in sorted(PACKAGE_DIR.glob("*.py")):
        env.note_dependency(str(module))
    text = source[0]
    if not CODE_CELL.search(text):
        return
    paths = {r["name"]: r["path"] for r in read_descriptor()["resources"]}
    data_dir = ROOT / "data"
    env.note_dependency(str(data_dir / "datapackage.json"))
    for table in sorted(tables_read_by(text)):
        env.note_dependency(str(data_dir / paths[table]))


def add_edition_footer(app, config) -> None:
    info = edition()
    config.html_context = dict(config.html_context or {}, edition=info)
    footer = (
        f'<p class="telcoai-edition">Version {info["version"]} ({info["date_released"]}) · '
        f'data version {info["data_version"]}, cut-off {info["data_cutoff"]} · '
        'text and data <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>, '
        'code MIT</p>'
    )
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (options.get("extra_footer") or "") + footer
    config.html_theme_options = options


def drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    """Remove sphinx-thebe's assets, which Jupyter Book always adds.

    The report offers no live code, and the assets declare a CDN address and,
    added twice, raise a script error on every page.
    """
    def keep(asset) -> bool:
        name = str(asset)
        body = getattr(asset, "attributes", {}).get("body", "") or ""
        return "thebe" not in name.lower() and "THEBE" not in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if keep(asset)]


def fix_citation_list_role(app, pagename, templatename, context, doctree) -> None:
    """Drop docutils' role="list" on the bibliography, whose entries are not list items.

    With it, screen readers announce a list with no items (axe: aria-required-children).
    """
    if "body" in context:
        context["body"] = context["body"].replace('<div role="list" class="citation-list">', '<div class="citation-list">')


def number_tables(app, pagename, templatename, context, doctree) -> None:
    """Number the chapter tables like the figures: 'Table 2.1', 'Table 2.2', ... in page order."""
    body = context.get("body") or ""
    marker = '<span class="caption-number">Table </span>'
    if marker not in body:
        return
    section = (getattr(app.env, "toc_secnumbers", {}).get(pagename) or {}).get("") or ()
    prefix = "".join(f"{n}." for n in section)
    parts = body.split(marker)
    context["body"] = parts[0] + "".join(
        f'<span class="caption-number">Table {prefix}{i} </span>' + part for i, part in enumerate(parts[1:], 1))


def record_page(app, pagename, templatename, context, doctree) -> None:
    app.env.telcoai_written = getattr(app.env, "telcoai_written", set()) | {pagename}


def make_downloads(app, exception) -> None:
    """Figure downloads for the pages written in this build, and the datasets for every build."""
    if exception is not None or app.builder.format != "html":
        return
    from telcoai import downloads

    outdir = Path(app.outdir)
    written = sorted(getattr(app.env, "telcoai_written", set()))
    for pagename in written:
        page = outdir / f"{pagename}.html"
        if page.exists():
            remove_icon_script(page)
            downloads.add_figure_downloads(page, outdir)
    app.env.telcoai_written = set()
    downloads.copy_datasets(ROOT / "data", outdir, read_descriptor()["name"])
    refresh_static_files(outdir)
    from telcoai import pdf

    if written or not (outdir / "downloads" / pdf.PDF_NAME).exists():
        pdf.build_pdf(outdir, toc_pages(), edition())


def toc_pages() -> list[str]:
    """Every document of _toc.yml in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return pages


DOUBLED_TITLE = re.compile(r"<title>(?P<t>[^<]+?) (?:&#8212;|—) (?P=t)</title>")
SEARCH_FIELD_LABEL = re.compile(r'(<button class="[^"]*search-button-field[^"]*"[^>]*?) aria-label="Search"')


def remove_icon_script(page: Path) -> None:
    """Drop the theme's icon script (see below), the doubled tab title of the front page, and the
    search field's aria-label, which hides its visible text ("Search Ctrl+K") from its name.

    The front page's heading is the book's title, so the browser tab reads it once.
    """
    text = page.read_text(encoding="utf-8")
    fixed = DOUBLED_TITLE.sub(lambda m: f"<title>{m.group('t')}</title>", strip_icon_script(text))
    fixed = SEARCH_FIELD_LABEL.sub(r"\1", fixed)
    if fixed != text:
        page.write_text(fixed, encoding="utf-8")


ICON_SCRIPT = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


def strip_icon_script(text: str) -> str:
    """Drop the theme's JavaScript icon build, which its template writes into every page.

    The vendored CSS and web-font build (_static/vendor/fontawesome) draws the
    same icons; the 1.5 MB script only delayed the charts.
    """
    return ICON_SCRIPT.sub("", text)


def refresh_static_files(outdir: Path) -> None:
    """Copy changed files of _static/ to the site.

    Sphinx copies static files only when some page is rebuilt, so an edit to the
    chart script or the stylesheet alone would otherwise not reach the site.
    """
    import filecmp
    import shutil

    source = ROOT / "_static"
    for path in source.rglob("*"):
        if path.is_file():
            target = outdir / "_static" / path.relative_to(source)
            if not target.exists() or not filecmp.cmp(path, target, shallow=False):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def write_data_bibliography(app, config) -> None:
    from telcoai import bibliography

    bibliography.write(ROOT)


def dedupe_static_assets(app, config) -> None:
    """Keep one include per script and stylesheet, the first one listed.

    Jupyter Book adds every .js and .css file under _static as a plain include,
    after the ones _config.yml lists with attributes (defer); without this the
    chart scripts would also load a second time, undeferred.
    """
    for key in ("html_js_files", "html_css_files"):
        seen, kept = set(), []
        for entry in getattr(config, key, []) or []:
            name = entry if isinstance(entry, str) else entry[0]
            if name not in seen:
                seen.add(name)
                kept.append(entry)
        setattr(config, key, kept)


def setup(app):
    app.connect("config-inited", dedupe_static_assets, priority=100)
    app.connect("config-inited", write_data_bibliography, priority=100)
    app.connect("html-page-context", record_page)
    app.connect("html-page-context", fix_citation_list_role)
    app.connect("html-page-context", number_tables)
    app.connect("build-finished", make_downloads)
    app.connect("html-page-context", drop_thebe_assets, priority=900)
    app.connect("config-inited", add_edition_footer)
    app.connect("source-read", note_data_dependencies)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
