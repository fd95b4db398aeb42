"""Kernels forked from the fork server: the same folder, path, environment and (empty) set of the report's
modules as a kernel started as a process of its own; a session of their own; and none outlives the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import nbformat
import psutil

from conftest import ROOT

CHAPTER = ROOT / "chapters" / "changelog.md"
PROBE = ("import json, os, sys\n"
         "print(json.dumps({'cwd': os.getcwd(), 'path': sys.path, 'record': os.environ.get('TELCOAI_LINEAGE_RECORD'),"
         " 'report_modules': sorted(m for m in sys.modules if m.split('.')[0] == 'telcoai'),"
         " 'pid': os.getpid(), 'pgid': os.getpgid(0), 'ppid': os.getppid()}))")


def _probe(record):
    from telcoai.build import execute

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)],
                                        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}})
    executed, _ = execute._run(notebook, CHAPTER, record, timeout=120)
    return json.loads(executed.cells[0].outputs[0]["text"])


def test_a_forked_kernel_sees_what_a_kernel_of_its_own_sees(tmp_path):
    from telcoai.build import forkserver

    forkserver.stop()   # one another test started
    own = _probe(tmp_path / "own.json")   # no fork server: a process of its own
    forkserver.start()
    try:
        server = forkserver._server.pid
        forked = _probe(tmp_path / "forked.json")
    finally:
        forkserver.stop()
    assert forked["ppid"] == server and own["ppid"] != server
    for key in ("cwd", "path", "report_modules"):
        assert forked[key] == own[key], key
    assert forked["record"] == str(tmp_path / "forked.json") and own["record"] == str(tmp_path / "own.json")
    # Its own session and process group, so signalling the kernel's group never reaches the build.
    assert forked["pgid"] == forked["pid"] != os.getpgid(0)


def test_the_fork_server_and_its_kernels_go_when_the_build_goes(tmp_path):
    script = ("import time\nfrom telcoai.build import forkserver, kernels\nkernels.start(1)\n"
              "time.sleep(8)\nprint(forkserver._server.pid, flush=True)\nimport os\nos._exit(0)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    server = int(done.stdout.split()[0])
    deadline = time.time() + 10
    while time.time() < deadline and (psutil.pid_exists(server) or _forked_kernels()):
        time.sleep(0.2)
    assert not psutil.pid_exists(server)
    assert not _forked_kernels()


def _forked_kernels() -> list[int]:
    from telcoai.build import forkserver

    return [p.pid for p in psutil.process_iter(["cmdline"])
            if forkserver.__file__ in (p.info["cmdline"] or []) and p.status() != psutil.STATUS_ZOMBIE]


def test_messages_from_the_fork_server_are_read_whole_one_line_at_a_time():
    import socket

    from telcoai.build.forkserver import Lines

    ours, theirs = socket.socketpair()
    lines = Lines(ours)
    assert lines.read(timeout=0) is None              # nothing yet
    theirs.sendall(b'{"pid": 7}\n{"ex')                # a kernel that exits at once: two messages, one cut
    assert json.loads(lines.read(timeout=1)) == {"pid": 7}
    assert lines.read(timeout=0) is None              # half a line is not a line
    theirs.sendall(b'it": 0}\n')
    assert json.loads(lines.read(timeout=1)) == {"exit": 0}
    theirs.close()
    assert lines.read(timeout=1) == b""               # the server is gone
