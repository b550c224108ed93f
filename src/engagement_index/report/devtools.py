"""One headless chromium driven over the DevTools protocol on a pipe (standard library only).

``chromium --remote-debugging-pipe`` reads protocol commands from its file descriptor 3
and writes replies and events to descriptor 4, one JSON message per NUL-terminated
frame. One browser prints every page of a run (``Page.printToPDF``, each page in its own
tab), instead of one chromium process per page: a chromium start costs about 0.5 s of
CPU, a printed page about 0.2 s.

Calls are thread-safe: each waits for the reply carrying its id; a reader thread hands
every reply to its caller (events are not used). Each page opens in a new tab
(``Target.createTarget`` with the page's URL; navigating a tab from ``about:blank`` to a
``file:`` URL kills its renderer in headless chromium 156).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
from concurrent.futures import Future
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)
"""Chromium's flags (``--no-pdf-header-footer`` and ``--run-all-compositor-stages-before-
draw``, used with ``--print-to-pdf``, make the renderer crash over the pipe)."""

PRINT = {"displayHeaderFooter": False, "printBackground": True, "generateTaggedPDF": True}
"""``Page.printToPDF`` options: what ``--print-to-pdf --no-pdf-header-footer`` prints
(letter paper, default margins, backgrounds, tagged PDF)."""

LOADED = "document.readyState === 'complete' && location.protocol === 'file:'"
"""True once the tab shows the page (not its initial ``about:blank``), images included."""


class DevToolsError(RuntimeError):
    """Chromium refused a command, did not answer in time, or exited."""


SOCKET_PATH = 100
"""Longest path of chromium's SingletonSocket that stays under the 108 bytes of a Unix
socket address [characters]."""


def _environment(profile: str) -> dict[str, str]:
    """Chromium's environment, with the first temporary folder where the socket it makes
    (``TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket``) has a short enough path
    (else chromium exits): inside ``profile`` (removed with it), the usual temporary
    folder, ``/tmp``."""
    for folder in (profile, tempfile.gettempdir(), "/tmp"):
        socket = os.path.join(folder, "org.chromium.Chromium.XXXXXX", "SingletonSocket")
        if len(socket) <= SOCKET_PATH:
            return {**os.environ, "TMPDIR": folder}
    return {**os.environ, "TMPDIR": "/tmp"}


def _remove(folder: str) -> None:
    """Remove chromium's profile folder; its helper processes may still be writing there
    for a moment after it exits, so try again for up to 2 s."""
    for _ in range(20):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder):
            return
        time.sleep(0.1)


def _pipe_fds(commands: int, replies: int) -> None:
    """In the child before exec: the command pipe on fd 3, the reply pipe on fd 4."""
    first, second = os.dup(commands), os.dup(replies)
    os.dup2(first, 3)
    os.dup2(second, 4)
    os.set_inheritable(3, True)
    os.set_inheritable(4, True)


class Browser:
    """A running headless chromium; use as a context manager (closed on exit).

    Parameters
    ----------
    binary : str
        Path of chromium.
    timeout : float
        Seconds to wait for any one reply (and for a page to load).
    """

    def __init__(self, binary: str, timeout: float = 120):
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        # removed by close(), or whenever this object goes (an interrupt in __init__, exit)
        self._remove_profile = weakref.finalize(self, _remove, self._profile)
        commands_in, commands_out = os.pipe()
        replies_in, replies_out = os.pipe()
        self._log = open(Path(self._profile) / "stderr.log", "w+b")  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [binary, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                pass_fds=(3, 4),
                preexec_fn=lambda: _pipe_fds(commands_in, replies_out),
                env=_environment(self._profile),
                start_new_session=True,  # one process group: killed together
            )
        except OSError as exc:
            for fd in (commands_in, commands_out, replies_in, replies_out):
                os.close(fd)
            self._log.close()
            self._remove_profile()
            raise DevToolsError(f"cannot start {binary}: {exc}") from None
        os.close(commands_in)
        os.close(replies_out)
        self._out = os.fdopen(commands_out, "wb", buffering=0)
        self._in = os.fdopen(replies_in, "rb", buffering=0)
        self._lock = threading.Lock()  # guards the ids and the pending replies
        self._write = threading.Lock()  # one message at a time on the pipe
        self._next = 0
        self._pending: dict[int, Future] | None = {}  # None once chromium has exited
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Hand each reply to its caller; when the pipe ends or a reply cannot be read,
        fail every pending call with the reason (never leave a caller to time out)."""
        reason = "chromium exited"
        buf = b""
        try:
            while chunk := self._in.read(1 << 20):
                buf += chunk
                *frames, buf = buf.split(b"\0")
                for frame in frames:
                    message = json.loads(frame)
                    with self._lock:
                        future = self._pending.pop(message.get("id", -1), None)
                    if future is not None:
                        future.set_result(message)
        except (OSError, ValueError, AttributeError) as exc:
            reason = f"unreadable reply from chromium ({exc})"
        with self._lock:
            pending, self._pending = self._pending, None
        for future in pending.values():
            future.set_exception(DevToolsError(f"{reason}: {self._stderr()}"))

    def _stderr(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()[-500:]

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and return its result; raise :class:`DevToolsError`."""
        future: Future = Future()
        with self._lock:
            if self._pending is None:
                raise DevToolsError(f"chromium exited: {self._stderr()}")
            self._next += 1
            ident = self._next
            self._pending[ident] = future
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            with self._write:
                self._out.write(json.dumps(message).encode() + b"\0")
        except OSError as exc:
            with self._lock:
                if self._pending is not None:
                    self._pending.pop(ident, None)
            raise DevToolsError(f"chromium exited: {self._stderr()}") from exc
        try:
            reply = future.result(self.timeout)
        except TimeoutError:
            raise DevToolsError(f"chromium did not answer {method} in {self.timeout} s") from None
        if "error" in reply:
            raise DevToolsError(f"{method}: {reply['error'].get('message', reply['error'])}")
        return reply["result"]

    def _wait_loaded(self, session: str) -> None:
        deadline = time.monotonic() + self.timeout
        params = {"expression": LOADED, "returnByValue": True}
        while time.monotonic() < deadline:
            try:
                if self.call("Runtime.evaluate", params, session)["result"].get("value"):
                    return
            except DevToolsError as exc:  # the initial document's context went away
                if "context" not in str(exc).lower():
                    raise
            time.sleep(0.01)
        raise DevToolsError(f"page did not load in {self.timeout} s")

    def print_pdf(self, html: Path, pdf: Path) -> None:
        """Open ``html`` in a new tab, print it to ``pdf``, close the tab."""
        target = self.call("Target.createTarget", {"url": html.resolve().as_uri()})["targetId"]
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})
            self._wait_loaded(session["sessionId"])
            data = self.call("Page.printToPDF", PRINT, session["sessionId"])["data"]
        finally:  # a tab of a chromium that died cannot be closed: keep the first error
            with contextlib.suppress(DevToolsError):
                self.call("Target.closeTarget", {"targetId": target})
        pdf.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Close chromium (killed, with its helper processes, after 10 s or on an interrupt)
        and remove its profile."""
        try:
            if self._proc.poll() is None:
                with contextlib.suppress(DevToolsError):  # it may exit before replying
                    self.call("Browser.close")
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            pass
        finally:
            self._kill()
            self._out.close()
            self._reader.join(10)
            self._in.close()
            self._log.close()
            self._remove_profile()

    def _kill(self) -> None:
        """Kill chromium's process group (its renderers and helpers too), if any is left."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        self._proc.wait()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
