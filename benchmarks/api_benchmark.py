"""API benchmark: the HTTP API under concurrent clients, beside the same questions asked
in-process.

    python -m benchmarks.api_benchmark [--home var/bench] [--clients 32] [--requests 3000]
                                       [--seconds 180] [--district ID]

It reads the province already loaded in the bench home (``make bench-load`` leaves it there),
serves it with ``orgnet serve`` on 127.0.0.1 (a key made for the run, in a throwaway API home),
and sends a mix of a city's questions from ``--clients`` threads, each on its own keep-alive
connection, until ``--requests`` are answered or ``--seconds`` pass. It prints, per route, the
requests, errors, p50 and p99 in ms, beside the median of the same question called in-process;
then the throughput. Target: no errors, and the p99 of a city's coverage ≤ 250 ms under 32
clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from orgnet.api.keys import Keys
from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import REPO, Settings
from orgnet.queries import coverage, pairing, paths

from .query_benchmark import largest_district

COVERAGE_P99_MS = 250


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mix(city: str, day: str, residents: list[str], estates: list[str]) -> list[tuple[str, str]]:
    """(route, URL) pairs, weighted as a data screen and a grid system would ask."""
    q = f"scope={city}&as_of={day}"
    mix = [("coverage", f"/v1/coverage?{q}")] * 4
    mix += [("gaps estates", f"/v1/gaps/estates?{q}")] * 2
    mix += [("gaps grids", f"/v1/gaps/grids?{q}")]
    mix += [("pairing", f"/v1/pairing?{q}")]
    mix += [("owners", f"/v1/owners?{q}")]
    mix += [("chain", f"/v1/chain/{r}?as_of={day}") for r in residents[:2]]
    mix += [("entity", f"/v1/entities/{e}") for e in estates[:2]]
    return mix


def _client(
    port: int, token: str, mix: list[tuple[str, str]], budget: dict, seed: int,
    results: dict[str, list[float]], errors: dict[str, int], lock: threading.Lock,
) -> None:  # fmt: skip
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while True:
        with lock:
            if budget["left"] <= 0 or time.monotonic() > budget["until"]:
                break
            budget["left"] -= 1
        route, url = rng.choice(mix)
        started = time.perf_counter()
        try:
            connection.request("GET", url, headers={"X-API-Key": token})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if ok:
                results[route].append(elapsed)
            else:
                errors[route] += 1
    connection.close()


def _in_process_ms(db: object, city: str, day: str, residents: list[str]) -> dict[str, float]:
    asked = {
        "coverage": lambda: coverage.coverage_summary(db, city, day),
        "gaps estates": lambda: coverage.gaps(db, "estates", city, day),
        "gaps grids": lambda: coverage.gaps(db, "grids", city, day),
        "pairing": lambda: pairing.pairing_balance(db, city, day),
        "owners": lambda: coverage.owners(db, city, day),
        "chain": lambda: paths.chain(db, residents[0], day),
    }
    medians = {}
    for name, work in asked.items():
        work()
        times = []
        for _ in range(5):
            started = time.perf_counter()
            work()
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = statistics.median(times)
    return medians


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="orgnet serve --workers"
    )
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--district", default=None, help="The city scope (default: the largest).")
    parser.add_argument("--as-of", default="2026-11-23")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="Serve with ORGNET_API_CACHE=0.",
    )
    args = parser.parse_args()

    settings = Settings(orgnet_home=args.home, neo4j_uri=None)
    EmbeddedEngine(settings).start()
    day = args.as_of
    with connect(settings) as db:
        if not db.read("MATCH (e:Estate) RETURN count(e) > 0 AS loaded")[0]["loaded"]:
            sys.exit(f"no data in {args.home}: run `make bench-load` first")
        city = args.district or largest_district(db)
        residents = [
            r["id"]
            for r in db.read(
                "MATCH (:District {id: $city})<-[:PART_OF*4]-(:Building)<-[:LIVES_IN]-(p:Person) "
                "RETURN p.id AS id ORDER BY id LIMIT 50",
                {"city": city},
            )
        ]
        estates = [
            r["id"]
            for r in db.read(
                "MATCH (:District {id: $city})<-[:PART_OF*3]-(e:Estate) "
                "RETURN e.id AS id ORDER BY id LIMIT 10",
                {"city": city},
            )
        ]
        in_process = _in_process_ms(db, city, day, residents)

    with tempfile.TemporaryDirectory(prefix="orgnet-api-bench-") as api_home:
        _, token = Keys(Path(api_home)).create(role="analyst", jurisdiction="all")
        port = _free_port()
        env = {**os.environ, "ORGNET_HOME": str(args.home), "ORGNET_API_HOME": api_home}
        env.pop("NEO4J_URI", None)
        if args.no_cache:
            env["ORGNET_API_CACHE"] = "0"
        server = subprocess.Popen(
            [sys.executable, "-m", "orgnet.api.cli", "serve", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            _wait_ready(port)
            mix = _mix(city, day, residents, estates)
            results: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, int] = defaultdict(int)
            lock = threading.Lock()
            # Warm: every URL a few times, so that each server process has asked it once.
            for url in sorted({url for _, url in mix}) * (2 * args.workers):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                connection.request("GET", url, headers={"X-API-Key": token})
                connection.getresponse().read()
                connection.close()
            budget = {"left": args.requests, "until": time.monotonic() + args.seconds}
            threads = [
                threading.Thread(
                    target=_client,
                    args=(port, token, mix, budget, seed, results, errors, lock),
                )
                for seed in range(args.clients)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

    answered = sum(len(v) for v in results.values())
    failed = sum(errors.values())
    kept = "no answers kept (ORGNET_API_CACHE=0)" if args.no_cache else "answers kept"
    kept += f"; {args.workers} server processes"
    print(f"city {city}; {args.clients} clients on 127.0.0.1; {answered + failed:,} requests "
          f"in {wall:.1f} s; {kept}\n")  # fmt: skip
    print(f"{'route':<16}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}{'in-process':>12}")
    for route in sorted(set(results) | set(errors)):
        times = results[route]
        p50 = _percentile(times, 50) if times else float("nan")
        p99 = _percentile(times, 99) if times else float("nan")
        inside = in_process.get(route)
        print(
            f"{route:<16}{len(times) + errors[route]:>9,}{errors[route]:>8,}{p50:>9.1f}"
            f"{p99:>9.1f}{(f'{inside:.1f}' if inside is not None else '—'):>12}"
        )
    coverage_p99 = _percentile(results["coverage"], 99) if results["coverage"] else float("inf")
    print(f"\nthroughput {answered / wall:.1f} answers/s; errors {failed}")
    met = failed == 0 and coverage_p99 <= COVERAGE_P99_MS
    print(
        f"target: no errors and coverage p99 ≤ {COVERAGE_P99_MS} ms — "
        f"{'met' if met else 'missed'} ({failed} errors, p99 {coverage_p99:.1f} ms)"
    )
    print(json.dumps({"coverage_p99_ms": round(coverage_p99, 1), "errors": failed}))


def _wait_ready(port: int, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not become ready")


if __name__ == "__main__":
    main()
