"""What an answer may show to whom: the fields of every answer that say who or what something
is, and the one function that rebuilds an answer for a caller.

An answer is a tree of frozen dataclasses. A field that names an entity carries a marker
(``typing.Annotated``), as followthemoney's property types say which properties are entities,
names or phones:

* ``Ref()`` — an entity's id, or a list of ids; ``person=True`` when it is always a person, or
  ``label_from="label"`` when a field of the same row says the entity's label;
* ``Name(of)`` — the name of the entity whose id the field ``of`` holds (a list beside a list);
* ``Phone(of)`` — that entity's phone;
* ``About(of)`` — anything else that tells of it: a relationship's properties, which can name
  its other end (a pairing's agreement); ``of`` may also be a nested row with a ``Ref`` id;
* ``Properties(of)`` — the entity's own properties;
* ``Value(of, key)`` — the value of one of the entity's own properties, the one the field
  ``key`` names (an entity's history says each as it was and as it became);
* ``Handle()`` — an id that ties one part of an answer to another (a neighbourhood's edges to
  its nodes): where the entity is withheld, a handle (``~1``, ``~2`` …, the same for one entity
  within one answer) stands in for it, so that the parts still fit.

``disclose(answer, shown, personal_data=…)`` gives the answer as a caller may see it. An entity
that ``shown`` refuses keeps its label and nothing else: its id, name, phone and everything about
it become null (an empty map or list where one was). A person it shows keeps their id; their
name is shortened (张*) and their phone masked (138****0001), unless ``personal_data``. Fields
without a marker are codes, counts and dates, shown to everyone alike; a test holds them to
carry no id, name or phone of the graph in any answer.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .privacy import mask_phone, shorten_name

T = TypeVar("T")
PERSON = "Person"
# What a caller without the personal-data right sees of a person's own properties.
PERSON_SHOWN = ("id", "name", "phone", "party_member", "member_category")


@dataclass(frozen=True)
class Ref:
    """The field holds an entity's id (or a list of ids)."""

    person: bool = False  # the entity is always a person
    label_from: str | None = None  # or: the field of the same row that holds its label


@dataclass(frozen=True)
class Name:
    of: str


@dataclass(frozen=True)
class Phone:
    of: str


@dataclass(frozen=True)
class About:
    of: str


@dataclass(frozen=True)
class Properties:
    of: str


@dataclass(frozen=True)
class Value:
    of: str
    key: str


@dataclass(frozen=True)
class Handle:
    pass


Marker = Ref | Name | Phone | About | Properties | Value | Handle
_MARKERS = (Ref, Name, Phone, About, Properties, Value, Handle)


@dataclass(frozen=True)
class Disclosed(Generic[T]):
    answer: T
    clear: bool  # it shows some person's name or phone in clear
    persons: bool  # it names some person it shows (by id, at least)


def _markers(cls: type) -> tuple[tuple[str, Marker | None], ...]:
    """Each init field of a row type with its marker (None: a code, a count, a date, or rows)."""
    known = _PLANS.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        known = tuple(
            (
                f.name,
                next(
                    (
                        m
                        for m in getattr(hints[f.name], "__metadata__", ())
                        if isinstance(m, _MARKERS)
                    ),
                    None,
                ),
            )
            for f in dataclasses.fields(cls)
            if f.init
        )
        _PLANS[cls] = known
    return known


_PLANS: dict[type, tuple[tuple[str, Marker | None], ...]] = {}


def _is_row(value: object) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _ids(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def entity_ids(answer: object) -> set[str]:
    """Every id an answer names (its ``Ref`` and ``Handle`` fields, at any depth).

    >>> from orgnet.queries.scope import Scope
    >>> sorted(entity_ids([Scope("C1", "Community", "和平社区"), Scope(None)]))
    ['C1']
    """
    found: set[str] = set()
    for _, marker, value in _walk(answer):
        if isinstance(marker, (Ref, Handle)):
            found.update(_ids(value))
    return found


def _walk(value: object) -> Iterator[tuple[object, Marker | None, object]]:
    """(row, marker, value) for every field of every row of an answer."""
    if isinstance(value, list):
        for item in value:
            if _is_row(item) or isinstance(item, list):
                yield from _walk(item)
        return
    if not _is_row(value):
        return
    for name, marker in _markers(type(value)):
        field_value = getattr(value, name)
        yield value, marker, field_value
        if marker is None:
            yield from _walk(field_value)


def disclose(
    answer: T, shown: Callable[[str], bool] | None = None, *, personal_data: bool
) -> Disclosed[T]:
    """``answer`` as a caller may see it: entities ``shown`` refuses withheld (their label
    kept), persons' names shortened and phones masked unless ``personal_data``. ``shown`` None
    shows every entity.

    >>> from orgnet.queries.paths import Secretary
    >>> disclose([Secretary("P1", "张三", "13800000001")], personal_data=False).answer
    [Secretary(id='P1', name='张*', phone='138****0001')]
    >>> disclose([Secretary("P1", "张三", None)], lambda id: False, personal_data=True).answer
    [Secretary(id=None, name=None, phone=None)]
    """
    work = _Disclosure(shown, personal_data)
    shown = work.value(answer)
    return Disclosed(typing.cast(T, shown), work.clear, work.persons)


class _Disclosure:
    def __init__(self, shown: Callable[[str], bool] | None, personal_data: bool) -> None:
        self.shown = shown
        self.personal_data = personal_data
        self.clear = False
        self.persons = False
        self.handles: dict[str, str] = {}

    def hidden(self, id: object) -> bool:
        return isinstance(id, str) and self.shown is not None and not self.shown(id)

    def value(self, value: Any) -> Any:
        if isinstance(value, list):
            if any(_is_row(v) or isinstance(v, list) for v in value):
                return [self.value(v) for v in value]
            return value
        if _is_row(value):
            return self.row(value)
        return value

    def row(self, row: Any) -> Any:
        markers = _markers(type(row))
        by_name = dict(markers)
        changes: dict[str, Any] = {}
        for name, marker in markers:
            current = getattr(row, name)
            if marker is None:
                if _is_row(current) or isinstance(current, list):
                    changed = self.value(current)
                    if changed is not current:
                        changes[name] = changed
                continue
            new = self.field(row, by_name, marker, current)
            if new is not current:
                changes[name] = new
        return dataclasses.replace(row, **changes) if changes else row

    def field(self, row: Any, by_name: dict, marker: Marker, current: Any) -> Any:
        if isinstance(marker, Ref):
            if self._person(row, marker):
                self.persons = self.persons or any(not self.hidden(i) for i in _ids(current))
            return self.each(current, lambda id, _: None if self.hidden(id) else id)
        if isinstance(marker, Handle):
            return self.each(current, lambda id, _: self.handle(id) if self.hidden(id) else id)
        withheld, person = self.about(row, by_name, marker.of)
        if isinstance(marker, Name):
            return self.each(current, lambda name, i: self.name(name, withheld(i), person))
        if isinstance(marker, Phone):
            return self.each(current, lambda phone, i: self.phone(phone, withheld(i), person))
        if isinstance(marker, Properties):
            return self.properties(current, withheld(None), person)
        if isinstance(marker, Value):
            return self.property(getattr(row, marker.key), current, withheld(None), person)
        # About: withheld whole, as an empty value of its kind
        if withheld(None):
            return {} if isinstance(current, dict) else [] if isinstance(current, list) else None
        return current

    def about(self, row: Any, by_name: dict, of: str) -> tuple[Callable[[int | None], bool], bool]:
        """Whether the entity a field is about is withheld (by position, for a list), and
        whether it is a person."""
        target = getattr(row, of)
        marker = by_name.get(of)
        if _is_row(target):  # a nested row: its own id says
            own = dict(_markers(type(target))).get("id")
            assert isinstance(own, Ref), f"{type(target).__name__}.id is not marked Ref"
            return (lambda _: self.hidden(target.id)), self._person(target, own)
        assert isinstance(marker, Ref), f"{type(row).__name__}.{of} is not marked Ref"
        person = self._person(row, marker)
        if isinstance(target, list):
            return (lambda i: self.hidden(target[i]) if i is not None else False), person
        return (lambda _: self.hidden(target)), person

    @staticmethod
    def _person(row: Any, marker: Ref) -> bool:
        return marker.person or (
            marker.label_from is not None and getattr(row, marker.label_from) == PERSON
        )

    @staticmethod
    def each(current: Any, change: Callable[[Any, int | None], Any]) -> Any:
        if isinstance(current, list):
            changed = [change(v, i) for i, v in enumerate(current)]
            return current if changed == current else changed
        return change(current, None)

    def handle(self, id: str) -> str:
        if id not in self.handles:
            self.handles[id] = f"~{len(self.handles) + 1}"
        return self.handles[id]

    def name(self, name: Any, withheld: bool, person: bool) -> Any:
        if withheld:
            return None
        if not person or not isinstance(name, str) or not name:
            return name
        if self.personal_data:
            self.clear = True
            return name
        return shorten_name(name)

    def phone(self, phone: Any, withheld: bool, person: bool) -> Any:
        if withheld:
            return None
        if not isinstance(phone, str) or not phone:
            return phone
        if self.personal_data:
            self.clear = self.clear or "*" not in phone
            return phone
        return phone if "*" in phone else mask_phone(phone)

    def property(self, key: Any, value: Any, withheld: bool, person: bool) -> Any:
        """One of an entity's own properties, as ``properties`` shows it in a map."""
        if withheld:
            return None
        if key == "phone":
            return self.phone(value, False, person)
        if key == "name":
            return self.name(value, False, person)
        if not person:
            return value
        self.persons = True
        return value if self.personal_data or key in PERSON_SHOWN else None

    def properties(self, props: Any, withheld: bool, person: bool) -> Any:
        if withheld:
            return {}
        if not person or not isinstance(props, dict):
            return props
        self.persons = True
        if self.personal_data:
            self.clear = self.clear or bool(props.get("name") or props.get("phone"))
            return props
        shown = {k: v for k, v in props.items() if k in PERSON_SHOWN}
        if isinstance(shown.get("name"), str):
            shown["name"] = shorten_name(shown["name"])
        if isinstance(shown.get("phone"), str):
            shown["phone"] = mask_phone(shown["phone"])
        return shown
