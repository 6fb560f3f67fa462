"""The PROFILE of a catalog query: each operator with its rows and database hits, and the total —
where a question's time goes, on the bench store (or any home).

    python -m benchmarks.profile rules_size --scope PVD27 [--home var/bench] [--as-of 2026-11-23]

Parameters the query declares beyond $scope and $as_of take the values the questions pass
(the thresholds, the term lengths, a window's end …), so every catalog query can be profiled.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from orgnet.graph.connection import connect
from orgnet.graph.engine import EmbeddedEngine
from orgnet.graph.settings import REPO, Settings
from orgnet.queries.catalog import expand, query
from orgnet.queries.registry import FIXED_PARAMETERS

DEFAULTS: dict[str, Any] = {
    **FIXED_PARAMETERS,
    "levels": None,
    "types": None,
    "min_hops": 1,
    "max_hops": 10,
    "k": 1,
}


def _walk(plan: Any, depth: int = 0) -> Any:
    yield depth, plan
    for child in plan.get("children", []):
        yield from _walk(child, depth + 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="a catalog query's name, or a .cypher file to try")
    parser.add_argument("--scope", default=None)
    parser.add_argument("--as-of", default="2026-11-23")
    parser.add_argument("--until", default="2027-05-23")
    parser.add_argument("--param", action="append", default=[], help="KEY=VALUE, more params")
    parser.add_argument("--home", type=Path, default=REPO / "var" / "bench")
    args = parser.parse_args()

    if args.name.endswith(".cypher"):  # a variant being tried: its parameters are its $names
        text = expand(Path(args.name).read_text(encoding="utf-8"))
        wanted = sorted(set(re.findall(r"\$([a-z_]+)", text)))
    else:
        text, wanted = query(args.name).text, query(args.name).parameters
    offered = {**DEFAULTS, "scope": args.scope, "as_of": args.as_of, "until": args.until}
    offered.update(dict(p.split("=", 1) for p in args.param))
    params = {k: offered.get(k) for k in wanted}
    settings = Settings(orgnet_home=args.home, neo4j_uri=None)
    EmbeddedEngine(settings).start()
    with connect(settings) as db, db.driver.session(database=db.database) as session:
        session.run(text, params).consume()  # warm: the plan cached, the pages in memory
        result = session.run("PROFILE " + text, params)
        rows = len(list(result))
        summary = result.consume()
    plan = summary.profile
    total = 0
    for depth, op in _walk(plan):
        hits = op.get("dbHits", 0)
        total += hits
        print(f"{'  ' * depth}{op['operatorType']:<40} rows {op.get('rows', 0):>10,}  "
              f"hits {hits:>12,}")  # fmt: skip
    print(
        f"\n{args.name}: {rows:,} rows, {total:,} db hits; "
        f"{summary.result_available_after} ms to the first row"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
