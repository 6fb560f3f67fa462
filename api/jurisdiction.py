"""A key's jurisdiction, applied: the scope a request may ask about, and what an answer that
can leave a scope (a chain, a path, an entity and its neighbourhood, a search) may show.

A request with no scope gets the key's jurisdiction; a scope outside it is refused (403). An
entity asked for by id outside it is refused (403); one that an answer reaches on its way (a
node of a path, an org up a chain) keeps its label and loses its id and name. What lies inside
is defined once, in queries/cypher/inside_jurisdiction.cypher.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from orgnet.graph.connection import Database
from orgnet.graph.errors import Forbidden
from orgnet.queries.catalog import run
from orgnet.queries.paths import Chain, ChainLink, Node, Paths
from orgnet.queries.scope import Scope, resolve_scope

from .keys import Key


def inside(db: Database, key: Key, ids: Iterable[str], as_of: str) -> set[str]:
    """Those of ``ids`` inside the key's jurisdiction."""
    wanted = sorted(set(ids))
    if key.everywhere:
        return set(wanted)
    if not wanted:
        return set()
    rows = run(db, "inside_jurisdiction", ids=wanted, jurisdiction=key.jurisdiction, as_of=as_of)
    return {r["id"] for r in rows}


def scope_for(db: Database, key: Key, scope: str | None, as_of: str) -> Scope:
    """The scope a request asks about: the one it names, checked to lie inside the key's
    jurisdiction, or the jurisdiction itself."""
    if not scope:
        return resolve_scope(db, None if key.everywhere else key.jurisdiction)
    where = resolve_scope(db, scope)  # unknown: 404; not a district, street or community: 400
    if where.id not in inside(db, key, [scope], as_of):
        raise Forbidden(f"scope {scope!r} lies outside this key's jurisdiction")
    return where


def require_inside(db: Database, key: Key, ids: Iterable[str], as_of: str) -> None:
    """Refuse (403) when any of the entities a request names by id lies outside."""
    wanted = set(ids)
    outside = wanted - inside(db, key, wanted, as_of)
    if outside:
        raise Forbidden(f"{', '.join(sorted(outside))}: outside this key's jurisdiction")


def redact_paths(db: Database, key: Key, found: Paths) -> Paths:
    """A path's nodes outside the jurisdiction with their label only."""
    ids = {n.id for p in found.paths for n in p.nodes}
    seen = inside(db, key, ids, found.as_of)
    return dataclasses.replace(
        found,
        paths=[
            dataclasses.replace(p, nodes=[_node(n, n.id in seen) for n in p.nodes])
            for p in found.paths
        ],
    )


def _node(node: Node, shown: bool) -> Node:
    return node if shown else Node(id=None, label=node.label, name=None)


def redact_chain(db: Database, key: Key, found: Chain) -> Chain:
    """A chain's orgs outside the jurisdiction with their type and level only."""
    seen = inside(db, key, {link.org_id for link in found.links}, found.as_of)
    return dataclasses.replace(
        found, links=[link if link.org_id in seen else _withheld(link) for link in found.links]
    )


def _withheld(link: ChainLink) -> ChainLink:
    return dataclasses.replace(link, org_id=None, org=None, secretaries=[])
