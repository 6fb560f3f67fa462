"""What an answer may show (queries/disclosure.py): every field of every answer that says who
or what something is carries its marker, the unmarked ones never carry an id, a name or a
phone of the graph, and ``disclose`` withholds and masks by the markers alone.

And the guard fails closed: a route under /v1 whose answer did not leave through it is not
sent."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi.testclient import TestClient

from orgnet.api import explore
from orgnet.api.keys import Keys
from orgnet.api.server import create_app
from orgnet.graph.connection import Database
from orgnet.graph.settings import Settings
from orgnet.queries import registry
from orgnet.queries.disclosure import (
    About,
    Handle,
    Name,
    Phone,
    Properties,
    Ref,
    Value,
    _markers,
    _walk,
    disclose,
    entity_ids,
)
from orgnet.queries.paths import Node, Secretary
from orgnet.queries.registry import QUESTIONS

from .city import TODAY

ANSWERS: list[type] = [q.result for q in QUESTIONS] + [
    explore.EntityView,
    explore.Neighbourhood,
    explore.Found,
]
# Fields that hold no entity whatever their name says.
NOT_ENTITIES = {"kind", "label", "type", "role", "side", "sides", "pattern", "rule", "problem",
                "status", "via", "reason", "undefined", "level", "parent_level", "q", "as_of",
                "within", "until", "since", "term_start", "term_end", "last_until", "direction",
                "category", "property_status"}  # fmt: skip


def _row_types(cls: type, seen: set[type] | None = None) -> Iterator[type]:
    """Every dataclass an answer can hold, at any depth (Gaps.rows by the row types)."""
    seen = set() if seen is None else seen
    if cls in seen:
        return
    seen.add(cls)
    yield cls
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        for arg in _args(hints[f.name]):
            if dataclasses.is_dataclass(arg) and isinstance(arg, type):
                yield from _row_types(arg, seen)
    if cls.__name__ == "Gaps":
        from orgnet.queries.coverage import _GAP_ROWS

        for _, row in _GAP_ROWS.values():
            yield from _row_types(row, seen)


def _args(hint: Any) -> Iterator[Any]:
    yield hint
    for arg in typing.get_args(hint):
        yield from _args(arg)


def test_every_field_that_names_an_entity_says_so() -> None:
    unmarked = []
    for answer in ANSWERS:
        for row in _row_types(answer):
            markers = dict(_markers(row))
            names = set(markers)
            for name, marker in markers.items():
                looks = (
                    name in ("id", "person", "phone", "name", "handle", "source", "target")
                    or name.endswith(("_id", "_ids"))
                    or f"{name}_id" in names
                    or f"{name.rstrip('s')}_ids" in names
                    or name in ("none", "top_decile", "linked_by", "cut_off", "properties")
                )
                hint = typing.get_type_hints(row).get(name)
                nested = dataclasses.is_dataclass(hint) or any(
                    dataclasses.is_dataclass(a) for a in typing.get_args(hint)
                )  # a row, or a table of rows
                if looks and marker is None and name not in NOT_ENTITIES and not nested:
                    unmarked.append(f"{row.__name__}.{name}")
            for name, marker in markers.items():
                if isinstance(marker, (Name, Phone, About, Properties, Value)):
                    target = markers.get(marker.of)
                    nested = typing.get_type_hints(row).get(marker.of)
                    assert isinstance(target, Ref) or dataclasses.is_dataclass(nested), (
                        f"{row.__name__}.{name} is about {marker.of}, which is no Ref"
                    )
    assert not unmarked, unmarked


def test_no_unmarked_field_of_any_answer_carries_an_id_a_name_or_a_phone(
    graph: Database,
) -> None:
    """Every question asked of the city, everywhere and per community: the values of unmarked
    fields are none of the graph's ids, names or phones."""
    people = graph.read("MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.phone AS phone")
    known = {r["id"] for r in people} | {r["name"] for r in people if r["name"]}
    known |= {r["phone"] for r in people if r["phone"]}
    asked = {
        "gaps": ["estates"], "chain": ["P-O2"], "path": ["P-O1", "P-O3"], "history": ["P-O2"],
        "load_changes": [1],
    }  # fmt: skip
    checked = 0
    for q in QUESTIONS:
        kinds = registry.GAP_KINDS if q.name == "gaps" else [None]
        for kind in kinds:
            for scope in [None, "C1", "S2"] if q.scoped else [None]:
                inputs = {i.name: i.default for i in q.inputs}
                positional = asked.get(q.name, [])
                for i, value in zip(
                    [i for i in q.inputs if i.positional], positional, strict=False
                ):
                    inputs[i.name] = kind if i.name == "kind" else value
                if q.name in ("changes", "trend"):
                    inputs["since"] = "2020-01-01"
                result = registry.ask(q, graph, inputs, scope=scope, as_of=TODAY, show_phone=True)
                for row, marker, value in _walk(result):
                    if marker is not None or dataclasses.is_dataclass(value):
                        continue
                    values = value if isinstance(value, list) else [value]
                    for v in values:
                        if isinstance(v, str):
                            checked += 1
                            assert v not in known or v in ("Person",), (
                                f"{type(row).__name__} carries {v!r} in an unmarked field"
                            )
    assert checked > 200


@dataclasses.dataclass(frozen=True)
class _Row:
    person_id: Annotated[str, Ref(person=True)]
    person: Annotated[str, Name("person_id")]
    phone: Annotated[str | None, Phone("person_id")]
    place_ids: Annotated[list[str], Ref()]
    places: Annotated[list[str], Name("place_ids")]
    code: str


def test_disclose_withholds_by_the_markers_alone() -> None:
    row = _Row("P1", "张三", "13800000001", ["C1", "C9"], ["和平社区", "外区社区"], "C9")
    inside = {"P1", "C1"}.__contains__
    hidden = disclose([row], inside, personal_data=False)
    assert hidden.answer == [
        _Row("P1", "张*", "138****0001", ["C1", None], ["和平社区", None], "C9")
    ]
    assert (hidden.clear, hidden.persons) == (False, True)
    clear = disclose([row], inside, personal_data=True)
    assert clear.answer[0].person == "张三" and clear.clear
    outside = disclose([row], lambda id: id == "C1", personal_data=True)
    [seen] = outside.answer
    assert (seen.person_id, seen.person, seen.phone) == (None, None, None)
    assert not outside.clear and not outside.persons
    assert entity_ids(row) == {"P1", "C1", "C9"}


@dataclasses.dataclass(frozen=True)
class _Edge:
    source: Annotated[str, Handle()]
    target: Annotated[str, Handle()]


@dataclasses.dataclass(frozen=True)
class _View:
    nodes: list[explore.EntityRef]
    edges: list[_Edge]


def test_a_node_is_a_person_by_its_label_and_handles_stand_in_for_what_is_withheld() -> None:
    nodes = [
        Node("P1", "Person", "张三"),
        Node("S2", "Street", "西街道"),
        Node("P2", "Person", "李四"),
    ]
    shown = disclose(nodes, {"P1", "P2"}.__contains__, personal_data=False).answer
    assert shown == [
        Node("P1", "Person", "张*"),
        Node(None, "Street", None),
        Node("P2", "Person", "李*"),
    ]
    view = _View(
        [explore.EntityRef(i, "Street", i, handle=i) for i in ("S1", "S2", "S3")],
        [_Edge("S1", "S2"), _Edge("S3", "S2"), _Edge("S3", "S1")],
    )
    cut = disclose(view, {"S1"}.__contains__, personal_data=False).answer
    assert [n.handle for n in cut.nodes] == ["S1", "~1", "~2"]
    assert [(e.source, e.target) for e in cut.edges] == [("S1", "~1"), ("~2", "~1"), ("~2", "S1")]


def test_what_is_said_about_a_withheld_entity_goes_with_it() -> None:
    other = explore.EntityRef("C3", "Community", "西园社区")
    rel = explore.Relationship("PAIRED_WITH", "out", {"agreement": "AGR-C3"}, other)
    view = explore.EntityView("U1", "Unit", {"name": "区教育局"}, [rel], 1)
    cut = disclose(view, {"U1"}.__contains__, personal_data=False).answer
    assert cut.relationships[0].properties == {}
    assert cut.relationships[0].other == explore.EntityRef(None, "Community", None)
    props = {"name": "张三", "phone": "13800000001", "birth_year": 1970, "gender": "female"}
    person = explore.EntityView("P1", "Person", props, [], 0)
    shown = disclose(person, None, personal_data=False).answer
    assert shown.properties == {"name": "张*", "phone": "138****0001"}
    # A phone masked where it was read counts as nothing shown in clear.
    masked = disclose([Secretary("P1", "", "138****0001")], None, personal_data=True)
    assert (masked.clear, masked.persons) == (False, True)


# -- the guard fails closed ---------------------------------------------------------------


@pytest.fixture
def app(settings: Settings, tmp_path: Any) -> Any:
    return create_app(settings.model_copy(update={"orgnet_api_home": tmp_path}))


def test_a_route_that_does_not_send_through_the_guard_is_refused(
    app: Any, graph: Database, tmp_path: Any
) -> None:
    @app.get("/v1/leaky")
    def leaky() -> dict:
        return {"person": "人员P-C3", "phone": "13800000004"}

    @app.get("/healthy")
    def healthy() -> dict:
        return {"status": "ok"}

    with TestClient(app) as client:
        response = client.get("/v1/leaky")
        assert response.status_code == 500
        assert response.json()["code"] == "internal"
        assert "13800000004" not in response.text
        # Outside /v1 too: a route nobody thought of fails closed; only the open ones answer.
        assert client.get("/healthy").status_code == 500
        assert client.get("/healthz").status_code == 200
        _, token = Keys(tmp_path).create(role="viewer", jurisdiction="all")
        assert client.get("/v1/coverage", headers={"X-API-Key": token}).status_code == 200
