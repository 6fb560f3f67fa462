"""`orgnet load` with provenance left out: the same loader, validation, batches, writers and
derived links, its write statements replaced by the plain upserts it sent before the graph kept
where each fact came from (``benchmarks/cypher/plain_*.cypher``: no load numbers, no file:row,
no versions). The load benchmark runs it beside the loader on the same rows, so that what
keeping provenance costs is measured rather than remembered. Not for loading real data: what it
writes cannot be traced or undone.

    python -m benchmarks.plain_load DATASET   (as `orgnet load DATASET`)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orgnet.graph import writes

_PLAIN = Path(__file__).parent / "cypher"
_REPLACED = ("merge_nodes", "merge_relationships", "replace_relationships", "update_relationships")


@contextmanager
def plain_statements() -> Iterator[None]:
    """Within, the graph layer's write statements are the plain ones."""
    original = writes.statement

    def statement(name: str) -> str:
        if name in _REPLACED:
            return (_PLAIN / f"plain_{name}.cypher").read_text(encoding="utf-8")
        return original(name)

    cached = (writes.merge_nodes, writes.merge_relationships, writes.update_relationships)
    writes.statement = statement  # type: ignore[assignment]
    for function in cached:
        function.cache_clear()
    try:
        yield
    finally:
        writes.statement = original  # type: ignore[assignment]
        for function in cached:
            function.cache_clear()


if __name__ == "__main__":
    import sys

    from orgnet.api.cli import main

    sys.argv = ["orgnet", "load", *sys.argv[1:]]
    with plain_statements():
        main()
