"""The embedded engine: Neo4j Community 5.26 LTS in a JVM of its own, driven from Python.

Everything it keeps lives in one home directory (``ORGNET_HOME``)::

    data/        the store
    logs/        Neo4j's own logs and engine.out (the JVM's output)
    password     the generated password of the neo4j user, readable by its owner only
    port         the Bolt port chosen at the first start, reused afterwards
    engine.pid   the JVM's pid while it runs
    control      a named pipe, the owner's alone, the engine takes requests from
    neo4j.conf   when present, Neo4j's own settings (``name=value`` lines), read at each start;
                 the engine's own (authentication, the Bolt address, the page cache) win

so two homes run side by side on different ports, and the tests never touch a user's data.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from . import class_archive
from .errors import DiskFull, EngineError, OrgnetError
from .settings import Settings

MAIN_CLASS = "orgnet.engine.Engine"
DEFAULT_PORT = 7687
# Open files: the engine opens its few hundred jars, then the store's files and a socket per
# client; below the least it fails in ways that do not name the cause, and Neo4j asks for the
# recommended number.
FILES_LEAST = 1024
FILES_RECOMMENDED = 40_000
# Below this the disk of the home is called full when the engine fails writing.
DISK_LEAST = 64 * 1024 * 1024
PORT_ATTEMPTS = 3
RESTART_STOP = 15.0  # seconds a database that stopped itself is given to shut down
# Held by the offline importer (graph.importer) while it writes the store: no engine starts.
IMPORT_LOCK = "importing"
# The named pipe the engine takes requests from (an import of its store: graph.importer).
CONTROL = "control"


def importing_now(home: Path) -> bool:
    """Whether the offline importer is writing this home's store."""
    path = home / IMPORT_LOCK
    if not path.exists():
        return False
    import fcntl

    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def free_space(path: Path) -> int:
    """Bytes free to this user on the file system holding ``path`` (or its nearest parent)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return 0


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def _allow_open_files() -> int:
    """Raise this process's limit of open files (which the engine inherits) towards what Neo4j
    recommends, as far as the hard limit lets it; the soft limit it gets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = hard == resource.RLIM_INFINITY
    wanted = FILES_RECOMMENDED if unlimited else min(FILES_RECOMMENDED, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return FILES_RECOMMENDED if soft == resource.RLIM_INFINITY else soft


class _PortTaken(Exception):
    """The engine could not bind its port (taken between the check and the bind)."""


@dataclass(frozen=True)
class EngineStatus:
    home: Path
    running: bool
    pid: int | None
    port: int | None

    @property
    def uri(self) -> str | None:
        return f"bolt://127.0.0.1:{self.port}" if self.port else None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _any_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# The engine's Maven project as this package carries it: engine/ in a checkout, orgnet/engine
# in an installed wheel.
PACKAGED_ENGINE = Path(__file__).resolve().parent.parent / "engine"


class EmbeddedEngine:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.orgnet_home.resolve()
        self.engine_dir = settings.orgnet_engine_dir.resolve()

    # -- files of the home -------------------------------------------------------------------

    @property
    def pid_file(self) -> Path:
        return self.home / "engine.pid"

    @property
    def port_file(self) -> Path:
        return self.home / "port"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "engine.out"

    @property
    def control_file(self) -> Path:
        return self.home / CONTROL

    def _make_control(self) -> None:
        """The pipe the engine reads requests from, made before it starts (it reads one only
        if it finds it then)."""
        try:
            if stat.S_ISFIFO(self.control_file.lstat().st_mode):
                return
            self.control_file.unlink()
        except FileNotFoundError:
            pass
        os.mkfifo(self.control_file, 0o600)

    def request(self, line: str) -> bool:
        """Give the running engine a request (a line) through its pipe; False when no engine
        reads it (none runs, or one started by an older orgnet or before the pipe was made).
        The engine holds the pipe open from before it is ready until it ends."""
        try:
            fd = os.open(self.control_file, os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
        except OSError:  # ENXIO: nobody has the pipe open to read
            return False
        try:
            if not stat.S_ISFIFO(os.fstat(fd).st_mode):
                return False
            if line:
                os.write(fd, (line + "\n").encode())
            return True
        finally:
            os.close(fd)

    def listening(self) -> bool:
        """Whether the running engine reads its pipe (an engine started by an older orgnet,
        or before the pipe was made, does not)."""
        return self.request("")

    def ensure_home(self) -> None:
        """Create the home readable by its owner only, or check that it is.

        The store holds personal data in clear (the phones the questions mask), so a home that
        other users can enter would leave them to copy it: it is refused, not used.
        """
        if self.home.exists() and not self.home.is_dir():
            raise EngineError(
                f"ORGNET_HOME {self.home} is a file; it must name a folder "
                "(one is created if it does not exist)"
            )
        if not self.home.exists():
            try:
                self.home.mkdir(parents=True, mode=0o700)
            except OSError as e:
                raise EngineError(f"cannot create the home {self.home}: {e.strerror}") from e
            os.chmod(self.home, 0o700)  # mkdir's mode is cut by the umask, never widened
        info = self.home.stat()
        if info.st_uid != os.getuid():
            raise EngineError(
                f"the home {self.home} belongs to another user; give this user a home of its "
                f"own with ORGNET_HOME"
            )
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise EngineError(
                f"the home {self.home} is open to other users (mode {mode:o}), and its store "
                f"holds personal data in clear; make it private: chmod 700 {self.home}"
            )

    def password(self) -> str:
        """The neo4j user's password, generated at first use into an owner-only file."""
        if not self.password_file.exists():
            self.ensure_home()
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(24) + "\n")
        os.chmod(self.password_file, 0o600)
        return self.password_file.read_text().strip()

    def _recorded_port(self) -> int | None:
        """The port this home chose before; None when there is none or the file is not one."""
        try:
            port = int(self.port_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return port if 0 < port < 65536 else None

    def port(self) -> int:
        """The Bolt port: ORGNET_PORT, else the one this home chose before if it is free, else
        a free one (the default 7687 first), recorded for next time."""
        if self.settings.orgnet_port:
            return self.settings.orgnet_port
        recorded = self._recorded_port()
        if recorded is not None and _port_free(recorded):
            return recorded
        # First start, or the recorded port was since taken (by another home, say).
        port = DEFAULT_PORT if _port_free(DEFAULT_PORT) else _any_free_port()
        self.ensure_home()
        self.port_file.write_text(f"{port}\n")
        return port

    # -- build -------------------------------------------------------------------------------

    def _built(self) -> bool:
        lib = self.engine_dir / "target" / "lib"
        main = self.launcher
        if not (lib.is_dir() and main.exists()):
            return False
        sources = [self.engine_dir / "pom.xml", *self.engine_dir.glob("src/**/*.java")]
        newest = max(p.stat().st_mtime for p in sources)
        return main.stat().st_mtime >= newest

    def _sync_sources(self) -> None:
        """An engine folder outside the checkout (an installed wheel builds in the user's cache)
        gets the Maven project the package carries, and gets it again when it changed."""
        if self.engine_dir == PACKAGED_ENGINE.resolve():
            return
        wanted = [PACKAGED_ENGINE / "pom.xml", *PACKAGED_ENGINE.glob("src/**/*.java")]
        if not wanted[0].is_file():
            raise EngineError(f"the engine's Maven project is missing from {PACKAGED_ENGINE}")
        for source in wanted:
            target = self.engine_dir / source.relative_to(PACKAGED_ENGINE)
            if not target.is_file() or target.read_bytes() != source.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)

    def build(self) -> None:
        """Compile the launcher and fetch Neo4j's jars from Maven Central, once — and by one
        process at a time: two that build at once (two test workers on a fresh clone, two
        commands after an install) would copy the same jars over each other."""
        import fcntl

        self._sync_sources()
        if self._built():
            return
        self.engine_dir.mkdir(parents=True, exist_ok=True)
        with open(self.engine_dir / ".build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self._built():  # built by the process that held the lock first
                self._maven()

    def _maven(self) -> None:
        if shutil.which("mvn") is None:
            raise EngineError(
                "Maven (mvn) is not installed; it fetches the engine's jars. "
                "Install it (Debian: apt-get install maven) or set NEO4J_URI to use another Neo4j.",
                said="no_maven",
            )
        self._require_java()
        done = subprocess.run(
            ["mvn", "-B", "-q", "-f", str(self.engine_dir / "pom.xml"), "package"],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            said = done.stdout + done.stderr
            log = self.engine_dir / "build.log"
            try:
                log.write_text(said)
                where = f" (Maven's whole output: {log})"
            except OSError:
                where = ""
            errors = [line for line in said.splitlines() if line.startswith("[ERROR]")]
            cause = (errors[0][7:].strip() if errors else _cause(said))[:300]
            raise EngineError(f"building the engine with Maven failed: {cause}{where}")

    @staticmethod
    def _require_java() -> str:
        java = shutil.which("java")
        if java is None:
            raise EngineError(
                "Java is not installed; the embedded engine needs JDK 17 "
                "(Debian: apt-get install openjdk-17-jdk-headless) — or set NEO4J_URI.",
                said="no_java",
            )
        return java

    # -- lifecycle ---------------------------------------------------------------------------

    def _live(self) -> tuple[int, int] | None:
        """The running engine of this home: (pid, the port it was started on)."""
        try:
            pid = int(self.pid_file.read_text().strip())
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return None
            cmdline = proc.cmdline()
        except (OSError, ValueError, psutil.Error):
            return None
        # The launcher's arguments: MAIN_CLASS HOME PORT PAGECACHE.
        if MAIN_CLASS in cmdline and str(self.home) in cmdline:
            try:
                return pid, int(cmdline[cmdline.index(MAIN_CLASS) + 2])
            except (IndexError, ValueError):
                return None
        return None

    def status(self) -> EngineStatus:
        live = self._live()
        if live is not None:
            pid, port = live
            return EngineStatus(self.home, _bolt_answers(port), pid, port)
        return EngineStatus(
            self.home, False, None, self.settings.orgnet_port or self._recorded_port()
        )

    def start(self, timeout: float = 180.0) -> EngineStatus:
        """Start the engine unless it runs already; return once Bolt answers."""
        self.ensure_home()
        current = self.status()
        pinned = self.settings.orgnet_port
        if current.pid is not None and pinned and current.port != pinned:
            raise EngineError(
                f"the engine of {self.home} runs on port {current.port}, but ORGNET_PORT asks "
                f"for {pinned}; stop it first (orgnet db stop) or unset ORGNET_PORT"
            )
        if current.running:
            return current
        if importing_now(self.home):
            raise EngineError(
                f"a first load is importing its rows into the store of {self.home}; the "
                f"engine answers again when it has finished — run the command again then",
                said="importing",
                home=self.home,
            )
        if current.pid is not None:  # started but Bolt not yet up: wait for it
            assert current.port is not None
            return self._wait_ready(current.pid, current.port, timeout)
        self.build()
        java = self._require_java()
        password = self.password()
        del password  # the JVM reads the file itself; it never passes through argv
        files = _allow_open_files()
        if files < FILES_LEAST:
            raise EngineError(
                f"this session may open only {files} files at once (ulimit -n), too few for the "
                f"engine (at least {FILES_LEAST:,}, {FILES_RECOMMENDED:,} recommended); raise "
                f"the limit (ulimit -n {FILES_RECOMMENDED}, or LimitNOFILE= of a service) and "
                f"start again"
            )
        for attempt in range(PORT_ATTEMPTS):
            port = self.port() if attempt == 0 else self._another_port()
            if not _port_free(port):
                raise EngineError(
                    f"port {port} on 127.0.0.1 is taken by another process; stop it, or give "
                    f"this home another port with ORGNET_PORT (home: {self.home})"
                )
            try:
                return self._launch(java, port, timeout)
            except _PortTaken:
                if pinned:
                    raise EngineError(
                        f"port {port} (ORGNET_PORT) was taken by another process as the engine "
                        f"started; stop it, or give this home another port with ORGNET_PORT"
                    ) from None
        raise EngineError(
            f"every port the engine tried ({PORT_ATTEMPTS}) was taken by another process as it "
            f"started; give this home a port of its own with ORGNET_PORT"
        )

    def _another_port(self) -> int:
        """A free port, recorded for next time: the one tried was taken as the engine bound it."""
        port = _any_free_port()
        self.port_file.write_text(f"{port}\n")
        return port

    @property
    def launcher(self) -> Path:
        return self.engine_dir / "target" / "orgnet-engine.jar"

    def classpath(self) -> str:
        """The launcher's jar and Neo4j's (a jar, not a folder of classes: the JVM archives
        classes from jars only) — the offline importer's too, so that it maps the archive."""
        return os.pathsep.join([str(self.launcher), str(self.engine_dir / "target/lib/*")])

    def _command(self, java: str, home: Path, port: int, pagecache: str) -> list[str]:
        classpath = self.classpath()
        return [
            java,
            f"-Xms{self.settings.orgnet_heap}",
            f"-Xmx{self.settings.orgnet_heap}",
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dfile.encoding=UTF-8",
            # What Neo4j's own launcher passes on JDK 17: direct access to NIO buffers for the
            # page cache, and Netty's reflective buffers for Bolt.
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Djdk.nio.maxCachedBufferSize=1024",
            "-Dlog4j2.disable.jmx=true",
            "-cp",
            classpath,
            MAIN_CLASS,
            str(home),
            str(port),
            pagecache,
        ]

    def archived(self, java: str) -> list[str]:
        """The options that map the class-data archive (graph.class_archive), made first if
        this build of the engine on this JVM has none and none was tried; [] without one."""
        target = self.engine_dir / "target"
        print_ = class_archive.fingerprint(java, class_archive.jars(target, self.launcher))
        if class_archive.usable(target, print_):
            return class_archive.use_flags(target)
        if class_archive.settled(target, print_) or not os.access(target, os.W_OK):
            return []
        import fcntl

        with open(self.engine_dir / ".build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not class_archive.settled(target, print_):  # made by the lock's first holder
                port = _any_free_port()
                class_archive.make(
                    target, print_, lambda home: self._command(java, home, port, "64m"), port
                )
        usable = class_archive.usable(target, print_)
        return class_archive.use_flags(target) if usable else []

    def _launch(self, java: str, port: int, timeout: float) -> EngineStatus:
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        self._make_control()
        command = self._command(java, self.home, port, self.settings.orgnet_pagecache)
        command[1:1] = self.archived(java)
        try:
            with open(self.log_file, "ab") as log:
                offset = log.tell()
                log.write(
                    f"\n--- start {time.strftime('%Y-%m-%d %H:%M:%S')} port {port}\n".encode()
                )
                log.flush()
                proc = subprocess.Popen(
                    command,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # outlives the command that started it
                    cwd=self.home,
                    umask=0o077,  # the store's files, like its home, are the owner's alone
                )
            self.pid_file.write_text(f"{proc.pid}\n")
        except OSError as e:
            raise self._failure(str(e)) from e
        return self._wait_ready(proc.pid, port, timeout, proc, offset)

    def _ready_since(self, offset: int) -> bool:
        # The launcher prints READY after the password is set, which is later than Bolt first
        # accepting connections; a client that came earlier would be refused.
        with open(self.log_file, "rb") as log:
            log.seek(offset)
            return b"READY" in log.read()

    def _wait_ready(
        self,
        pid: int,
        port: int,
        timeout: float,
        proc: subprocess.Popen | None = None,
        offset: int | None = None,
    ) -> EngineStatus:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            exited = proc.poll() is not None if proc else not psutil.pid_exists(pid)
            if exited:
                self.pid_file.unlink(missing_ok=True)
                said = self.said_since(offset)
                if _BIND.search(said):
                    raise _PortTaken(port)
                raise self._failure(said)
            ready = offset is None or self._ready_since(offset)
            if ready and _bolt_answers(port):
                return EngineStatus(self.home, True, pid, port)
            time.sleep(0.25)
        raise EngineError(
            f"the engine did not answer within {timeout:.0f} s; it is still starting or "
            f"stuck — see {self.log_file} (orgnet db stop stops it)"
        )

    def said_since(self, offset: int | None) -> str:
        """What the JVM printed since ``offset`` (this start's own output)."""
        try:
            with open(self.log_file, "rb") as log:
                log.seek(offset or 0)
                return log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _failure(self, said: str) -> OrgnetError:
        """Why the engine would not start, in one line: the cause the log names in words when
        it is one a user can remove, else the deepest exception's own message."""
        log = f"(the engine's log: {self.log_file})"
        free = free_space(self.home)
        if _NO_SPACE.search(said) or free < DISK_LEAST:
            return DiskFull(
                f"the disk holding {self.home} is full ({megabytes(free)} free), so the engine "
                f"cannot start; free some space and run the command again",
                said="disk_full_start",
                home=self.home,
                free=megabytes(free),
            )
        if _FILES.search(said):
            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
            return EngineError(
                f"the engine ran out of open files (this session allows {soft}, ulimit -n); "
                f"raise the limit to {FILES_RECOMMENDED:,} (ulimit -n {FILES_RECOMMENDED}) and "
                f"start again {log}"
            )
        if _HEAP_FORM.search(said):
            return EngineError(
                f"ORGNET_HEAP {self.settings.orgnet_heap!r} is not a size the engine takes; "
                f"write it as 4g or 512m {log}"
            )
        if _MEMORY.search(said):
            return EngineError(
                f"the engine could not have the memory it asks for (ORGNET_HEAP "
                f"{self.settings.orgnet_heap}, ORGNET_PAGECACHE {self.settings.orgnet_pagecache}); "
                f"give it less, or free memory, and start again {log}"
            )
        if _LOCKED.search(said):
            return EngineError(
                f"the store in {self.home} is held by another process (another engine of the "
                f"same home, or a copy of it running); stop that one first {log}"
            )
        return EngineError(f"the engine stopped while starting: {_cause(said)} {log}")

    def stop(self, timeout: float = 120.0) -> bool:
        """Stop the engine cleanly (SIGTERM: the store is flushed). True if it was running."""
        live = self._live()
        if live is None:
            if self.home.is_dir():
                self.pid_file.unlink(missing_ok=True)
            return False
        pid = live[0]
        os.kill(pid, signal.SIGTERM)
        if not _ended(pid, timeout):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def restart(self, timeout: float = 180.0) -> EngineStatus:
        """Stop the engine and start it again: a database that stopped itself after a fault
        (the disk full) comes back, recovering what its log holds. Such a database has nothing
        left it can flush, and its shutdown may never end: it is given a few seconds."""
        self.stop(timeout=RESTART_STOP)
        return self.start(timeout)


def _ended(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for the process to end. One that ended but is not this
    process's child stays a zombie until its parent reaps it (an engine a server or a test
    started, stopped by a command): psutil's wait would wait out the whole timeout on it."""
    deadline = time.monotonic() + timeout
    try:
        process = psutil.Process(pid)
        while True:
            if process.status() == psutil.STATUS_ZOMBIE:
                with contextlib.suppress(psutil.Error):
                    process.wait(0)  # reaped, if it is a child of ours
                return True
            try:
                process.wait(min(0.1, max(0.0, deadline - time.monotonic())))
                return True
            except psutil.TimeoutExpired:
                if time.monotonic() >= deadline:
                    return False
    except psutil.NoSuchProcess:
        return True


# What a start's log says, read for a cause a user can remove.
_BIND = re.compile(r"BindException|Address already in use|PortBindException")
_NO_SPACE = re.compile(r"No space left on device|Disk quota exceeded")
_FILES = re.compile(
    r"Too many open files|Error loading java\.security file|A JNI error has occurred"
)
_HEAP_FORM = re.compile(r"Invalid (maximum|initial) heap size")
_MEMORY = re.compile(
    r"Could not reserve enough space|OutOfMemoryError|"
    r"Cannot allocate memory|insufficient memory"
)
_LOCKED = re.compile(r"FileLockException|StoreLockException|Lock file has been locked")
_EXCEPTION = re.compile(
    r'^(?:Caused by: |Exception in thread "[^"]*" )?([\w.$]+(?:Exception|Error)): ?(.*)$'
)


def _cause(said: str) -> str:
    """The deepest exception a Java trace names, as ``message (Type)``; else its last line."""
    found = None
    for line in said.splitlines():
        match = _EXCEPTION.match(line.strip())
        if match:
            found = match
    if found is not None:
        kind = found.group(1).rsplit(".", 1)[-1]
        message = found.group(2).strip()
        return f"{message} ({kind})" if message else kind
    lines = [
        line.strip()
        for line in said.splitlines()
        if line.strip() and not line.startswith("--- start") and not line.strip().startswith("at ")
    ]
    return lines[-1] if lines else "it printed nothing"
