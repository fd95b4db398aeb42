"""Publishing: the built site replaces the published one in one step; files the build did not write again
are linked to their published copies, never to the build's own files."""

from __future__ import annotations

import shutil
import time

from telcoai.build.publish import publish


def test_only_what_the_build_wrote_again_is_copied_and_the_build_folder_never_reaches_the_site(tmp_path, monkeypatch):
    built, published = tmp_path / "work", tmp_path / "html"
    (built / "chapters").mkdir(parents=True)
    (built / "index.html").write_text("first edition", encoding="utf-8")
    (built / "chapters" / "risks.html").write_text("risks", encoding="utf-8")
    (built / ".buildinfo").write_text("private", encoding="utf-8")
    publish(built, published)
    assert (published / "index.html").read_text(encoding="utf-8") == "first edition"
    assert not (published / ".buildinfo").exists()

    time.sleep(0.01)
    (built / "index.html").write_text("second edition", encoding="utf-8")   # the next build writes one page again
    copied = []
    real_copy = shutil.copy2
    monkeypatch.setattr(shutil, "copy2", lambda source, target, **k: copied.append(source) or real_copy(source, target, **k))
    publish(built, published)
    assert copied == [str(built / "index.html")]
    assert (published / "index.html").read_text(encoding="utf-8") == "second edition"

    # A later build writes its files in place: the published site does not change with them.
    (built / "chapters" / "risks.html").write_text("half-written", encoding="utf-8")
    assert (published / "chapters" / "risks.html").read_text(encoding="utf-8") == "risks"
    assert not published.with_name("html.new").exists() and not published.with_name("html.old").exists()
