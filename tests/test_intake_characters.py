"""Characters that look like nothing, or like others: an id or a name carrying one that draws
nothing is refused at its cell; an id that only looks like another (full-width, a radical for a
character, decomposed) is refused with the plain form to write; a name is kept in its one plain
form, so that the same name typed by two input methods is one name. The graph is unchanged to
the last property after every refusal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.graph.errors import ValidationFailed
from orgnet.loaders.load import load_dataset
from orgnet.loaders.values import CONTROL, _invisible

from .datasets import street_with_two_communities
from .dump import write_dataset
from .hostile import problems_of

INVISIBLE = {
    "soft hyphen": "\u00ad",
    "combining grapheme joiner": "\u034f",
    "variation selector": "\ufe0f",
    "variation selector supplement": "\U000e0100",
    "left-to-right mark": "\u200e",
    "arabic letter mark": "\u061c",
    "mongolian vowel separator": "\u180e",
    "deprecated format character": "\u206a",
    "interlinear annotation": "\ufff9",
    "tag character": "\U000e0041",
    "braille blank": "\u2800",
    "hangul filler": "\u3164",
    "halfwidth hangul filler": "\uffa0",
    "zero width space": "\u200b",
}


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    load_dataset(db, write_dataset(tmp_path / "base", street_with_two_communities()))
    return db


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_a_character_that_draws_nothing_is_refused_in_an_id_and_in_a_name(
    loaded: Database, tmp_path: Path, char: str
) -> None:
    files = {
        "persons": [
            {"id": f"P{char}1", "name": "张伟"},  # would be a second 张伟, beside P1
            {"id": "P2", "name": f"李{char}娜"},
        ]
    }
    assert problems_of(loaded, write_dataset(tmp_path / "spoiled", files)) == [
        ("persons.csv", 2, "id", "control_character"),
        ("persons.csv", 3, "name", "control_character"),
    ]


def test_an_id_that_only_looks_like_another_is_refused_with_its_plain_form(
    loaded: Database, tmp_path: Path
) -> None:
    files = {
        "persons": [
            {"id": "Ｐ１", "name": "张伟"},  # full-width: P1 to the eye
            {"id": "P2", "name": "李娜", "building_id": "Ｂ２"},  # names B2, as written by an IME
        ]
    }
    assert problems_of(loaded, write_dataset(tmp_path / "wide", files)) == [
        ("persons.csv", 2, "id", "lookalike_id"),
        ("persons.csv", 3, "building_id", "lookalike_id"),
    ]
    with pytest.raises(ValidationFailed) as failed:
        load_dataset(loaded, write_dataset(tmp_path / "wide2", files), dry_run=True)
    assert "write it as P1" in failed.value.problems[0].text("en")
    assert "请写成 B2" in failed.value.problems[1].text("zh")


def test_a_name_is_kept_in_its_one_plain_form(loaded: Database, tmp_path: Path) -> None:
    files = {
        "persons": [
            {"id": "P1", "name": "⼈民"},  # Kangxi radical ⼈ for 人
            {"id": "P2", "name": "Ａ座李娜"},  # full-width Latin
            {"id": "P3", "name": "Jose\u0301"},  # decomposed é
            {"id": "P4", "name": "王强（东区）"},  # Chinese text's own full-width brackets: kept
        ],
        "estates": [{"id": "E1", "name": "\uf900园", "community_id": "C1"}],  # 豈, compatibility
        "buildings": [{"id": "B1", "name": "１号楼", "estate_id": "E1", "households": "６０"}],
    }
    load_dataset(loaded, write_dataset(tmp_path / "plain", files))
    names = {
        r["id"]: r["name"]
        for r in loaded.read(
            "MATCH (n:Entity) WHERE n.id IN ['P1','P2','P3','P4','E1'] "
            "RETURN n.id AS id, n.name AS name"
        )
    }
    assert names == {
        "P1": "人民",
        "P2": "A座李娜",
        "P3": "José",
        "P4": "王强（东区）",
        "E1": "豈园",
    }
    building = "MATCH (b:Building {id: 'B1'}) RETURN b.name AS name, b.households AS households"
    assert loaded.read(building) == [{"name": "1号楼", "households": 60}]


def test_the_characters_refused_are_those_that_draw_nothing() -> None:
    computed = re.compile(f"[{_invisible()}]")
    differ = [
        c for c in range(0x110000) if bool(computed.match(chr(c))) != bool(CONTROL.match(chr(c)))
    ]
    assert differ == [], [hex(c) for c in differ[:10]]
