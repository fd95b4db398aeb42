"""Helpers shared by the rebuild tests and scripts/benchmark: a copy of the repository and its builds."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_repo(target: Path, venv: bool = True) -> Path:
    """Copy the repository's tracked and new files (not ignored ones) to `target`, sharing its installed packages
    (.venv and the build's npm packages) if asked."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if venv:
        (target / ".venv").symlink_to(ROOT / ".venv")
        # The build's pinned npm packages too, as installed here (scripts/build checks their version).
        modules = ROOT / "scripts" / "purgecss" / "node_modules"
        if modules.is_dir():
            (target / "scripts" / "purgecss" / "node_modules").symlink_to(modules)
    return target


#: The rebuild tests check lineage, change summaries and publishing, not the PDF edition (tested on the full
#: build): their builds leave it out, as a maintainer's preview build may.
PREVIEW = {"TELCOAI_PDF": "skip"}


def run_build(repo: Path) -> subprocess.CompletedProcess:
    """Run the copy's own build command, with the copy's helper package, as a preview (no PDF edition)."""
    env = dict(os.environ, PYTHONPATH=str(repo), **PREVIEW)
    return subprocess.run([str(repo / "scripts" / "build")], cwd=repo, env=env, capture_output=True, text=True)


def executed_documents(output: str) -> set[str]:
    """The chapters a build's output says it executed."""
    return set(re.findall(r"chapters/([\w-]+)\.md: Executing notebook", output))


def start_build(repo: Path, **options) -> subprocess.Popen:
    """Start the copy's build in the background, its output readable line by line (a preview: no PDF edition)."""
    env = dict(os.environ, PYTHONPATH=str(repo), **PREVIEW)
    return subprocess.Popen([str(repo / "scripts" / "build")], cwd=repo, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **options)


@contextlib.contextmanager
def edited(path: Path, change):
    """Apply `change(text) -> text` to a file for the duration of the block, then put the original back."""
    original = path.read_text(encoding="utf-8")
    path.write_text(change(original), encoding="utf-8")
    try:
        yield original
    finally:
        path.write_text(original, encoding="utf-8")


# --- Charts on a built page, in the names of the page protocol (telcoai.kernel.chartpage) ----------

from telcoai.kernel.chartpage import PROTOCOL, drawn_attribute, selector  # noqa: E402

#: Selector of every chart element, and the attribute that says it is drawn.
CHART = selector("chart")
DRAWN_ATTRIBUTE = drawn_attribute()
#: The drawing Vega makes inside a chart (not the drawings made in advance).
LIVE_DRAWING = f'{selector("canvas")} svg.marks, {selector("canvas")} canvas.marks'
#: Class attribute of a chart element as written in a page's HTML.
CHART_IN_HTML = f'class="{PROTOCOL["chart"]}"'
SPEC_CLASS = PROTOCOL["spec"]


def charts_js(body: str) -> str:
    """A browser expression over `charts` (every chart element of the page); `P` holds the protocol's names."""
    return (f"() => {{ const P = {json.dumps(PROTOCOL)}; "
            f"const charts = [...document.querySelectorAll({json.dumps(CHART)})]; return {body}; }}")


#: True once every chart of the page has been drawn live (or has failed, which the tests then report).
ALL_LIVE = charts_js("charts.every(c => ['true', 'error'].includes(c.dataset[P.rendered]))")

#: A numbered figure in a written page, with its body (caption, downloads and citation included).
FIGURE = re.compile(r'<figure class="[^"]*" id="(?P<id>fig-[\w-]+)">(?P<body>.*?)</figure>', re.S)


def state_new_gaps(data: Path) -> None:
    """List in comparison_series.csv every year inside a span that has no figure, as a maintainer who adds a
    later year over unreported ones must (the validator names them)."""
    import csv

    with open(data / "financials.csv", newline="", encoding="utf-8") as handle:
        have: dict[tuple, set[int]] = {}
        for row in csv.DictReader(handle):
            have.setdefault((row["entity_id"], row["measure"], row["series"]), set()).add(int(row["fiscal_year"]))
    path = data / "comparison_series.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        years = have.get((row["entity_id"], row["measure"], row["series"]), set())
        last = int(row["last_year"]) if row["last_year"] else max(years, default=int(row["first_year"]))
        holes = sorted(set(range(int(row["first_year"]), last + 1)) - years)
        row["stated_gaps"] = "; ".join(map(str, holes))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
