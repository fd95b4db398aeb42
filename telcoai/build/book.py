"""``python -m telcoai.build.book [--validate RECORD] build ...``: jupyter-book's own command, with the
chapters' kernels started first (:mod:`telcoai.build.kernels`), so they warm up while jupyter-book and
Sphinx start.

With ``--validate RECORD``, ``data/`` is validated (``python -m telcoai validate --record RECORD``) in a
process of its own while jupyter-book and Sphinx import themselves, and Sphinx waits for it before it
reads or writes anything (:func:`wait_for_validation`, the extension's first hook). Data that are not
valid stop the build there, with validation's message, exit status 3, and nothing of the last build
touched.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading
import time

#: The exit status of a build stopped because data/ is not valid.
INVALID_DATA = 3

_validation: "Validation | None" = None


class Validation:
    """``python -m telcoai validate --record RECORD`` in a process of its own, its output and time kept."""

    def __init__(self, record: str):
        self.started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "telcoai", "validate", "--record", record],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self._thread = threading.Thread(target=self._collect, daemon=True, name="telcoai-validation")
        self._thread.start()

    def _collect(self) -> None:
        self.out, self.err = self.process.communicate()
        self.seconds = time.perf_counter() - self.started

    def result(self) -> tuple[int, str, str, float]:
        self._thread.join()
        return self.process.returncode, self.out, self.err, self.seconds


def wait_for_validation(app=None, config=None) -> None:
    """Wait for the validation this command started, if any; if the data are not valid, stop here."""
    global _validation
    if _validation is None:
        return
    validation, _validation = _validation, None
    waited = time.perf_counter()
    code, out, err, seconds = validation.result()
    sys.stdout.write(out)
    sys.stderr.write(err)
    # Validation's own time, beside Sphinx's start, and the part of it Sphinx waited for.
    print(f"telcoai-timing validation {seconds:.2f}", flush=True)
    print(f"telcoai-timing validation-waited-for {time.perf_counter() - waited:.2f}", flush=True)
    if code != 0:
        _exit(INVALID_DATA)


def main() -> None:
    global _validation
    from telcoai.build import kernels
    from telcoai.build.forkserver import exit_status

    if sys.argv[1:2] == ["--validate"]:
        record = sys.argv[2]
        del sys.argv[1:3]
        _validation = Validation(record)
    kernels.start()
    from jupyter_book.cli.main import main as jupyter_book

    try:
        jupyter_book(prog_name="jupyter-book")
        code = 0
    except SystemExit as done:
        code = exit_status(done)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    wait_for_validation()   # a command that never reached Sphinx's configuration
    _exit(code)


def _exit(code: int) -> None:
    # Whatever the build wrote is written and closed by now. Python's own teardown of Sphinx's
    # environment and of every module imported takes about a second and writes nothing, so it is skipped:
    # other threads are waited for and the exit handlers run (they shut down unused kernels), then exit.
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    # Through the package's own module, so that the Sphinx extension's hook sees the validation started here.
    from telcoai.build import book

    book.main()
