"""The derived relationships of the model (``DERIVED``), worked out from the imported ones.

SERVES ties each party organization to the districts, streets and communities whose scope it
counts in, so that a question finds a scope's orgs in one hop instead of walking down to every
covered place and back up every REPORTS_TO chain. The loader refreshes it after every load; a
refresh is idempotent, so a load interrupted before it is made whole by loading again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .connection import Database
from .model import Rel
from .writes import statement

BATCH = 2_000  # orgs per write transaction
WRITERS = 2  # transactions at once


@dataclass
class Touched:
    """What a load wrote that can change which scopes an org serves: the sources of the
    REPORTS_TO, COVERS, BASED_IN, BELONGS_TO, HAD_FORM, MANAGES, LOCATED_IN and PART_OF links it
    wrote, and the orgs whose founding or dissolution it wrote (an org above another dates the
    other's links).
    Past ``limit`` ids it stops keeping them and asks for every org to be refreshed (cheaper
    than finding which)."""

    limit: int = 50_000
    orgs: set[str] = field(default_factory=set)
    hosts: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    everything: bool = False

    def add(self, kind: set[str], id: str) -> None:
        if self.everything:
            return
        kind.add(id)
        if len(self.orgs) + len(self.hosts) + len(self.places) > self.limit:
            self.everything = True
            self.orgs, self.hosts, self.places = set(), set(), set()

    def link(self, rel: Rel, source: str) -> None:
        """Note a relationship the load wrote, by its type and its source's id."""
        if rel in (Rel.REPORTS_TO, Rel.COVERS, Rel.BASED_IN, Rel.BELONGS_TO, Rel.HAD_FORM):
            self.add(self.orgs, source)
        elif rel in (Rel.MANAGES, Rel.LOCATED_IN):
            self.add(self.hosts, source)
        elif rel is Rel.PART_OF:
            self.add(self.places, source)

    @property
    def anything(self) -> bool:
        return self.everything or bool(self.orgs or self.hosts or self.places)


def orgs_to_refresh(db: Database, touched: Touched) -> list[str]:
    """The ids of the orgs whose SERVES links ``touched`` may have changed."""
    if touched.everything:
        return [r["id"] for r in db.read(statement("party_org_ids"))]
    if not touched.anything:
        return []
    rows = db.read(
        statement("serves_orgs"),
        {
            "orgs": sorted(touched.orgs),
            "hosts": sorted(touched.hosts),
            "places": sorted(touched.places),
        },
    )
    return [r["id"] for r in rows]


def refresh_serves(
    db: Database,
    ids: Iterable[str],
    advance: Callable[[int], None] | None = None,
    writers: int = WRITERS,
) -> tuple[int, int]:
    """Work out the SERVES links of these orgs afresh; returns (links created, deleted).

    Batches of orgs are written by ``writers`` threads at once, each batch in a transaction of
    its own: a batch touches only its own orgs' links, so batches never wait on one another
    (the driver retries a transaction the engine ends as a deadlock)."""
    query = statement("serves_refresh")
    ids = sorted(ids)
    batches = [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]
    created = deleted = 0
    with ThreadPoolExecutor(max_workers=max(1, writers)) as pool:
        for batch, counts in zip(
            batches, pool.map(lambda b: db.write(query, {"ids": b}), batches), strict=True
        ):
            created += counts.relationships_created
            deleted += counts.relationships_deleted
            if advance is not None:
                advance(len(batch))
    return created, deleted


def refresh_all(db: Database) -> tuple[int, int]:
    """Work out every org's SERVES links afresh (``orgnet db derive``)."""
    return refresh_serves(db, orgs_to_refresh(db, Touched(everything=True)))
