"""orgnet installed from its wheel, away from the checkout: a fresh virtual environment runs
every kind of command — generate, load, a question, keys — and `orgnet serve`, with the home
and the engine's build in the user's folders (XDG_DATA_HOME, XDG_CACHE_HOME), not beside a
source tree it does not have."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from orgnet.graph.settings import REPO

from .conftest import QUICK_JVM, _free_port

_NOT_SOURCE = (".git", ".venv", "var", "target", "build", "*.egg-info", "__pycache__", "*_cache")


def _run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done


def test_the_wheel_runs_every_command_away_from_the_checkout(tmp_path: Path) -> None:
    wheels, venv, elsewhere = tmp_path / "wheels", tmp_path / "venv", tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Nothing of the checkout on the path (make test-cpu puts it there), which would have pip
    # take the project for installed already.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ORGNET_", "NEO4J_")) and k != "PYTHONPATH"
    }
    # Built from a copy: a build writes its build/ and egg-info into the tree it builds.
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w",
          str(wheels)], env, elsewhere)  # fmt: skip
    [wheel] = wheels.glob("orgnet-*.whl")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env, elsewhere)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
          str(wheel)], env, elsewhere)  # fmt: skip
    # The dependencies, taken from this environment rather than fetched again (the project
    # itself, installed here in editable form, is not: its finder is not run from a .pth path).
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    env |= {
        **QUICK_JVM,  # as for every command the tests run (tests/conftest.py)
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "ORGNET_HEAP": "1g",
        "ORGNET_PAGECACHE": "512m",
        "ORGNET_PORT": str(_free_port()),
        "PATH": f"{venv / 'bin'}:{env.get('PATH', '')}",
    }
    orgnet = str(venv / "bin" / "orgnet")
    where = _run([str(python), "-c", "import orgnet.graph.settings as s; print(s.__file__)"],
                 env, elsewhere).stdout  # fmt: skip
    assert str(venv) in where and str(REPO) not in where
    try:
        _run([orgnet, "generate", "--scenario", "demo", "--out", "demo"], env, elsewhere)
        _run([orgnet, "load", "demo"], env, elsewhere)
        home = tmp_path / "data" / "orgnet"
        assert (home / "data").is_dir(), "the home is not in the user's data folder"
        built = tmp_path / "cache" / "orgnet" / "engine" / "target"
        assert (built / "orgnet-engine.jar").is_file(), "the engine was not built in the cache"
        assert (built / "orgnet-engine.jsa").is_file(), "no class archive beside the build"
        answer = json.loads(_run([orgnet, "coverage", "-f", "json"], env, elsewhere).stdout)
        assert answer["estates"] > 0
        token = _run(
            [orgnet, "keys", "create", "--role", "viewer", "--jurisdiction", "all"], env, elsewhere
        ).stdout.strip()
        port = _free_port()
        server = subprocess.Popen(
            [orgnet, "serve", "--port", str(port)], env=env, cwd=elsewhere,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            body = _get(port, "/v1/coverage", token)
            assert body["estates"] == answer["estates"]
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        subprocess.run([orgnet, "db", "stop"], env=env, cwd=elsewhere, capture_output=True)
    assert not (elsewhere / "var").exists()


def _get(port: int, path: str, token: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"X-API-Key": token})
            response = connection.getresponse()
            text = response.read()
            assert response.status == 200, text
            return json.loads(text)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
