"""Execute the chapters Sphinx is about to read, several at a time.

MyST-NB executes notebooks one after another while Sphinx reads them. Here the
chapters that run code are executed before reading starts, in parallel (one
kernel per core), each kernel recording what it reads (:mod:`telcoai.build.lineage`)
in its own file. The executed notebooks are handed to MyST-NB through its
execution cache (``execute_notebooks: cache``), so MyST-NB renders them without
running them again. Every chapter Sphinx reads is executed here first, so a
cached result never outlives the inputs it came from. The first chapters take
kernels the build started in advance (:mod:`telcoai.build.kernels`).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

log = logging.getLogger(__name__)


def record_path(app, docname: str) -> Path:
    """The file in which a chapter's kernel records what it read."""
    return Path(app.doctreedir).parent / "lineage" / f"{docname}.json"


def _notebook(env, path: Path):
    """The chapter as MyST-NB reads it (so that the cache recognises it), or None if it runs no code."""
    from myst_nb.core.read import create_nb_reader

    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    return notebook


def _run(notebook, path: Path, record: Path, timeout: int):
    """Execute one notebook in its own kernel, in the chapter's folder; return (notebook, seconds)."""
    from nbclient import NotebookClient

    from telcoai.build import forkserver, kernels, lineage

    record.parent.mkdir(parents=True, exist_ok=True)
    record.unlink(missing_ok=True)
    started = time.perf_counter()
    warm = kernels.take(notebook, path)
    if warm is not None and warm.execute(notebook, record, timeout) is not None:
        return notebook, time.perf_counter() - started
    client = NotebookClient(notebook, timeout=timeout, allow_errors=False, record_timing=False,
                            kernel_manager_class=forkserver.KernelManager, resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=dict(os.environ, **{lineage.ENV_VAR: str(record)}), cwd=str(path.parent))
    return notebook, time.perf_counter() - started


def execute_outdated(app, env, docnames: list[str]) -> None:
    """Execute, in parallel, every chapter with code that Sphinx will read; cache the results for MyST-NB."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from telcoai.build import kernels

    jobs = {}
    for docname in docnames:
        path = Path(env.doc2path(docname))
        notebook = _notebook(env, path)
        if notebook is not None:
            jobs[docname] = (notebook, path)
    if not jobs:
        kernels.close()
        return
    cache = get_cache(env.mystnb_config.execution_cache_path)
    timeout = env.mystnb_config.execution_timeout
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    failures = []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {}
        for docname, (notebook, path) in jobs.items():
            log.info("Executing notebook", location=docname)
            futures[docname] = pool.submit(_run, notebook, path, record_path(app, docname), timeout)
        for docname, future in futures.items():
            try:
                notebook, seconds = future.result()
            except Exception as error:   # the notebook raised: the build fails, naming the chapter and the cell
                failures.append(docname)
                log.error(f"the chapter raised an error while executing:\n{error}", location=docname)
                continue
            log.info(f"Executed notebook in {seconds:.2f} seconds", location=docname)
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, str(jobs[docname][1]), data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
    kernels.close()   # those no chapter took
    # The wall time of the whole execution step (the chapters overlap), for the benchmark.
    log.info(f"telcoai-timing execution {time.perf_counter() - started:.2f}")
    if failures:
        raise ExtensionError(f"{len(failures)} chapter(s) raised while executing: {', '.join(failures)}")
