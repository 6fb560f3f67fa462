"""What the guard costs: an answer disclosed (``Guard.release``) for a key of everything, a key
of a street and a key of one of its communities, beside what asking the question costs.

    python -m benchmarks.guard_benchmark [--runs 7]

It reads the graph of the engine the environment names (ORGNET_HOME, or NEO4J_URI), asks each
answer for its first street, and prints per answer the ids it carries and, per key, the median
of ``--runs`` disclosures with their range. Load the xinfu scenario first
(``orgnet generate --scenario xinfu --out DIR --seed 7 && orgnet load DIR``).
"""

from __future__ import annotations

import argparse
import statistics
import time

from orgnet.api.guard import Guard
from orgnet.api.keys import Key
from orgnet.graph.connection import connect
from orgnet.queries.disclosure import entity_ids
from orgnet.queries.registry import ask, question
from orgnet.queries.scope import resolve_scope

ASKS = [
    ("gaps", {"kind": "buildings", "top": None}),
    ("pairing", {}),
    ("cross", {}),
    ("report", {}),
    ("terms", {"within": "6m"}),
]


def _key(jurisdiction: str, personal_data: bool) -> Key:
    return Key("bench", "bench", "analyst", jurisdiction, personal_data, "", None, "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    db = connect()
    street = db.read("MATCH (s:Street) RETURN s.id AS id ORDER BY id LIMIT 1")[0]["id"]
    community = db.read(
        "MATCH (c:Community)-[:PART_OF]->(:Street {id: $s}) RETURN c.id AS id ORDER BY id LIMIT 1",
        {"s": street},
    )[0]["id"]
    keys = (
        ("all", _key("all", False)),
        ("street", _key(street, False)),
        ("community", _key(community, True)),
    )
    for name, inputs in ASKS:
        asked = time.perf_counter()
        answer = ask(question(name), db, inputs, scope=resolve_scope(db, street), as_of=None,
                     show_phone=True)  # fmt: skip
        asking = (time.perf_counter() - asked) * 1000
        line = [f"{name:8} ids {len(entity_ids(answer)):6,}"]
        for label, key in keys:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                Guard.release(db, key, answer)
                times.append((time.perf_counter() - started) * 1000)
            line.append(
                f"{label}: {statistics.median(times):7.1f} ms ({min(times):.1f}–{max(times):.1f})"
            )
        print("  ".join(line), f"  [asking it: {asking:.0f} ms]")
    db.close()


if __name__ == "__main__":
    main()
