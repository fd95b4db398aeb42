"""Kernels started as the build starts, so that the first chapters to execute do not wait for one.

Every kernel is forked from the fork server, which has imported pandas,
Altair, IPython and ipykernel once (:mod:`telcoai.build.forkserver`); a kernel
still spends most of a second starting the chart renderer before it draws. The
build starts the fork server and one kernel per core as soon as it starts
(:mod:`telcoai.build.book`), while Sphinx imports itself on a single core; each
of these kernels starts the renderer and waits. The first chapters
:mod:`telcoai.build.execute` runs take them; the others get a kernel of their own.

Nothing of the report is imported in advance, and a chapter's lineage record
is named in its kernel before the chapter runs, so the chapter still records
every file of the repository it reads (:mod:`telcoai.build.lineage`). A kernel
no chapter takes is shut down when execution ends, or when the build exits.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import queue
import threading
from concurrent.futures import Future
from pathlib import Path

from telcoai.build import forkserver
from telcoai.build.lineage import ENV_VAR as LINEAGE_VAR
from telcoai.kernel.paths import ROOT

#: Where every chapter lives, and so the working folder of every kernel started in advance.
CHAPTERS = ROOT / "chapters"
KERNEL_NAME = "python3"
#: Third-party imports only, and one drawing, which starts the renderer's JavaScript engine. No name is
#: left behind: a chapter that forgot an import fails here as in a kernel of its own.
WARM_UP = """\
import pandas, altair, IPython.display, vl_convert
vl_convert.vega_to_svg({"width": 1, "height": 1, "marks": []})
del pandas, altair, IPython, vl_convert
"""

_waiting: list["WarmKernel"] = []
_lock = threading.Lock()


class WarmKernel:
    """One kernel, started and warmed in its own thread; it executes one notebook, then shuts down."""

    def __init__(self, folder: Path = CHAPTERS, after: "WarmKernel | None" = None):
        self.folder = folder
        self.failed: BaseException | None = None
        # Kernels are launched one after the other (each then warms up beside the next): two threads
        # launching at once import jupyter_client's modules at once, and can see them half initialised.
        self.after = after
        self.launched = threading.Event()
        self._jobs: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True,
                                        name="telcoai-warm-kernel")
        self._thread.start()

    async def _serve(self) -> None:
        import nbformat
        from nbclient import NotebookClient

        warm = nbformat.v4.new_code_cell(WARM_UP)
        client = NotebookClient(nbformat.v4.new_notebook(cells=[warm]), kernel_name=KERNEL_NAME,
                                kernel_manager_class=forkserver.KernelManager,
                                allow_errors=False, record_timing=False, resources={"metadata": {"path": str(self.folder)}})
        try:
            if self.after is not None:
                self.after.launched.wait(60)
            try:
                client.km = client.create_kernel_manager()
                await client.async_start_new_kernel(cwd=str(self.folder))
            finally:
                self.launched.set()
            await client.async_start_new_kernel_client()
            await client.async_execute_cell(warm, 0, store_history=False)
        except BaseException as error:   # no warm kernel: the chapter starts its own
            self.failed = error
        job = await self._next_job()
        if job is None or self.failed is not None:
            if job is not None:
                job[-1].set_result(None)   # the chapter starts its own kernel
            if client.km is not None:
                await client._async_cleanup_kernel()
            return
        notebook, record, timeout, result = job
        try:
            # The chapter's lineage record is named before anything of the report is imported.
            name = nbformat.v4.new_code_cell(f"import os\nos.environ[{LINEAGE_VAR!r}] = {str(record)!r}\ndel os")
            client.nb = nbformat.v4.new_notebook(cells=[name])
            await client.async_execute_cell(name, 0, store_history=False)
            client.nb, client.timeout = notebook, timeout
            await client.async_execute()   # in this kernel, which it shuts down at the end
            result.set_result(notebook)
        except BaseException as error:
            result.set_exception(error)
            if client.km is not None:
                await client._async_cleanup_kernel()

    async def _next_job(self):
        # Polled rather than awaited in an executor, which cannot run once the interpreter is exiting.
        while True:
            try:
                return self._jobs.get_nowait()
            except queue.Empty:
                await asyncio.sleep(0.02)

    def execute(self, notebook, record: Path, timeout: int):
        """Run `notebook` in this kernel, recording its lineage in `record`; return the executed notebook.

        None if this kernel could not be started: the chapter then starts its own.
        """
        result: Future = Future()
        self._jobs.put((notebook, record, timeout, result))
        return result.result()

    def close(self) -> None:
        self._jobs.put(None)

    def join(self, seconds: float) -> None:
        self._thread.join(seconds)


def start(count: int | None = None) -> None:
    """Start `count` kernels (one per core) in the background."""
    # Imported here, once: threads importing the same modules at the same moment can find one half
    # initialised (jupyter_client.manager) and fail.
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401

    forkserver.start()

    with _lock:
        for _ in range(count or os.cpu_count() or 1):
            _waiting.append(WarmKernel(after=_waiting[-1] if _waiting else None))
    atexit.register(close)


def take(notebook, path: Path) -> WarmKernel | None:
    """A kernel started in advance for this chapter, if one is waiting and the chapter can use it."""
    spec = (notebook.metadata.get("kernelspec") or {}).get("name", KERNEL_NAME)
    if spec != KERNEL_NAME or Path(path).parent.resolve() != CHAPTERS.resolve():
        return None
    with _lock:
        return _waiting.pop(0) if _waiting else None


def close() -> None:
    """Shut down every kernel that no chapter took (and wait a little for them to go)."""
    with _lock:
        unused, _waiting[:] = list(_waiting), []
    for kernel in unused:
        kernel.close()
    for kernel in unused:
        kernel.join(10)
