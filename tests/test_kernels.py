"""Kernels started in advance: a chapter run in one records the same lineage and gives the same outputs as
in a kernel of its own, and a kernel no chapter takes is shut down."""

from __future__ import annotations

import json
import time

import nbformat
import psutil

from conftest import ROOT

CHAPTER = ROOT / "chapters" / "changelog.md"
CODE = "import telcoai\nframe = telcoai.load('financials')\nprint(len(frame), __import__('os').getcwd())"


def _notebook():
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CODE)],
                                    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})


def _kernel_pids() -> set[int]:
    """Kernels, whether started as processes of their own or forked by the fork server."""
    from telcoai.build import forkserver

    kernels = set()
    for process in psutil.process_iter(["cmdline"]):
        arguments = process.info["cmdline"] or []
        if "ipykernel_launcher" in " ".join(arguments):
            kernels.add(process.pid)
        elif forkserver.__file__ in arguments:
            kernels |= {child.pid for child in process.children()}
    return kernels


def test_a_chapter_in_a_kernel_started_in_advance_records_its_lineage_and_runs_in_its_folder(tmp_path):
    from telcoai.build import execute, kernels

    before = _kernel_pids()
    kernels.start(1)
    warm_record, own_record = tmp_path / "warm.json", tmp_path / "own.json"
    warm = kernels.take(_notebook(), CHAPTER)
    assert warm is not None and kernels.take(_notebook(), CHAPTER) is None   # one was started
    executed = warm.execute(_notebook(), warm_record, timeout=120)
    own, _ = execute._run(_notebook(), CHAPTER, own_record, timeout=120)   # no kernel waiting: its own
    assert executed.cells[0].outputs[0]["text"] == own.cells[0].outputs[0]["text"]
    assert executed.cells[0].outputs[0]["text"].split()[1] == str(ROOT / "chapters")
    warm_files, own_files = (json.loads(r.read_text())["files"] for r in (warm_record, own_record))
    assert warm_files == own_files and "data/financials.csv" in warm_files and "telcoai/kernel/tables.py" in warm_files
    assert not any(name.endswith(("pandas", "altair")) for name in warm_files)
    time.sleep(1)
    assert _kernel_pids() - before == set()   # both kernels shut down after their chapter


def test_a_kernel_started_in_advance_leaves_no_name_a_chapter_did_not_import(tmp_path):
    from telcoai.build import kernels

    kernels.start(1)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(sorted(n for n in dir() if not n.startswith('_')))")],
                                        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    executed = kernels.take(notebook, CHAPTER).execute(notebook, tmp_path / "record.json", timeout=120)
    names = executed.cells[0].outputs[0]["text"]
    assert not any(name in names for name in ("'pandas'", "'altair'", "'vl_convert'", "'os'"))


def test_a_kernel_no_chapter_takes_is_shut_down(tmp_path):
    from telcoai.build import kernels

    before = _kernel_pids()
    kernels.start(1)
    deadline = time.time() + 30
    while not _kernel_pids() - before and time.time() < deadline:
        time.sleep(0.2)
    assert _kernel_pids() - before, "the kernel started"
    kernels.close()
    time.sleep(1)
    assert _kernel_pids() - before == set()


def test_the_book_command_exits_with_jupyter_books_status_and_leaves_no_kernel(tmp_path):
    import subprocess
    import sys

    before = _kernel_pids()
    done = subprocess.run([sys.executable, "-m", "telcoai.build.book", "build", str(tmp_path / "no-such-book")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0, done.stdout + done.stderr
    ok = subprocess.run([sys.executable, "-m", "telcoai.build.book", "--version"], capture_output=True, text=True,
                        timeout=120)
    assert ok.returncode == 0 and "Jupyter Book" in ok.stdout + ok.stderr
    time.sleep(1)
    assert _kernel_pids() - before == set()
