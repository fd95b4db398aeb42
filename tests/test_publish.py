"""Publishing: the built site replaces the published one in one step, so publishing killed at any moment leaves
one whole site; files the build did not write again are linked to their published copies, never to the build's
own files."""

from __future__ import annotations

import shutil
import time

import pytest

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


#: Run in a process of its own: publish, killed outright (SIGKILL) at one moment of publishing.
KILLED_AT = """
import os, shutil, signal, sys
from pathlib import Path
from telcoai.build import publish
built, published, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if moment.startswith("copy-"):                  # while the new site is copied beside the published one
    left, real_copy = [int(moment[5:])], shutil.copy2
    def copy(source, target, **options):
        left[0] -= 1
        if left[0] < 0:
            die()
        return real_copy(source, target, **options)
    shutil.copy2 = copy
real_exchange = publish.exchange
if moment == "before-exchange":
    publish.exchange = lambda first, second: die()
if moment == "after-exchange":                  # the new site is published; the previous one is not yet removed
    publish.exchange = lambda first, second: real_exchange(first, second) and die()
publish.publish(built, published)
"""


def _site(folder, edition: str) -> dict[str, bytes]:
    files = {f"chapters/page-{n}.html": f"{edition} page {n}".encode() * 200 for n in range(40)}
    files["index.html"] = edition.encode()
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return files


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("moment", ["copy-0", "copy-20", "before-exchange", "after-exchange"])
def test_publishing_killed_at_any_moment_leaves_one_whole_site_and_the_next_publish_completes(tmp_path, moment):
    import os
    import signal
    import subprocess
    import sys

    from conftest import ROOT

    built, published = tmp_path / "work", tmp_path / "html"
    old = _site(published, "first edition")
    time.sleep(0.01)
    new = _site(built, "second edition")
    (built / "chapters" / "page-0.html").unlink()   # a page the new edition no longer has
    del new["chapters/page-0.html"]
    killed = subprocess.run([sys.executable, "-c", KILLED_AT, str(built), str(published), moment], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # Byte for byte the previous site until the exchange, the new one from it: never a mixture, never missing.
    assert _files(published) == (new if moment == "after-exchange" else old)
    publish(built, published)
    assert _files(published) == new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html", "work"]
