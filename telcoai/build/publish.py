"""Replace the published site with a freshly built one, in one step.

``python -m telcoai.build.publish BUILT_HTML PUBLISHED`` copies the build next to
the published folder and then exchanges the two in one atomic rename
(Linux ``renameat2`` with ``RENAME_EXCHANGE``), so a reader, a failed copy or a
build killed at any moment never leaves a half-written or missing site.
Sphinx's private ``.buildinfo`` is not published. A file the build did not
write again (same size and modification time as its published copy) is linked
to that copy instead of copied: published files are never written in place,
only replaced by the exchange, so the link cannot change the site a reader sees.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    return result == 0


def publish(built: Path, published: Path) -> None:
    if not (built / "index.html").exists():
        raise SystemExit(f"{built} holds no built site")
    staging = published.with_name(published.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)

    def copy(source: str, target: str) -> str:
        current = published / Path(source).relative_to(built)
        try:
            new, old = os.stat(source), os.stat(current)
            if (new.st_size, new.st_mtime_ns) == (old.st_size, old.st_mtime_ns):
                os.link(current, target)
                return target
        except OSError:
            pass
        return shutil.copy2(source, target)

    shutil.copytree(built, staging, ignore=shutil.ignore_patterns(".buildinfo"), copy_function=copy)
    if published.exists() and exchange(staging, published):
        shutil.rmtree(staging)   # now the previous site
        return
    previous = published.with_name(published.name + ".old")
    shutil.rmtree(previous, ignore_errors=True)
    if published.exists():
        published.rename(previous)
    staging.rename(published)
    shutil.rmtree(previous, ignore_errors=True)


if __name__ == "__main__":
    publish(Path(sys.argv[1]), Path(sys.argv[2]))
