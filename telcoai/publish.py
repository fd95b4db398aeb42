"""Replace the published site with a freshly built one, in one step.

``python -m telcoai.publish BUILT_HTML PUBLISHED`` copies the build next to
the published folder and then swaps the two by renaming, so a reader (or a
failed copy) never sees a half-written site.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def publish(built: Path, published: Path) -> None:
    if not (built / "index.html").exists():
        raise SystemExit(f"{built} holds no built site")
    staging = published.with_name(published.name + ".new")
    previous = published.with_name(published.name + ".old")
    for leftover in (staging, previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    shutil.copytree(built, staging)
    if published.exists():
        published.rename(previous)
    staging.rename(published)
    if previous.exists():
        shutil.rmtree(previous)


if __name__ == "__main__":
    publish(Path(sys.argv[1]), Path(sys.argv[2]))
