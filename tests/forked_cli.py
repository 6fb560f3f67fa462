"""Run an `orgnet` command as a child of tests/cli_zygote.py (its libraries imported once), with
what ``subprocess.run(capture_output=True, text=True)`` gives back."""

from __future__ import annotations

import json
import locale
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ZYGOTE = Path(__file__).with_name("cli_zygote.py")
_lock = threading.Lock()
_zygote: subprocess.Popen | None = None
last_pid: int | None = None  # the process of the last command run here
cpu = 0.0  # seconds of CPU the commands run here took (not counted as this process's children)


def _started() -> subprocess.Popen:
    global _zygote
    if _zygote is None or _zygote.poll() is not None:
        _zygote = subprocess.Popen(
            [sys.executable, str(ZYGOTE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=tempfile.gettempdir(),  # nothing of the checkout first on its path
        )
    return _zygote


def _reply(zygote: subprocess.Popen, deadline: float | None) -> dict | None:
    """The zygote's next line; None when the deadline passed first."""
    assert zygote.stdout is not None
    while True:
        wait = None if deadline is None else max(deadline - time.monotonic(), 0)
        ready, _, _ = select.select([zygote.stdout], [], [], wait)
        if not ready:
            return None
        line = zygote.stdout.readline()
        if not line:
            raise RuntimeError("the command zygote ended")
        return json.loads(line)


def run(
    command: list[str],
    args: tuple[str, ...],
    env: dict[str, str],
    timeout: float | None,
    cwd: Path | None,
    stdin: str | None,
) -> subprocess.CompletedProcess | None:
    """The command's outcome; None when it cannot run here (another thread runs one, or
    ORGNET_TESTS_EXEC asks for interpreters of their own), to be run as a process instead."""
    if os.environ.get("ORGNET_TESTS_EXEC") or not _lock.acquire(blocking=False):
        return None
    try:
        with tempfile.TemporaryDirectory(prefix="orgnet-cmd-") as folder:
            streams = Path(folder)
            if stdin is not None:
                (streams / "stdin").write_text(stdin, encoding=_ENCODING)
            zygote = _started()
            assert zygote.stdin is not None
            request = {
                "argv": list(args),
                "env": env,
                "cwd": str(cwd or os.getcwd()),
                "stdin": str(streams / "stdin") if stdin is not None else None,
                "stdout": str(streams / "stdout"),
                "stderr": str(streams / "stderr"),
            }
            zygote.stdin.write(json.dumps(request) + "\n")
            zygote.stdin.flush()
            started = _reply(zygote, None)
            assert started is not None
            global last_pid
            last_pid = started["pid"]
            deadline = None if timeout is None else time.monotonic() + timeout
            ended = _reply(zygote, deadline)
            if ended is None:
                os.kill(started["pid"], signal.SIGKILL)
                _reply(zygote, None)
                raise subprocess.TimeoutExpired(
                    [*command, *args], timeout or 0, _read(streams / "stdout"),
                    _read(streams / "stderr"),
                )  # fmt: skip
            global cpu
            cpu += ended["cpu"]
            return subprocess.CompletedProcess(
                [*command, *args],
                os.waitstatus_to_exitcode(ended["status"]),
                _read(streams / "stdout"),
                _read(streams / "stderr"),
            )
    finally:
        _lock.release()


_ENCODING = locale.getpreferredencoding(False)


def _read(path: Path) -> str:
    """As ``text=True`` reads a stream: the locale's encoding, universal newlines."""
    try:
        with open(path, encoding=_ENCODING) as f:
            return f.read()
    except FileNotFoundError:
        return ""
