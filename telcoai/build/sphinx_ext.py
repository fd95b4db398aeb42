"""Sphinx extension: recorded lineage for incremental builds, and the edition line.

* Each chapter that runs code is executed before Sphinx reads it
  (:mod:`telcoai.build.execute`, several at a time), and its kernel records
  every repository file it reads (:mod:`telcoai.build.lineage`); the chapter is then
  made to depend on exactly those files. Sphinx re-reads, and MyST-NB re-executes, a chapter when
  one of them changes, and only then. Build-side code (this extension,
  downloads, the PDF, the bibliography) is never a chapter's input: a change to
  it re-writes the pages, through a fingerprint in the HTML context, without
  re-executing anything.
* The version and release date come from ``CITATION.cff`` and the data
  version and cut-off from ``data/datapackage.json``; they are shown in every
  page's footer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
from pathlib import Path

import yaml

from telcoai.build import book, lineage
from telcoai.kernel import site as layout
from telcoai.build import downloads, execute, pdf
from telcoai.kernel.paths import ROOT
from telcoai.kernel.validate import read_descriptor

BUILD_DIR = Path(__file__).resolve().parent
#: Kernel-side modules whose output the build side also renders (citations, editions).
SHARED_MODULES = ["citation.py", "editions.py"]
KERNEL_DIR = BUILD_DIR.parent / "kernel"


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


def note_recorded_dependencies(app, doctree) -> None:
    """Make the chapter just executed depend on the files its kernel read."""
    env = app.env
    record = execute.record_path(app, env.docname)
    if not record.exists():
        return
    files = lineage.read(record)
    for relative in files:
        env.note_dependency(str(ROOT / relative))
    source = Path(env.doc2path(env.docname))
    digests = getattr(env, "telcoai_digests", {})
    digests[env.docname] = {str(path): _digest(path) for path in [source] + [ROOT / f for f in files]}
    env.telcoai_digests = digests
    reasons = getattr(env, "telcoai_reasons", {})
    env.telcoai_executed = getattr(env, "telcoai_executed", {}) | {env.docname: reasons.get(env.docname, "new or edited")}


def explain_outdated(app, env, added, changed, removed) -> list[str]:
    """Say, for each chapter about to be re-read, which of its inputs changed."""
    reasons = {}
    for docname in sorted(changed):
        read_at = env.all_docs.get(docname, 0)
        newer = []
        for dependency in sorted(env.dependencies.get(docname, ())):
            path = Path(env.srcdir) / dependency
            try:
                if -(path.stat().st_mtime_ns // -1_000) > read_at:   # Sphinx's own rule, in microseconds
                    newer.append(path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path))
            except FileNotFoundError:
                newer.append(f"{dependency} (removed)")
        reasons[docname] = ", ".join(newer) if newer else "its source changed"
    for docname in added:
        reasons[docname] = "new page"
    env.telcoai_reasons = reasons
    env.telcoai_executed = {}
    return []


def _digest(path: Path) -> str | None:
    """A file's content, or a folder's entry names (a folder a chapter listed), as a digest; None if missing."""
    try:
        if path.is_dir():   # caches and the like are not entries a chapter reads
            names = sorted(n for n in os.listdir(path) if n not in lineage.IGNORED and not n.startswith("."))
            return hashlib.sha256("\0".join(names).encode()).hexdigest()
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def skip_unchanged(app, env, docnames: list[str]) -> None:
    """Do not re-execute a chapter whose source and recorded inputs are unchanged in content.

    Sphinx compares modification times, so a file saved again with the same
    content (or restored from a copy) would re-execute every chapter that
    reads it; the recorded digests tell that nothing changed.
    """
    digests = getattr(env, "telcoai_digests", {})
    for docname in list(docnames):
        known = digests.get(docname)
        if known and all(_digest(Path(path)) == digest for path, digest in known.items()):
            docnames.remove(docname)
            getattr(env, "telcoai_reasons", {}).pop(docname, None)


def build_code_fingerprint() -> str:
    digest = hashlib.sha256()
    # Every build-side module and page template: what they produce is re-rendered when one changes
    # in content (Sphinx compares templates by time, so a template restored from a copy would not count).
    templates = sorted((ROOT / "_templates").rglob("*.html"))
    for path in sorted(BUILD_DIR.glob("*.py")) + [KERNEL_DIR / name for name in SHARED_MODULES] + templates:
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def add_edition_footer(app, config) -> None:
    info = edition()
    # The fingerprint makes Sphinx re-write every page when build-side code
    # changes; it is not shown anywhere.
    config.html_context = dict(config.html_context or {}, edition=info, telcoai_build=build_code_fingerprint())
    footer = (
        f'<p class="telcoai-edition">Version {info["version"]} ({info["date_released"]}) · '
        f'data version {info["data_version"]}, cut-off {info["data_cutoff"]} · '
        'text and data <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>, '
        'code MIT</p>'
    )
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (options.get("extra_footer") or "") + footer
    config.html_theme_options = options


#: Assets Jupyter Book or the theme add to every page, and what a page must contain to need them:
#: (words in the asset's file name or inline body, marker in the page body; None: never needed).
#: The report offers no live code (thebe), no tabs or cards (sphinx-design) and no toggles.
OPTIONAL_ASSETS = [
    (("thebe", "THEBE"), None),
    (("sphinx-design", "design-tabs", "sd-tabs"), 'class="sd-'),
    (("togglebutton", "toggleHint", "toggleOpenOnPrint"), 'class="toggle'),
    (("copybutton", "clipboard"), 'class="highlight'),
    (("pygments.css",), 'class="highlight'),
]


def drop_unused_assets(app, pagename, templatename, context, doctree) -> None:
    """Leave out of each page the scripts and styles it has nothing for, so it loads and paints sooner."""
    body = context.get("body") or ""

    def needed(asset) -> bool:
        text = str(asset) + (getattr(asset, "attributes", {}).get("body", "") or "")
        return all(marker is not None and marker in body
                   for words, marker in OPTIONAL_ASSETS if any(word in text for word in words))

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if needed(asset)]


#: Scripts that must run while the page is parsed: later inline lines read what they define.
PARSE_TIME_SCRIPTS = ("documentation_options.js",)


def defer_scripts(app, pagename, templatename, context, doctree) -> None:
    """Load every script file after the page is parsed, in order, so none delays the first paint.

    The search page is left as Sphinx writes it: its inline script calls the search tools at once.
    """
    from sphinx.builders.html._assets import _JavaScript

    if pagename == "search":
        return

    def deferred(asset):
        if not isinstance(asset, _JavaScript) or not asset.filename or asset.filename.endswith(PARSE_TIME_SCRIPTS) \
                or {"defer", "async"} & set(asset.attributes):
            return asset
        return _JavaScript(asset.filename, priority=asset.priority, **asset.attributes, defer="defer")

    if "script_files" in context:
        context["script_files"] = [deferred(asset) for asset in context["script_files"]]


def fix_citation_list_role(app, pagename, templatename, context, doctree) -> None:
    """Drop docutils' ARIA roles on the bibliography: role="list", whose entries are not list items, and
    the deprecated role="doc-biblioentry" on each entry, which is not allowed on a ``div``.

    With them, screen readers announce a list with no items (axe: aria-required-children), and checkers
    flag every entry (axe: aria-deprecated-role, aria-allowed-role).
    """
    if "body" in context:
        context["body"] = (context["body"].replace('<div role="list" class="citation-list">', '<div class="citation-list">')
                           .replace(' role="doc-biblioentry"', ""))


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


def check_pages(app, env) -> None:
    """Every page the package names (telcoai.kernel.site) is a page of the book, written at ``<name>.html``."""
    from sphinx.util import logging

    for docname in layout.NAMED_PAGES:
        if docname not in env.found_docs:
            logging.getLogger(__name__).error(f"telcoai.kernel.site names {docname!r}, which is not a page of the book")
        elif app.builder.format == "html" and app.builder.get_target_uri(docname) != f"{docname}.html":
            logging.getLogger(__name__).error(f"{docname!r} is written at {app.builder.get_target_uri(docname)!r}, "
                                              f"not at the address the citations give ({docname}.html)")


def start_before_writing(app, env) -> list[str]:
    """Before pages are written: start the process that draws the figures' images (:func:`downloads.drawing`),
    and the PDF's printer (:class:`pdf.Printer`), so that neither is waited for once the pages are written."""
    if app.builder.format == "html":
        downloads.drawing()
        if os.environ.get("TELCOAI_PDF") != "skip" and getattr(app, "telcoai_printer", None) is None:
            app.telcoai_printer = pdf.Printer()
    return []


def _printer(app):
    """The printer started for this build, if any (and forget it: it prints once)."""
    printer = getattr(app, "telcoai_printer", None)
    app.telcoai_printer = None
    return printer


def make_downloads(app, exception) -> None:
    """The datasets, the stylesheet cut and the icon font for every build (each page's own downloads are made
    as it is written), made while the PDF prints when it prints.

    Whatever happens, the printer and the figure-drawing process started before writing are stopped.
    """
    if app.builder.format != "html":
        return
    import time

    from sphinx.util import logging

    from telcoai.build import downloads

    printer = _printer(app)
    if exception is not None:
        if printer is not None:
            printer.close()
        with contextlib.suppress(Exception):   # the build failed already; its images are drawn next time
            downloads.finish_drawing()
        return
    log = logging.getLogger(__name__)
    try:
        _datasets_and_pdf(app, printer, log)
    finally:
        if printer is not None:
            printer.close()   # one that printed has stopped already
    started = time.perf_counter()
    downloads.finish_drawing()   # the figures' images, drawn beside Sphinx as it wrote the pages and the PDF
    log.info(f"telcoai-timing figure-images-waited-for {time.perf_counter() - started:.2f}")


def _datasets_and_pdf(app, printer, log) -> None:
    import time

    outdir = Path(app.outdir)
    spent = {"finishing": 0.0}

    def finish_site() -> None:
        # The datasets, the stylesheet cut and the icon font: beside the PDF's printing when it prints.
        started = time.perf_counter()
        downloads.copy_datasets(ROOT / "data", outdir, read_descriptor()["name"])
        purge_theme_css(outdir)
        subset_icon_font(outdir)  # after the cut: the icons kept are those the cut stylesheets still name
        spent["finishing"] = time.perf_counter() - started

    refresh_static_files(outdir)   # before printing: the print page loads the site's own scripts and styles
    stamp = Path(app.outdir).parent / "pdf.stamp"
    # The PDF is printed again only when a page it prints, or the printer, changed.
    parts = pdf.parts_dir(app)
    digest = hashlib.sha256((BUILD_DIR / "pdf.py").read_bytes())
    for page in toc_pages():
        part = pdf.part_path(parts, page)
        digest.update(part.read_bytes() if part.exists() else b"")
    skip = os.environ.get("TELCOAI_PDF") == "skip"
    per_page = getattr(app, "telcoai_download_seconds", 0.0)
    if not skip and (not (outdir / layout.PDF).exists() or not stamp.exists() or stamp.read_text() != digest.hexdigest()):
        started = time.perf_counter()
        pdf.build_pdf(parts, outdir, toc_pages(), edition(), printer=printer, beside=finish_site)
        stamp.write_text(digest.hexdigest())
        log.info(f"telcoai-timing downloads {per_page:.2f}")
        log.info(f"telcoai-timing downloads-beside-pdf {spent['finishing']:.2f}")
        log.info(f"telcoai-timing pdf {time.perf_counter() - started:.2f}")
        return
    finish_site()
    log.info(f"telcoai-timing downloads {per_page + spent['finishing']:.2f}")
    if skip:
        # A preview build without the PDF edition: no stale edition is left to be published.
        (outdir / layout.PDF).unlink(missing_ok=True)
        stamp.unlink(missing_ok=True)
        log.info("The PDF edition was not printed (TELCOAI_PDF=skip); the next build without it prints it.")


#: Stylesheets cut down to the rules the pages use: (their own file, their place in the site).
PURGED_CSS = [
    (("pydata_sphinx_theme", "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"),
     "_static/styles/pydata-sphinx-theme.css"),
    ((None, "_static/vendor/fontawesome/css/fontawesome.min.css"), "_static/vendor/fontawesome/css/fontawesome.min.css"),
]


#: PurgeCSS's default extractor: the words it looks for in the pages and scripts (purgecss 8, defaultExtractor).
PURGE_WORD = re.compile(rb"[A-Za-z0-9_-]+")
#: Attribute selectors that match part of a value ([class*=highlight-], [class^=toctree-l]).
PARTIAL_ATTRIBUTE = re.compile(rb"\[[\w-]+[*^$~|]=[\"']?([\w-]+)")


def _selectors(css: bytes) -> list[bytes]:
    """The text before every opening brace: selectors and at-rules, without the declarations."""
    parts = re.split(rb"([{}])", css)
    return [parts[i] for i in range(0, len(parts) - 1, 2) if parts[i + 1] == b"{"]


def _selector_words(selectors: list[bytes]) -> set[bytes]:
    """The words PurgeCSS looks for in the pages to keep a rule: those of class, id, tag and attribute selectors.

    At-rules (a media query's widths) and bare numbers outside an attribute selector (``:nth-child(4)``)
    are not looked for: a class, id or tag cannot be a number.
    """
    words = set()
    for selector in selectors:
        if selector.lstrip().startswith(b"@"):
            continue
        words.update(w for w in PURGE_WORD.findall(selector) if not w.isdigit())
        for attribute in re.findall(rb"\[[^\]]*\]", selector):
            words.update(PURGE_WORD.findall(attribute))
    return words


def purge_key(outdir: Path, sources: list[Path]) -> str:
    """What PurgeCSS's cut depends on: the stylesheets, the cut's own code, and the words of the pages that matter.

    A word of the pages can keep a rule only if it is a word of a selector, or contains the value of an
    attribute selector that matches part of a value; every other word (the figures in the text, a drawing's
    coordinates) cannot change the cut, so a data change that only moves numbers reuses the last cut.
    """
    css = [path.read_bytes() for path in sources]
    selectors = [selector for text in css for selector in _selectors(text)]
    css_words = _selector_words(selectors)
    partial = sorted(set().union(*(PARTIAL_ATTRIBUTE.findall(text) for text in css)))
    page_words = set()
    for path in sorted(outdir.rglob("*.html")) + sorted((outdir / "_static").rglob("*.js")):
        page_words.update(PURGE_WORD.findall(path.read_bytes()))
    if any(b"\\" in selector for selector in selectors):
        relevant = page_words   # an escaped selector names a word the stylesheet does not spell out
    else:
        relevant = page_words & css_words
    digest = hashlib.sha256()
    for name in ("purge.mjs", "package-lock.json"):
        digest.update((ROOT / "scripts" / "purgecss" / name).read_bytes())
    for text in css:
        digest.update(hashlib.sha256(text).digest())
    digest.update(b"\n".join(sorted(relevant)))
    # The page words that contain each partial value, found in one text of every word, a word a line.
    lines = b"\n" + b"\n".join(sorted(page_words)) + b"\n"
    for value in partial:
        digest.update(b"\0" + value + b":" + b" ".join(_lines_containing(lines, value)))
    return digest.hexdigest()


def _lines_containing(lines: bytes, value: bytes) -> list[bytes]:
    """The lines of `lines` (which starts and ends with a newline) that contain `value`, in their order."""
    found, at = [], lines.find(value)
    while at != -1:
        start, end = lines.rfind(b"\n", 0, at) + 1, lines.find(b"\n", at)
        found.append(lines[start:end])
        at = lines.find(value, end)
    return found


def purge_theme_css(outdir: Path) -> None:
    """Cut the theme's and the icons' stylesheets down to the rules the built pages and scripts can use (PurgeCSS).

    The theme ships about 400 kB of CSS and the icon font's 57 kB, of which the
    pages use about a quarter; the browser must download and parse all of it
    before it paints anything. The cut is made from each file's own copy, so a
    page that starts using a rule gets it; it is kept beside the site and made
    again only when what it depends on changed (:func:`purge_key`).
    """
    import importlib
    import subprocess

    outdir = Path(outdir)
    sources, targets = [], []
    for (package, path), target in PURGED_CSS:
        base = Path(importlib.import_module(package).__file__).parent if package else ROOT
        sources.append(base / path)
        targets.append(target)
    arguments = [str(item) for pair in zip(sources, targets) for item in pair]

    def cut() -> None:
        subprocess.run(["node", str(ROOT / "scripts" / "purgecss" / "purge.mjs"), str(outdir), *arguments],
                       check=True, capture_output=True, text=True)
    kept_or_made(outdir.parent / "purged-css", purge_key(outdir, sources), [outdir / t for t in targets], cut)


def kept_or_made(kept: Path, key: str, outputs: list[Path], make) -> None:
    """Write `outputs` from the copies kept in `kept` if they were made for `key`; else `make()` them and keep
    copies with the key. The key is written last, so copies kept by a build that stopped are never used."""
    import shutil

    stamp = kept / "key"
    copies = [kept / str(i) for i in range(len(outputs))]
    if stamp.exists() and stamp.read_text() == key and all(copy.exists() for copy in copies):
        for copy, output in zip(copies, outputs):
            shutil.copyfile(copy, output)
        return
    make()
    kept.mkdir(exist_ok=True)
    stamp.unlink(missing_ok=True)
    for copy, output in zip(copies, outputs):
        shutil.copyfile(output, copy)
    stamp.write_text(key)


#: The icon font the theme's buttons draw with (Font Awesome's solid style), vendored.
ICON_FONT = "_static/vendor/fontawesome/webfonts/fa-solid-900.woff2"
#: An icon in the site's stylesheets: a CSS escape of a code point in Font Awesome's private-use ranges.
ICON_ESCAPE = re.compile(r"\\([ef][0-9a-fA-F]{3})\b")


def icon_code_points(outdir: Path) -> set[int]:
    """The icons the site's stylesheets name, after they were cut to the rules the pages use."""
    return {int(code, 16) for css in (Path(outdir) / "_static").rglob("*.css")
            for code in ICON_ESCAPE.findall(css.read_text(encoding="utf-8"))}


def subset_icon_font(outdir: Path) -> None:
    """Keep in the site's icon font only the icons its stylesheets use (a dozen of about 1,400).

    The whole font is 158 kB, the largest file a page loads; the subset is made from the vendored copy, so
    an icon that a page starts using is kept. It is kept beside the site and made again only when the icons,
    the font or this code changed.
    """
    import fontTools
    from fontTools import subset

    points = sorted(icon_code_points(outdir))
    target = Path(outdir) / ICON_FONT
    digest = hashlib.sha256(json.dumps([points, fontTools.version]).encode())
    for source in (ROOT / ICON_FONT, BUILD_DIR / "sphinx_ext.py"):
        digest.update(hashlib.sha256(source.read_bytes()).digest())

    def make() -> None:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = []
        font = subset.load_font(str(ROOT / ICON_FONT), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points)
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
    kept_or_made(Path(outdir).parent / "icon-font", digest.hexdigest(), [target], make)


def write_executed(app, exception) -> None:
    """The chapters this build executed and why, for the change summary."""
    if exception is None:
        executed = getattr(app.env, "telcoai_executed", {})
        (Path(app.outdir).parent / "executed.json").write_text(json.dumps(executed, indent=1), encoding="utf-8")


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
    from telcoai.build import bibliography

    bibliography.write(ROOT)


#: A site address in chapter output (telcoai.kernel.site): an attribute whose value is a page or file of the site.
SITE_ADDRESS = re.compile(r'(?P<attr>\b(?:href|src)=")(?P<scheme>' + re.escape(layout.PAGE_SCHEME) + "|"
                          + re.escape(layout.FILE_SCHEME) + r')(?P<path>[^"#]*)(?P<anchor>#[^"]*)?"')


def resolve_site_links(app, doctree, docname: str) -> None:
    """Turn the site addresses in chapter output into links relative to this page, from Sphinx's own paths.

    A link to a page that is not part of the book is an error that names the page and the target.
    """
    from docutils import nodes
    from sphinx.util import logging

    here = posixpath.dirname(app.builder.get_target_uri(docname))

    def link(match: re.Match) -> str:
        path, anchor = match.group("path"), match.group("anchor") or ""
        if match.group("scheme") == layout.PAGE_SCHEME:
            if path not in app.env.found_docs:
                logging.getLogger(__name__).error(f"a link to {path!r}, which is not a page of the book",
                                                  location=docname)
                return match.group(0)
            target = app.builder.get_relative_uri(docname, path)
        else:
            target = posixpath.relpath(path, here or ".")
        return f'{match.group("attr")}{target}{anchor}"'

    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if SITE_ADDRESS.search(text):
            node.replace_self(nodes.raw("", SITE_ADDRESS.sub(link, text), format=node.get("format", "html")))


#: Static files fetched by the page's own scripts when needed: charts.js loads Vega when a chart nears the screen.
ON_DEMAND = ("vendor/vega/",)


def dedupe_static_assets(app, config) -> None:
    """Keep one include per script and stylesheet, the first one listed.

    Jupyter Book adds every .js and .css file under _static as a plain include,
    after the ones _config.yml lists with attributes (defer); without this the
    chart scripts would also load a second time, undeferred. Files that a
    script fetches when needed (ON_DEMAND) are not included at all.
    """
    for key in ("html_js_files", "html_css_files"):
        seen, kept = set(), []
        for entry in getattr(config, key, []) or []:
            name = entry if isinstance(entry, str) else entry[0]
            if name not in seen and not name.startswith(ON_DEMAND):
                seen.add(name)
                kept.append(entry)
        setattr(config, key, kept)


def copy_notebook_css_early(app, env) -> None:
    """Put MyST-NB's stylesheet in the site before pages are written.

    Sphinx adds a checksum to a stylesheet's address only when the file is
    already in the site; MyST-NB copies its own at the end, so a cold build
    and a rebuild would otherwise write different pages from the same input.
    """
    from myst_nb.sphinx_ext import add_global_html_resources

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)


#: (Sphinx event, handler, priority): every hook of the extension, in one place.
HOOKS = [
    ("config-inited", book.wait_for_validation, 0),               # before anything reads data/ or writes
    ("config-inited", dedupe_static_assets, 100),
    ("config-inited", write_data_bibliography, 100),
    ("config-inited", add_edition_footer, 500),
    ("env-get-outdated", explain_outdated, 500),
    ("env-before-read-docs", skip_unchanged, 500),
    ("env-before-read-docs", execute.execute_outdated, 900),   # after skip_unchanged has pruned the list
    ("doctree-read", note_recorded_dependencies, 500),
    ("doctree-resolved", downloads.add_downloads, 400),        # its links are site addresses, resolved next
    ("doctree-resolved", resolve_site_links, 500),
    ("env-check-consistency", check_pages, 500),
    ("env-updated", copy_notebook_css_early, 500),
    ("env-updated", start_before_writing, 500),                # ready by the time pages are written
    ("html-page-context", fix_citation_list_role, 500),
    ("html-page-context", number_tables, 500),
    ("html-page-context", drop_unused_assets, 900),            # after every extension has added its assets
    ("html-page-context", defer_scripts, 910),
    ("html-page-context", pdf.keep_page, 990),                 # the page as written, for the PDF
    ("build-finished", make_downloads, 500),
    ("build-finished", write_executed, 500),
]


def setup(app):
    from telcoai.kernel.chartpage import protocol_script

    for event, handler, priority in HOOKS:
        app.connect(event, handler, priority=priority)
    # The chart protocol's names, for _static/charts.js; run while the page is parsed, before the deferred scripts.
    app.add_js_file(None, body=protocol_script(), priority=200)
    from telcoai.build import citable
    citable.setup(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
