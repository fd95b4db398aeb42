"""``python -m telcoai.build.book build ...``: jupyter-book's own command, with the chapters' kernels
started first (:mod:`telcoai.build.kernels`), so they warm up while jupyter-book and Sphinx start."""

from __future__ import annotations

import atexit
import os
import sys
import threading


def main() -> None:
    from telcoai.build import kernels

    kernels.start()
    from jupyter_book.cli.main import main as jupyter_book

    try:
        jupyter_book(prog_name="jupyter-book")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
    # Everything the build writes is written and closed by now. Python's own teardown of Sphinx's
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
    main()
