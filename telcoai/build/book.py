"""``python -m telcoai.build.book build ...``: jupyter-book's own command, with the chapters' kernels
started first (:mod:`telcoai.build.kernels`), so they warm up while jupyter-book and Sphinx start."""

from __future__ import annotations


def main() -> None:
    from telcoai.build import kernels

    kernels.start()
    from jupyter_book.cli.main import main as jupyter_book

    jupyter_book(prog_name="jupyter-book")


if __name__ == "__main__":
    main()
