"""The `orgnet` command, forked from a process that has imported its libraries already.

A command run from a fresh interpreter spends two thirds of its CPU importing the driver, typer,
rich, pydantic and the rest (~0.4 s of ~0.7 s for `orgnet census`), and the suite runs several
hundred commands on two busy cores. This process imports every module a command imports except
orgnet's own, once, then forks a child per command: the child takes the command's working
folder, environment and standard streams, runs ``python -m orgnet.api.cli`` as a fresh process
would (its own orgnet modules, their module-level state made from its environment), and exits
through the interpreter's ordinary shutdown. tests/dump.py's ``orgnet()`` uses it
(``ORGNET_TESTS_EXEC=1`` runs every command in an interpreter of its own instead).

Protocol, a JSON line each way: a request {argv, env, cwd, stdin, stdout, stderr} (the three
streams as file paths, stdin null for none) is answered {"pid": …} as the child starts and
{"status": …, "cpu": …} (os.wait4's status, and the seconds of CPU the command and the processes
it waited for took) when it has ended.
"""

from __future__ import annotations

import gc
import json
import os
import pkgutil
import runpy
import sys

CLI = "orgnet.api.cli"
# What the driver imports when it finds it, and orgnet keeps out (graph.connection).
KEPT_OUT = ("numpy", "pandas", "pyarrow")
_KEPT: list[object] = []
LAYERS = ("graph", "loaders", "queries", "api")


def _modules_a_command_imports() -> list[str]:
    """What importing every module of orgnet brings in (the command's, and those its commands
    import as they run) but orgnet's own and what needs the modules kept out — found in a child
    of this process, so that this one imports nothing of orgnet."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover — the child
        os.close(read)
        try:
            for name in KEPT_OUT:
                sys.modules[name] = None  # type: ignore[assignment]
            import importlib

            layers = [importlib.import_module(f"orgnet.{layer}") for layer in LAYERS]
            for found in (
                found
                for layer in layers
                for found in pkgutil.walk_packages(layer.__path__, layer.__name__ + ".")
            ):
                try:
                    __import__(found.name)
                except Exception:  # one that needs what is kept out (the brokers' numpy)
                    continue
            from orgnet.graph.connection import _load_driver

            _load_driver()  # the driver, imported as a command connects
            names = [
                m
                for m, module in sys.modules.items()
                if module is not None and not m.startswith(("orgnet", "__main__"))
            ]
            os.write(write, json.dumps(names).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(said or b"[]")


def preload() -> None:
    names = _modules_a_command_imports()
    for name in KEPT_OUT:
        if name not in sys.modules:
            sys.modules[name] = None  # type: ignore[assignment]
    try:
        for name in names:
            if name.split(".")[0] in KEPT_OUT:
                continue
            try:
                __import__(name)
            except Exception:  # a module that imports only in its own way is left
                continue
    finally:
        for name in KEPT_OUT:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def _child(request: dict) -> None:
    """Become the command: never returns; the interpreter's shutdown ends the process with the
    command's exit status (a traceback and 1 for an exception it did not handle)."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # The streams this process opened (stdout block-buffered to a pipe, stderr by line, as a
    # fresh command's are) now write to the command's files. Its stdin is new: the old one read
    # the requests, and is kept from closing descriptor 0 until the end.
    sys.stdout.flush()
    sys.stderr.flush()
    stdin = os.open(request["stdin"] or os.devnull, os.O_RDONLY)
    stdout = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    stderr = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
        os.dup2(fd, target)
        os.close(fd)
    _KEPT.append(sys.stdin)
    sys.stdin = sys.__stdin__ = open(0, encoding=sys.stdout.encoding, closefd=False)  # noqa: SIM115
    sys.argv = ["orgnet", *request["argv"]]
    sys.path[0] = os.getcwd()  # as `python -m` has it
    runpy.run_module(CLI, run_name="__main__", alter_sys=True)
    raise SystemExit(0)


def main() -> None:
    preload()
    # What is imported stays put: the children's collections do not walk it, so its pages stay
    # shared rather than copied into each child as the collector touches them.
    gc.collect()
    gc.freeze()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            replies.close()
            _child(request)
        replies.write(json.dumps({"pid": pid}) + "\n")
        _, status, usage = os.wait4(pid, 0)
        cpu = usage.ru_utime + usage.ru_stime
        replies.write(json.dumps({"status": status, "cpu": cpu}) + "\n")


if __name__ == "__main__":
    main()
