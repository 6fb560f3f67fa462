"""The load benchmark's baseline: the same rows written one transaction per row.

This is what a loader written without batching does: for each row, a transaction that merges the
row's node and its relationships with the very statements the real loader sends (with one-row
lists), then commits. It reads and parses rows exactly as the loader does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import islice

import neo4j

from orgnet.graph.connection import Database
from orgnet.graph.writes import merge_nodes, merge_relationships, node_row, relationship_row
from orgnet.loaders.files import Dataset
from orgnet.loaders.rows import ParsedRow, links_of, parse_row


def sample_sizes(rows: dict[str, int], total: int) -> dict[str, int]:
    """How many rows of each file make a sample of about ``total`` rows, in proportion."""
    everything = sum(rows.values())
    return {name: max(1, round(total * n / everything)) for name, n in rows.items() if n}


def _write_row(tx: neo4j.ManagedTransaction, statements: list[tuple[str, dict]]) -> None:
    for query, row in statements:
        tx.run(query, {"rows": [row], "load": 0}).consume()


def _statements(spec, row: ParsedRow) -> Iterator[tuple[str, dict]]:
    if row.label is not None and row.id is not None:
        yield merge_nodes(row.label), node_row(row.id, row.props)
    for rel, source, target, props in links_of(spec, row):
        if target is None:
            continue  # into an empty store there is no link to let go of (as the loader does)
        yield merge_relationships(rel), relationship_row(rel, source, target, props)


def load_row_by_row(
    db: Database, dataset: Dataset, sizes: dict[str, int], warm_up: float = 0.1
) -> tuple[int, float]:
    """Write the first ``sizes[file]`` rows of each file, one transaction per row.

    Returns (rows timed, seconds). Each file's sample is its first rows, so that in a generated
    dataset (written community by community) the sample's references mostly resolve. The first
    ``warm_up`` share of each file's sample is written untimed, so that query planning and a cold
    engine are not charged to the baseline.
    """
    timed = 0
    seconds = 0.0
    with db.driver.session(database=db.database) as session:
        for table in dataset.tables:
            size = sizes.get(table.spec.name, 0)
            untimed = int(size * warm_up)
            for k, (number, cells, extra) in enumerate(islice(table.rows(), size)):
                started = time.perf_counter()
                row = parse_row(table.spec, table.display, number, cells, extra)
                session.execute_write(_write_row, list(_statements(table.spec, row)))
                if k >= untimed:
                    seconds += time.perf_counter() - started
                    timed += 1
    return timed, seconds
