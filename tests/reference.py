"""Plain-Python answers to the questions of DESIGN §4, computed straight from a dataset's CSV
files with nothing but the csv module — the independent side of the differential test.

It reads the files the generator writes (English headers, codes, ISO dates or months) and
implements each definition from DESIGN §4 afresh; it shares no code with loaders/ or queries/.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / f"{name}.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


@dataclass
class City:
    """The dataset as plain dictionaries."""

    as_of: str
    parent: dict[str, str] = field(default_factory=dict)  # region or estate → its parent
    kind: dict[str, str] = field(default_factory=dict)  # region id → district/street/…
    households: dict[str, int | None] = field(default_factory=dict)
    estates: dict[str, str] = field(default_factory=dict)  # estate → community
    buildings: dict[str, tuple[str, str]] = field(default_factory=dict)  # → (estate, grid)
    orgs: dict[str, dict[str, str]] = field(default_factory=dict)
    covers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # place → orgs
    persons: dict[str, dict[str, str]] = field(default_factory=dict)
    posts: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)
    committees: dict[str, str] = field(default_factory=dict)  # committee → estate
    managed_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pairings: list[dict[str, str]] = field(default_factory=list)
    reports: list[dict[str, str]] = field(default_factory=list)
    built: dict[str, int | None] = field(default_factory=dict)  # estate → built_year
    forms: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # org → history

    def current(self, since: str, until: str = "") -> bool:
        return (not since or since <= self.as_of) and (not until or until > self.as_of)

    def exists(self, row: dict[str, str]) -> bool:
        """An org or committee exists from its founding until its dissolution (DESIGN §4)."""
        return self.current(row.get("founded", ""), row.get("dissolved", ""))

    def form(self, org: str) -> tuple[str, str]:
        """An org's (type, level) at the date: its history's latest form on/before it, the
        earliest before the first, its row from the latest date on."""
        row = self.orgs[org]
        history = sorted(self.forms.get(org, []))
        if not history or history[-1][0] <= self.as_of:
            return row["type"], row["level"]
        earlier = [h for h in history if h[0] <= self.as_of]
        _, type_, level = earlier[-1] if earlier else history[0]
        return type_, level


_DISTRICT = {"district", "区", "县", "市辖区"}


def read_city(folder: Path, as_of: str) -> City:
    city = City(as_of)
    for r in _read(folder, "regions"):
        kind = "district" if r["kind"] in _DISTRICT else r["kind"]
        city.kind[r["id"]] = kind
        city.parent[r["id"]] = r["parent_id"]
        city.households[r["id"]] = _int(r.get("households", ""))
    for r in _read(folder, "estates"):
        city.built[r["id"]] = _int(r.get("built_year", ""))
        year = city.built[r["id"]]
        if year is not None and str(year) > as_of[:4]:
            continue  # not built yet: neither covered nor a gap, nor its households
        city.estates[r["id"]] = r["community_id"]
        city.parent[r["id"]] = r["community_id"]
        city.households[r["id"]] = _int(r.get("households", ""))
    for r in _read(folder, "buildings"):
        city.buildings[r["id"]] = (r["estate_id"], r.get("grid_id", ""))
    for r in _read(folder, "party_orgs"):
        city.orgs[r["id"]] = r
    dated = {(r["org_id"], r["target_id"]): r for r in _read(folder, "covers")}
    for r in city.orgs.values():
        if not city.exists(r):
            continue  # not founded yet, or dissolved: it covers nothing
        for place in filter(None, r.get("covers", "").split(";")):
            if (r["id"], place.strip()) not in dated:
                city.covers[place.strip()].add(r["id"])
    for (org, place), r in dated.items():
        if city.exists(city.orgs[org]) and city.current(r["since"], r.get("until", "")):
            city.covers[place].add(org)
    for r in _read(folder, "org_history"):
        city.forms.setdefault(r["org_id"], []).append((r["since"], r["type"], r["level"]))
    for r in _read(folder, "persons"):
        city.persons[r["id"]] = r
    for r in _read(folder, "posts"):  # a repeated (person, org, role) row: the later one wins
        city.posts[(r["person_id"], r["org_id"], r["role"])] = r
    for r in _read(folder, "owners_committees"):
        if city.exists(r):
            city.committees[r["id"]] = r["estate_id"]
    for r in _read(folder, "management"):  # a contract counts while it runs (DESIGN §4)
        if city.current(r["since"], r.get("until", "")):
            city.managed_by[r["estate_id"]].add(r["firm_id"])
    city.pairings = _read(folder, "pairings")
    city.reports = _read(folder, "reports")
    return city


def _ancestors(city: City, place: str) -> set[str]:
    found = set()
    while place:
        found.add(place)
        place = city.parent.get(place, "")
    return found


def estates_in(city: City, scope: str) -> list[str]:
    return sorted(e for e in city.estates if scope in _ancestors(city, e))


def communities_in(city: City, scope: str) -> list[str]:
    return sorted(
        c for c, k in city.kind.items() if k == "community" and scope in _ancestors(city, c)
    )


def _is_member(person: dict[str, str], as_of: str) -> bool:
    """A party member at the date: marked one, and joined by then (DESIGN §4)."""
    marked = person["party_member"] in ("是", "yes", "true", "1")
    return marked and person.get("joined_party", "") <= as_of


def _members_living(city: City) -> dict[str, int]:
    """Non-floating party members living in each estate."""
    count: dict[str, int] = defaultdict(int)
    for p in city.persons.values():
        b = p.get("building_id", "")
        if b and _is_member(p, city.as_of) and p["member_category"] != "floating":
            count[city.buildings[b][0]] += 1  # an estate not built yet is never asked
    return count


def coverage(city: City, scope: str) -> dict[str, int]:
    estates = estates_in(city, scope)
    covered_grids = {g for g in {b[1] for b in city.buildings.values()} if g and city.covers[g]}
    guided = {
        org for (_, org, role), post in city.posts.items()
        if role == "party_guide" and city.current(post["since"], post["until"])
    }  # fmt: skip
    org_covered = {e for e in estates if city.covers[e]}
    grid_work = {e for b, (e, g) in city.buildings.items() if g in covered_grids}
    work = {e for e in estates if e in org_covered or e in grid_work or e in guided}
    return {
        "estates": len(estates),
        "households": sum(city.households[e] or 0 for e in estates),
        "org_covered": len(org_covered),
        "work_covered": len(work),
    }


def estate_gaps(city: City, scope: str) -> dict[str, tuple[int, bool]]:
    """Uncovered estates → (non-floating members living there, actionable)."""
    living = _members_living(city)
    return {e: (living[e], living[e] >= 3) for e in estates_in(city, scope) if not city.covers[e]}


def grid_gaps(city: City, scope: str) -> set[str]:
    grids = {g for g, k in city.kind.items() if k == "grid" and scope in _ancestors(city, g)}
    return {
        g for g in grids
        if not any(city.form(o)[1] == "grid" for o in city.covers[g])
    }  # fmt: skip


def building_gaps(city: City, scope: str) -> dict[str, int]:
    """Buildings of org-covered estates with no group covering them → members living there."""
    members: dict[str, int] = defaultdict(int)
    for p in city.persons.values():
        if p.get("building_id") and _is_member(p, city.as_of):
            members[p["building_id"]] += 1
    estates = {e for e in estates_in(city, scope) if city.covers[e]}
    return {
        b: members[b]
        for b, (e, _) in city.buildings.items()
        if e in estates and not any(city.form(o)[0] == "group" for o in city.covers[b])
    }


def owners_gaps(city: City, scope: str) -> set[str]:
    represented = set(city.committees.values())
    return {e for e in estates_in(city, scope) if e not in represented}


def pairing(city: City, scope: str) -> dict[str, tuple[int, int, int | None]]:
    """Community → (paired units, reporting in-service members, households)."""
    result = {}
    for c in communities_in(city, scope):
        built = [e for e, community in city.estates.items() if community == c]
        every = {e for e in city.built if city.parent.get(e) == c}  # built or not, paired
        units = {
            p["unit_id"] for p in city.pairings
            if (p["target_id"] == c or p["target_id"] in every)
            and city.current(p["since"], p.get("until", ""))
        }  # fmt: skip
        members = {
            r["person_id"] for r in city.reports
            if r["community_id"] == c and city.current(r["since"], r.get("until", ""))
            and city.persons[r["person_id"]]["member_category"] == "in_service"
            and _is_member(city.persons[r["person_id"]], city.as_of)
        }  # fmt: skip
        own = city.households[c]
        households = own if own is not None else (
            sum(city.households[e] or 0 for e in built) if built else None
        )  # fmt: skip
        result[c] = (len(units), len(members), households)
    return result


def vacancies(city: City) -> set[str]:
    """Orgs existing at the date, other than groups then, with no current secretary (the
    whole dataset)."""
    staffed = {
        org for (_, org, role), post in city.posts.items()
        if role == "secretary" and city.current(post["since"], post["until"])
    }  # fmt: skip
    return {
        o for o, r in city.orgs.items()
        if city.exists(r) and city.form(o)[0] != "group" and o not in staffed
    }  # fmt: skip


def _side(city: City, org: str) -> str | None:
    if org in city.orgs:
        return "party" if city.exists(city.orgs[org]) else None
    if org in city.committees:
        return "owners"  # (only the committees that exist are read)
    if city.kind.get(org) in ("community", "grid") or org in city.buildings:
        return "community"
    return None  # firms and units are told apart by the caller's files


def cross_patterns(city: City, firms: set[str], units: set[str]) -> dict[str, str]:
    """Person → pattern ('owners+party' …) for everyone with current posts on two sides."""
    sides: dict[str, set[str]] = defaultdict(set)
    for (person, org, _), post in city.posts.items():
        if not city.current(post["since"], post["until"]):
            continue
        side = "property" if org in firms else "unit" if org in units else _side(city, org)
        if side:
            sides[person].add(side)
    return {p: "+".join(sorted(s)) for p, s in sides.items() if len(s) >= 2}


def triad_gaps(city: City, firms: set[str]) -> set[str]:
    """Estates with a covering org, a committee and a firm, and nobody in two of them."""
    committees_of: dict[str, set[str]] = defaultdict(set)
    for committee, estate in city.committees.items():
        committees_of[estate].add(committee)
    held: dict[str, set[str]] = defaultdict(set)
    for (person, org, _), post in city.posts.items():
        if city.current(post["since"], post["until"]):
            held[person].add(org)
    gaps = set()
    for e in city.estates:
        parties = [city.covers[e], committees_of[e], city.managed_by[e] & firms]
        if not all(parties):
            continue
        linked = any(sum(bool(orgs & party) for party in parties) >= 2 for orgs in held.values())
        if not linked:
            gaps.add(e)
    return gaps
