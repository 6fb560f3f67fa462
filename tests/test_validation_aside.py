"""Validation on both cores (loaders.aside): whichever tables a second process reads, the same
problems, notices, counts and import files as one process reading them all — and a second
process that fails stops the load with nothing written, while one that cannot start leaves
the load to one process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from orgnet.graph.connection import Database
from orgnet.loaders import aside
from orgnet.loaders import validate as validating
from orgnet.loaders.bulk import ImportFiles
from orgnet.loaders.files import open_dataset
from orgnet.loaders.load import LoadSummary, load_dataset
from orgnet.loaders.validate import Validation, validate

from .datasets import street_with_two_communities
from .dump import count, write_dataset
from .test_validation import CASES

ONE_PROCESS = 2**62  # bytes no dataset reaches: every table read here


def _every_problem_at_once(folder: Path, across: bool) -> Path:
    """The street with every rule of test_validation broken at once (but a column dropped,
    which stops its file at the header) and a person defined twice; ``across``, ids defined
    in two files too: an estate with a region's id, a person with a building's, an owners'
    committee with a person's."""
    files = street_with_two_communities()
    files.setdefault("covers", [])
    files.setdefault("org_history", [])
    for name, (mutate, _) in CASES.items():
        if name != "required column missing" and (across or "across" not in name):
            mutate(files)
    files["persons"].append(dict(files["persons"][1], name="又一个"))
    if across:
        person = dict(files["persons"][0], id=files["buildings"][0]["id"], name="重号")
        files["persons"].append(person)
        committee = dict(files["owners_committees"][0], id=files["persons"][1]["id"])
        files["owners_committees"].append(committee)
    return write_dataset(folder, files)


def _said(validation: Validation) -> tuple:
    return (
        [(p.file, p.row, p.column, p.value, p.code, p.hint, p.params, p.header)
         for p in validation.problems],
        [str(n) for n in validation.notices],
        list(validation.rows.items()),
        validation.unchecked,
        validation.database_was_empty,
    )  # fmt: skip


def _positions(folder: Path, *names: str) -> list[int]:
    tables = open_dataset(folder).tables
    return [i for i, t in enumerate(tables) if t.spec.name in names]


@pytest.mark.parametrize(
    ("names", "across"),
    [
        (("persons",), False),
        (("buildings", "party_orgs"), False),
        (("regions", "owners_committees", "posts"), False),
        (("persons",), True),
    ],
    ids=["persons", "buildings-orgs", "regions-committees-posts", "ids-across-sides"],
)
def test_every_problem_is_found_alike_whichever_tables_are_read_aside(
    names: tuple[str, ...],
    across: bool,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _every_problem_at_once(tmp_path / "broken", across)
    alone = validate(open_dataset(folder), db, split_bytes=ONE_PROCESS)
    codes = {p.code for p in alone.problems}
    assert {"duplicate_id", "unknown_id", "reports_to_cycle", "wrong_label"} <= codes

    read: list[int] = []
    taken: list[bool] = []
    chosen = _positions(folder, *names)
    monkeypatch.setattr(validating, "tables_aside", lambda dataset, split: chosen)
    take = validating._Validator.take
    monkeypatch.setattr(
        validating._Validator, "take", lambda *a: taken.append(take(*a)) or taken[-1]
    )
    both = validate(open_dataset(folder), db, split_bytes=0, advance=read.append)
    assert _said(both) == _said(alone)
    # Ids defined on both sides: each side checked its rows by its own definition, so the
    # dataset, which fails, was read again in one pass (and its rows counted again).
    assert taken == [not across]
    assert sum(read) == sum(alone.rows.values()) * (2 if across else 1)
    if across:
        duplicates = [str(p) for p in both.problems if p.code == "duplicate_id"]
        assert any("persons.csv" in p and "buildings.csv:2" in p for p in duplicates)


def _files_written(folder: Path, split_bytes: int, scratch: Path) -> tuple[tuple, dict]:
    out = scratch / f"import-{split_bytes}"
    out.mkdir(mode=0o700)
    files = ImportFiles(out, 1, LoadSummary())
    validation = validate(open_dataset(folder), None, rows_to=files, split_bytes=split_bytes)
    groups = files.close()
    assert groups is not None, files.unusable
    written: dict[str, list] = {}
    for group in (*groups[0], *groups[1]):
        header, data = (Path(f).read_text(encoding="utf-8") for f in group.files)
        written.setdefault(group.name, []).append((header, sorted(data.splitlines())))
    summary = files.summary
    counted = (summary.created, summary.nodes_created, summary.relationships_created,
               summary.relationships_seen)  # fmt: skip
    return _said(validation), {"files": sorted(written.items()), "counted": counted}


def test_the_district_is_validated_and_written_for_the_importer_alike_on_two_cores(
    district: Path, tmp_path: Path
) -> None:
    assert aside.tables_aside(open_dataset(district), 0)  # the largest, read aside
    assert not aside.tables_aside(open_dataset(district))  # its 5 MB: below SPLIT_BYTES
    one = _files_written(district, ONE_PROCESS, tmp_path)
    two = _files_written(district, 0, tmp_path)
    assert two == one
    assert not one[0][0] and len(one[1]["files"]) > 10


def test_the_largest_files_go_aside_until_it_holds_about_half(tmp_path: Path) -> None:
    files = street_with_two_communities()
    folder = write_dataset(tmp_path / "street", files)
    pad = "x" * 1_000
    with open(folder / "persons.csv", "a", encoding="utf-8") as f:  # a long file
        f.writelines(f"P{i},{pad}\n" for i in range(100, 400))
    with open(folder / "party_orgs.csv", "a", encoding="utf-8") as f:  # half as long
        f.writelines(f"O{i},{pad}\n" for i in range(100, 250))
    dataset = open_dataset(folder)
    sizes = {t.spec.name: os.path.getsize(t.source) for t in dataset.tables}
    assert (
        sizes["persons"]
        > sizes["party_orgs"]
        > 2 * sum(size for name, size in sizes.items() if name not in ("persons", "party_orgs"))
    )
    assert aside.tables_aside(dataset, 0) == _positions(folder, "persons")
    assert aside.tables_aside(dataset, sum(sizes.values()) + 1) == []


def test_a_second_process_that_fails_stops_the_load_and_one_never_started_is_done_without(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_dataset(tmp_path / "street", street_with_two_communities())
    monkeypatch.setattr(aside, "SPLIT_BYTES", 0)
    monkeypatch.setattr(aside.sys, "executable", "/bin/false")  # it ends before a word
    with pytest.raises(RuntimeError, match=r"second validating process \(exit 1\)"):
        load_dataset(db, folder)
    assert count(db) == 0
    # One that cannot be started at all: read in one pass, before anything was read (and
    # nothing is held: the next load runs).
    monkeypatch.setattr(aside.sys, "executable", str(tmp_path / "no-python"))
    assert load_dataset(db, folder).load == 1
