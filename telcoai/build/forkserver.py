"""One process that imports the chapters' third-party libraries once, and forks each chapter's kernel.

A kernel started as its own process spends about a second and a half of CPU
importing pandas, Altair, IPython and ipykernel before the chapter's first
line runs; with ten chapters on two cores that is several seconds of a cold
build. The build starts this process as it starts (:func:`start`). It imports
those libraries and nothing of the report, then forks a kernel whenever
jupyter_client asks for one (:class:`KernelManager`), so each kernel starts
with them loaded and still records every file of the repository its chapter
reads (:mod:`telcoai.build.lineage`).

Each kernel is a process of its own, in a session of its own, with the
environment, working folder and arguments jupyter_client gave it, as if it had
been started with ``python -m ipykernel_launcher``. The process follows the
build: when the build is gone it stops its kernels and exits. Without it (a
kernel asked for before it started, or another interpreter) kernels start as
their own processes.
"""

from __future__ import annotations

import atexit
import importlib
import importlib.util
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

#: Imported once in the fork server. Third-party only: the report's own modules are imported by each
#: chapter, so that its lineage records them.
PRELOAD = ("pandas", "altair", "IPython.display", "vl_convert", "ipykernel.kernelapp", "ipykernel.ipkernel")
LAUNCHER = ["-m", "ipykernel_launcher"]

_server: subprocess.Popen | None = None
_socket: Path | None = None


# The fork server's side.

def serve(path: str) -> None:
    """Import the libraries, then fork a kernel for every request on the socket at `path`."""
    # Ctrl-C reaches the whole build's process group; the build decides, and this process follows it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in PRELOAD:
        importlib.import_module(name)
    build = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    waiting = selectors.DefaultSelector()
    waiting.register(listener, selectors.EVENT_READ)
    kernels: dict[int, socket.socket] = {}
    while True:
        if waiting.select(timeout=0.1):
            connection, _ = listener.accept()
            request = json.loads(Lines(connection).read())
            pid = os.fork()
            if pid == 0:
                _become_kernel(request, connection, [listener, *kernels.values()])
            kernels[pid] = connection
        _reap(kernels)
        if os.getppid() != build:   # the build is gone: so are its kernels
            for pid in kernels:
                _signal(pid, signal.SIGKILL)
            os._exit(0)


def _reap(kernels: dict[int, socket.socket]) -> None:
    while kernels:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = kernels.pop(pid, None)
        if connection is not None:
            try:
                connection.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
            except OSError:
                pass
            connection.close()


def _become_kernel(request: dict, connection: socket.socket, others: list[socket.socket]) -> None:
    """In the forked child: become the kernel jupyter_client asked for. Never returns."""
    code = 1
    try:
        for other in others:
            other.close()
        signal.signal(signal.SIGINT, signal.default_int_handler)   # as in a process of its own
        # A session of its own, as jupyter_client gives a kernel, so that signalling the kernel's process
        # group reaches the kernel and what it starts, never the build. Said before the pid is reported.
        os.setsid()
        connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
        connection.close()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # The kernel exits if this process does (ipykernel's parent poller). ipykernel read the variable
        # when the server imported it, so the kernel is told on its command line too.
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        sys.argv = [*request["argv"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as done:
        code = exit_status(done)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class Lines:
    """Lines read from a socket, one JSON message each; what arrives after a line waits for the next read."""

    def __init__(self, connection: socket.socket):
        self.connection = connection
        self._buffer = b""

    def read(self, timeout: float | None = None) -> bytes | None:
        """The next line; b"" if the other end has closed; None if no whole line came within `timeout`."""
        self.connection.settimeout(timeout)
        while b"\n" not in self._buffer:
            try:
                chunk = self.connection.recv(4096)
            except (BlockingIOError, TimeoutError):
                return None
            if not chunk:
                return b""
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line


def exit_status(done: SystemExit) -> int:
    """The status a process exits with when `done` ends it, as Python itself would choose."""
    return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


# The build's side.

def start() -> None:
    """Start the fork server (once); kernels asked for from now on are forked from it."""
    global _server, _socket
    if _server is not None:
        return
    _socket = Path(tempfile.mkdtemp(prefix="telcoai-kernels-")) / "socket"
    # Run as a script, not as a module of the package: importing the package would start a chapter's
    # lineage record in the server, and every kernel would inherit it.
    _server = subprocess.Popen([sys.executable, __file__, str(_socket)], stdin=subprocess.DEVNULL)
    atexit.register(stop)


def stop() -> None:
    """Stop the fork server and the kernels it forked."""
    global _server
    if _server is None:
        return
    server, _server = _server, None
    server.kill()
    server.wait()
    if _socket is not None:
        _socket.unlink(missing_ok=True)
        _socket.parent.rmdir()


def running() -> bool:
    return _server is not None and _server.poll() is None


class Forked:
    """A kernel forked by the fork server, as jupyter_client's provisioner sees a process it started."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, lines: Lines):
        self.pid = pid
        self.returncode: int | None = None
        self._lines = lines

    def poll(self) -> int | None:
        if self.returncode is None:
            self._finish(self._lines.read(timeout=0))
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._finish(self._lines.read(timeout=timeout))
            if self.returncode is None:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
        return self.returncode

    def _finish(self, line: bytes | None) -> None:
        if line is None:   # still running
            return
        # The connection closed without a message: the fork server is gone, and its kernels with it.
        self.returncode = json.loads(line)["exit"] if line else 1
        self._lines.connection.close()

    def send_signal(self, signum: int) -> None:
        if self.returncode is None:
            _signal(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def fork(cmd: list[str], env: dict, cwd: str, wait: float = 60) -> Forked:
    """Ask the fork server for the kernel `cmd` would start."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    deadline = time.monotonic() + wait
    while True:   # the server binds its socket once it has imported the libraries
        try:
            connection.connect(str(_socket))
            break
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline or not running():
                raise RuntimeError("the kernels' fork server did not start")
            time.sleep(0.02)
    module = importlib.util.find_spec("ipykernel_launcher").origin
    request = {"argv": [module, *cmd[3:]], "env": dict(env), "cwd": str(cwd)}
    connection.sendall(json.dumps(request).encode() + b"\n")
    lines = Lines(connection)
    started = lines.read(timeout=wait)
    if not started:
        raise RuntimeError("the kernels' fork server could not fork a kernel")
    return Forked(json.loads(started)["pid"], lines)


def can_fork(cmd: list[str]) -> bool:
    """Whether `cmd` starts the kernel the fork server can fork: ipykernel, in this interpreter."""
    return (running() and len(cmd) >= 3 and cmd[1:3] == LAUNCHER
            and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable))


class Provisioner(LocalProvisioner):
    """jupyter_client's local provisioner, except that the kernel is forked from the fork server."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        if not can_fork(cmd):
            return await super().launch_kernel(cmd, **kwargs)
        self.cwd = kwargs.get("cwd") or os.getcwd()
        self.process = fork(cmd, kwargs.get("env") or os.environ, self.cwd)
        # The kernel made itself a session (and process group) leader before its pid was reported.
        self.pid = self.pgid = self.process.pid
        return self.connection_info


class KernelManager(AsyncKernelManager):
    """A kernel manager whose kernels come from the fork server while it runs."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = Provisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


if __name__ == "__main__":
    # This file's folder. ipykernel_launcher takes the working folder off the path in the same way, and
    # IPython puts back what a kernel's path should hold when the kernel starts.
    del sys.path[0]
    serve(sys.argv[1])
