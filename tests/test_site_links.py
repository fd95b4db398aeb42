"""Links in chapter output name pages and files of the site; the build resolves them from Sphinx's paths."""

from __future__ import annotations

import re

import pytest

from conftest import toc_pages

pytestmark = pytest.mark.build


def test_no_site_address_is_left_unresolved_and_every_resolved_link_exists(built_site):
    from telcoai.kernel import site

    checked = 0
    for page in toc_pages():
        text = (built_site / f"{page}.html").read_text(encoding="utf-8")
        assert site.PAGE_SCHEME not in text and site.FILE_SCHEME not in text, page
        for href in re.findall(r'href="((?:\.\./)*(?:downloads|editions)/[^"#]+)"', text):
            target = (built_site / page).parent / href
            assert target.resolve().is_file(), (page, href)
            checked += 1
    assert checked >= 30


def test_a_link_to_a_page_that_is_not_in_the_book_fails_the_build(tmp_path):
    from types import SimpleNamespace

    from docutils import nodes

    from telcoai.kernel import site
    from telcoai.build import sphinx_ext

    errors = []

    class Builder:
        def get_target_uri(self, docname):
            return f"{docname}.html"

        def get_relative_uri(self, source, target):
            return "fact-check.html"

    app = SimpleNamespace(builder=Builder(), env=SimpleNamespace(found_docs={"chapters/fact-check", "chapters/risks"}))
    doctree = nodes.document(None, None)
    doctree += nodes.raw("", f'<a href="{site.page("chapters/fact-check", "c01")}">a</a>'
                             f'<a href="{site.file(site.DATASETS, "x.csv")}">b</a>', format="html")
    sphinx_ext.resolve_site_links(app, doctree, "chapters/risks")
    text = doctree.astext()
    assert 'href="fact-check.html#c01"' in text and 'href="../downloads/data/x.csv"' in text

    broken = nodes.document(None, None)
    broken += nodes.raw("", f'<a href="{site.page("chapters/no-such-page")}">c</a>', format="html")
    import logging
    handler = logging.Handler()
    handler.emit = lambda record: errors.append(record.getMessage())
    logging.getLogger("sphinx.telcoai.build.sphinx_ext").addHandler(handler)
    sphinx_ext.resolve_site_links(app, broken, "chapters/risks")
    assert any("no-such-page" in e for e in errors)
