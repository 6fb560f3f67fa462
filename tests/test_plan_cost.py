"""benchmarks/plan_cost.py, which times the planning of every statement on an engine just
started: it plans every statement the project runs — each template for every label and type of
the model, every other statement of the graph layer, every question of the catalog — once."""

from __future__ import annotations

from benchmarks.plan_cost import _TEMPLATES, statements
from orgnet.graph.model import NODES, RELATIONSHIPS
from orgnet.graph.writes import _CYPHER
from orgnet.queries.catalog import CYPHER, query


def test_every_statement_is_planned_once() -> None:
    groups = statements()
    named = [name for items in groups.values() for name, _ in items]
    texts = [text for items in groups.values() for _, text in items]
    assert len(set(named)) == len(named) and len(set(texts)) == len(texts)
    assert not any("{label}" in t or "{type}" in t or "{key}" in t for t in texts)

    stems = {p.stem for p in _CYPHER.glob("*.cypher")}
    assert stems >= _TEMPLATES
    planned = set(named)
    assert stems - _TEMPLATES <= planned  # every statement but the templates, by its name
    for label in NODES:
        assert f"merge_nodes {label.value}" in planned
    for rel, spec in RELATIONSHIPS.items():
        assert f"merge_relationships {rel.value}" in planned
        assert f"undo_links {rel.value}" in planned
        if spec.functional:
            assert f"replace_relationships {rel.value}" in planned
            assert f"update_relationships {rel.value}" in planned
    questions = dict(groups["the catalog's questions"])
    assert set(questions) == {p.stem for p in CYPHER.glob("*.cypher")}
    for name, text in questions.items():  # asked packed, as the catalog asks them
        packed = query(name).packed
        assert text == (packed.text if packed is not None else query(name).text)
