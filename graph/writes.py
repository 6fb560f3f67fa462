"""The graph layer's own statements: the loader's writes (derived from the model) and lookups.

The statements are templates in ``graph/cypher``; the only things filled in are a label or a
relationship type of the model and the model's key properties — never a value from input.
Values always travel as parameters.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .model import NODES, RELATIONSHIPS, Label, Rel
from .rules import expand

_CYPHER = Path(__file__).parent / "cypher"


@cache
def statement(name: str) -> str:
    """A graph-layer statement of graph/cypher by name, its rules (``graph.rules``) written
    out."""
    return expand((_CYPHER / f"{name}.cypher").read_text(encoding="utf-8"))


@cache
def merge_nodes(label: Label) -> str:
    if label not in NODES:
        raise KeyError(label)
    return statement("merge_nodes").replace("{label}", label.value)


@cache
def merge_relationships(rel: Rel, *, replace: bool = True) -> str:
    """The upsert of one relationship type. A functional type (one target per source) lets go
    of a source's other targets, unless ``replace`` is false: that is for loads into a database
    that held nothing, where no source can have had another target."""
    spec = RELATIONSHIPS[rel]
    template = "replace_relationships" if spec.functional and replace else "merge_relationships"
    key = ""
    if spec.key:
        key = " {" + ", ".join(f"{k}: row.key.{k}" for k in spec.key) + "}"
    return statement(template).replace("{type}", rel.value).replace("{key}", key)


@cache
def update_relationships(rel: Rel) -> str:
    """Set properties of a functional relationship whatever its target."""
    if not RELATIONSHIPS[rel].functional:
        raise KeyError(rel)
    return statement("update_relationships").replace("{type}", rel.value)


def node_row(identifier: str, props: dict[str, object], where: str = "") -> dict[str, object]:
    """One row of $rows for merge_nodes; ``where`` is the file:row that wrote it."""
    return {"id": identifier, "props": props, "source": where}


def relationship_row(
    rel: Rel, source: str, target: str | None, props: dict[str, object], where: str = ""
) -> dict[str, object]:
    """One row of $rows for merge_relationships: the model's key properties travel apart;
    ``where`` is the file:row that wrote it."""
    keys = RELATIONSHIPS[rel].key
    if not keys:
        return {"source": source, "target": target, "key": {}, "props": props, "source_row": where}
    key = {k: props[k] for k in keys}
    rest = {k: v for k, v in props.items() if k not in keys}
    return {"source": source, "target": target, "key": key, "props": rest, "source_row": where}
