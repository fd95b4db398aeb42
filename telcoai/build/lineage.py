"""Record what a chapter actually reads while it executes.

The build sets ``TELCOAI_LINEAGE_RECORD`` to a file path before it executes a
chapter. When the chapter's kernel imports :mod:`telcoai`, :func:`start`
installs an audit hook that notes every file of the repository the kernel
opens (tables, ``datapackage.json``, ``CITATION.cff``, the package's own
modules), every folder of it the kernel lists (the archived editions) and
every ``telcoai`` module it imports, and rewrites the record
whenever something new appears. The build then makes the chapter depend on
exactly those files, so a helper that reads a table without declaring it can
never leave a chapter stale, and code the chapter never ran (the build side)
never re-executes it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from telcoai.kernel.paths import ROOT

ENV_VAR = "TELCOAI_LINEAGE_RECORD"
#: Folders whose files are never inputs of a chapter.
IGNORED = {".git", ".venv", "_build", "node_modules", "__pycache__"}

_record: dict | None = None
_target: Path | None = None
_writing = False


def _inside(path: str) -> str | None:
    """The path relative to the repository, if it is a repository input."""
    try:
        relative = Path(os.path.abspath(path)).relative_to(ROOT)
    except ValueError:
        return None
    if not relative.parts or relative.parts[0] in IGNORED or "__pycache__" in relative.parts:
        return None
    if relative.parts[:2] == ("telcoai", "build"):
        return None   # the build side is never a chapter's input
    return relative.as_posix()


def _module_files() -> set[str]:
    files = set()
    for name, module in list(sys.modules.items()):
        if name == "telcoai" or name.startswith("telcoai."):
            found = _inside(getattr(module, "__file__", None) or "")
            if found:
                files.add(found)
    return files


def _save() -> None:
    global _writing
    _writing = True
    try:
        temporary = _target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"files": sorted(_record["files"])}, indent=1), encoding="utf-8")
        os.replace(temporary, _target)
    finally:
        _writing = False


def _note(files: set[str]) -> None:
    new = files - _record["files"]
    if new:
        _record["files"] |= new
        _save()


def _by_the_import_system() -> bool:
    """Whether the folder is being listed by Python's import machinery (looking for a module), not by the chapter."""
    frame = sys._getframe(2)   # the caller of os.listdir or os.scandir (past this function and the hook)
    return frame is not None and frame.f_code.co_filename.startswith("<frozen importlib")


def _hook(event: str, args: tuple) -> None:
    if _writing or _record is None:
        return
    if event == "open" and args and isinstance(args[0], (str, os.PathLike)):
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        if "r" in mode or mode == "":
            found = _inside(os.fspath(args[0]))
            if found:
                _note({found} | _module_files())
    elif event == "import" and args and str(args[0]).startswith("telcoai"):
        _note(_module_files())
    elif event in ("os.listdir", "os.scandir") and args and not _by_the_import_system():
        # A folder listed is an input too: a file added to it (a new edition) changes what the chapter shows.
        # Recorded with a trailing slash; the build digests the folder's entry names.
        listed = args[0]
        if listed is None or isinstance(listed, (str, os.PathLike)):
            found = _inside(os.fspath(listed) if listed is not None else os.getcwd())
            if found:
                _note({found + "/"})


def start() -> None:
    """Begin recording into the file the build named, if it named one (once per kernel)."""
    global _record, _target
    path = os.environ.get(ENV_VAR)
    if not path or _record is not None:
        return
    _target = Path(path)
    _target.parent.mkdir(parents=True, exist_ok=True)
    _record = {"files": set()}
    _record["files"] |= _module_files()
    _save()
    sys.addaudithook(_hook)


def read(path: Path) -> list[str]:
    """The repository files (and, ending in "/", folders) a finished execution recorded (relative paths)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))["files"]
    except (FileNotFoundError, ValueError, KeyError):
        return []
