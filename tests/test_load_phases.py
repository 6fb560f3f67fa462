"""benchmarks/load_phases.py's ``--statements``: the loader's derived statements timed one by
one, while the load runs as it would, and the loader left as it was after."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load_phases import _statements_timed
from orgnet.graph.connection import Database
from orgnet.loaders import load as loading
from orgnet.loaders.load import load_dataset

from .datasets import street_with_two_communities
from .dump import count, write_dataset


def test_each_derived_statement_is_timed_and_the_loader_is_left_as_it_was(
    db: Database, tmp_path: Path
) -> None:
    before = (loading.refresh_serves, loading.steps_to_count, loading.refresh_steps)
    with _statements_timed() as timed:
        load_dataset(db, write_dataset(tmp_path, street_with_two_communities()))
    assert (loading.refresh_serves, loading.steps_to_count, loading.refresh_steps) == before
    names = [name for name, _, _ in timed]
    assert names[:2] == ["serves_refresh", "(finding the ids of the steps)"]
    assert {"member_steps_refresh", "post_places_refresh"} <= set(names[2:])
    assert all(seconds >= 0 for _, _, seconds in timed)
    orgs = count(db, "(o:PartyOrg)")
    assert dict((name, ids) for name, ids, _ in timed)["serves_refresh"] == orgs > 0
    # Timed, the load wrote what it writes: the SERVES links among it.
    assert count(db, "()-[:SERVES]->()") > 0
